/**
 * The sandbox as `docker compose up` gives it, with no LLM configured: the page's header says the
 * demo responder answers, and in Russian the demo quotes the knowledge base's best entry
 * (rendered as a quote on the page); for a question the base does not cover the bot says so and
 * offers a person with Yes/No buttons.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium';
import { startSandbox, type SandboxHarness } from './sandbox.harness';

const WAIT_MS = 20_000;

let sb: SandboxHarness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium(); // fails, never skips, when Chromium is missing
  sb = await startSandbox('demo'); // the shipped knowledge/ and the default OPERATOR_LANG
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(sb.pageUrl);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sb?.close();
});

test('without an LLM the demo responder answers from the knowledge base, the header says so, and an uncovered question offers a person', async () => {
  await page.locator('[data-testid=llm] .badge.demo', { hasText: 'Demo responder' }).waitFor({ timeout: WAIT_MS });
  const user = page.locator('[data-pane=user]');
  await user.getByRole('tab', { name: 'Иван · ru' }).click();
  await user.locator('.composer input').fill('Сколько дней идёт доставка в Санкт-Петербург?');
  await user.locator('.composer button[type=submit]').click();
  const answer = user.locator('.msg.bot:not(.draft)', { hasText: 'Демо-ответ песочницы' }).last();
  await answer.waitFor({ timeout: WAIT_MS });
  await expect(answer.locator('blockquote').textContent()).resolves.toContain('по Санкт-Петербургу — 1–3 дня');

  await user.locator('.composer input').fill('Какая погода на Марсе?');
  await user.locator('.composer button[type=submit]').click();
  // Not in the base: the bot says so and offers a person, with Yes/No buttons; "Нет" keeps the bot.
  await user.locator('.msg.bot', { hasText: 'В нашей базе знаний нет ответа' }).waitFor({ timeout: WAIT_MS });
  const offer = user.locator('.msg.bot', { hasText: 'Переключить вас на человека?' }).last();
  await offer.waitFor({ timeout: WAIT_MS });
  await offer.getByRole('button', { name: 'Нет' }).click();
  await user.locator('.msg.bot', { hasText: 'Хорошо, продолжаем со мной' }).waitFor({ timeout: WAIT_MS });
});
