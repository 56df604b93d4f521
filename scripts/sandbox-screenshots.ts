/**
 * `npm run sandbox:screenshots`: starts the service in sandbox mode (the built-in Bot API emulator
 * and, with no LLM configured, the demo responder), plays a short story on the /sandbox page in
 * headless Chromium, and writes PNG screenshots to docs/: the whole page (docs/sandbox.png, the
 * README's), the user's pane (docs/sandbox-user.png) and the operators' pane
 * (docs/sandbox-operators.png).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/support_bot_screens REDIS_URL=redis://127.0.0.1:6379/12 npm run sandbox:screenshots
 *
 * The database is migrated and its dialogs stay there; use a scratch database and Redis db. The
 * only setting besides them is OPERATOR_LANG=en, so the operators' side reads in English.
 * Needs Debian's Chromium (`apt-get install -y chromium`); an emoji font (fonts-noto-color-emoji)
 * makes the bot's 🆘 and 👤 show.
 */
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ConfigError, loadConfig } from '../src/config';
import { createDb } from '../src/db/knex';
import { startService } from '../src/service';
import { launchChromium } from '../test/browser/chromium';
import { freePort } from '../test/browser/sandbox.harness';

const DOCS = path.join(__dirname, '..', 'docs');
const WAIT_MS = 20_000;

async function main(): Promise<void> {
  // Not .env: the screenshots show the zero-configuration sandbox, whatever .env says.
  const env = process.env;
  if (!env.DATABASE_URL || !env.REDIS_URL) {
    throw new ConfigError(['DATABASE_URL and REDIS_URL must be set: a scratch PostgreSQL database and Redis db for the sandbox (see the comment at the top of scripts/sandbox-screenshots.ts)']);
  }
  const config = loadConfig({
    DATABASE_URL: env.DATABASE_URL,
    REDIS_URL: env.REDIS_URL,
    TELEGRAM_MODE: 'sandbox',
    WEB_SERVER_HOST: '127.0.0.1',
    // Sandbox mode reaches its own emulator on its port: a fixed one, free now.
    WEB_SERVER_PORT: String(await freePort()),
    // The operators' texts in English, for the README; the sandbox's default is OPERATOR_LANG's (ru).
    OPERATOR_LANG: 'en',
    LOG_LEVEL: 'warn',
  });
  const db = createDb(config.databaseUrl, 1);
  try {
    await db.migrate.latest();
  } finally {
    await db.destroy();
  }
  const service = await startService(config);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 860 }, deviceScaleFactor: 1 });
    await page.goto(`${service.url}/sandbox`);
    await playStory(page);
    await page.screenshot({ path: path.join(DOCS, 'sandbox.png') });
    await page.locator('[data-pane=user]').screenshot({ path: path.join(DOCS, 'sandbox-user.png') });
    await page.locator('[data-pane=operators]').screenshot({ path: path.join(DOCS, 'sandbox-operators.png') });
    process.stdout.write(`wrote docs/sandbox.png, docs/sandbox-user.png, docs/sandbox-operators.png\n`);
  } finally {
    await browser.close();
    await service.stop();
  }
}

/** Alice asks, is answered from the knowledge base, asks for a human; Anna takes the dialog and they talk. */
async function playStory(page: Page): Promise<void> {
  const user = page.locator('[data-pane=user]');
  const ops = page.locator('[data-pane=operators]');
  const seen = async (pane: Locator, text: string) => pane.locator('.msg', { hasText: text }).last().waitFor({ timeout: WAIT_MS });
  const say = async (pane: Locator, text: string) => {
    await pane.locator('.composer input').fill(text);
    await pane.locator('.composer button[type=submit]').click();
  };
  await user.getByRole('button', { name: 'START' }).click();
  await seen(user, 'I am the support bot');
  await say(user, 'How long does delivery take?');
  await user.locator('.msg.bot:not(.draft)').nth(1).waitFor({ timeout: WAIT_MS }); // the answer itself, not its draft
  await user.getByRole('button', { name: /Talk to a human/ }).click();
  await seen(user, 'Switching you to a human');
  const ticket = ops.locator('.msg.bot', { hasText: 'Dialog #' }).last();
  await ticket.waitFor({ timeout: WAIT_MS });
  await ticket.getByRole('button', { name: /^Take/ }).click();
  await seen(user, 'An operator has joined');
  await say(ops, 'Hi Alice, Anna here. Which order is it about?');
  await seen(user, 'Anna here');
  await say(user, 'Order 4417: the blue kettle, still not here');
  await seen(ops, 'Order 4417');
  await say(ops, 'It left the warehouse today: you will have it on Thursday.');
  await seen(user, 'on Thursday');
  await page.locator('#user-input').fill('Thank you!');
  await page.waitForTimeout(300); // the last bubbles' scroll settles
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox:screenshots failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
