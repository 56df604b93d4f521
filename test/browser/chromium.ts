import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's Chromium is (`apt-get install chromium`; .ci/run installs it when missing). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium as the project runs it: no sandbox (CI runs as root), no GPU, and nothing
 * fetched from outside (no component updates, no sync, no first-run pages).
 */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Starts Debian's Chromium headless through playwright-core (which never downloads a browser of
 * its own). Throws, with the fix in words, when Chromium is not installed: the browser test then
 * fails instead of being skipped.
 */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser test drives Debian's Chromium; install it with \`apt-get install -y --no-install-recommends chromium\` (.ci/run does)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
