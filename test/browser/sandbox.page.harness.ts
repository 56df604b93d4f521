import fs from 'node:fs';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { closeServer, createHttpApp, listen } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { sandboxRouter } from '../../src/sandbox/sandbox.route';
import { SandboxTranscript } from '../../src/sandbox/sandbox.transcript';
import { OPS, startHarness, type Harness } from '../e2e/harness';

/** Where Debian's Chromium is (`apt-get install chromium`; .ci/run installs it). */
export const CHROMIUM = '/usr/bin/chromium';
/** Headless Chromium as the project runs it: no sandbox (root in CI), no GPU, nothing fetched from outside. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Starts Debian's Chromium headless; fails with a fix in words when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser test needs Debian's Chromium, install it with \`apt-get install -y chromium\` (.ci/run does)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** The sandbox page served beside the e2e harness (polling mode), until the service serves it itself. */
export interface PageHarness {
  h: Harness;
  url: string;
  transcript: SandboxTranscript;
  close(): Promise<void>;
}

export async function startPageHarness(overrides: Record<string, string> = {}): Promise<PageHarness> {
  const h = await startHarness({ TELEGRAM_MODE: 'polling', ...overrides });
  const transcript = SandboxTranscript.create(h.tg, { operatorChatId: OPS });
  const app = createHttpApp([sandboxRouter({ transcript, llm: { kind: 'openai', label: 'gpt-4o-mini (fake)' } })], createLogger('silent'));
  const { server, url }: { server: Server; url: string } = await listen(app, 0, '127.0.0.1');
  return {
    h,
    url: `${url}/sandbox`,
    transcript,
    async close() {
      transcript.close();
      await closeServer(server);
      await h.close();
    },
  };
}

export type { Page };
