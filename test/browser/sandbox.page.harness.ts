import Router from '@koa/router';
import type { Server } from 'node:http';
import { closeServer, createHttpApp, listen } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { sandboxRouter } from '../../src/sandbox/sandbox.route';
import { SandboxTranscript } from '../../src/sandbox/sandbox.transcript';
import { OPS, startHarness, type Harness } from '../e2e/harness';

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
  const info = new Router();
  info.get('/sandbox/api/info', (ctx) => {
    ctx.body = { llm: { kind: 'configured', model: 'gpt-4o-mini', host: new URL(h.ai.baseURL).host } };
  });
  const app = createHttpApp([sandboxRouter({ transcript }), info], createLogger('silent'));
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

