/**
 * The sandbox page in a real browser (Debian's Chromium, headless, driven by playwright-core):
 * the whole support story as someone trying the bot would click through it, the user on the left,
 * the operator on the right. Everything goes through the page's API and the Bot API emulator to
 * the real service (inbox, machine, PostgreSQL, Redis, effects); the LLM is the fake OpenAI.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { SANDBOX_OPERATORS } from '../../src/sandbox/sandbox.actions';
import type { FakeOpenAI } from '../fakes/fake-openai';
import { launchChromium } from './chromium';
import { startSandbox, type SandboxHarness } from './sandbox.harness';

const WAIT_MS = 15_000;

let sb: SandboxHarness;
let ai: FakeOpenAI;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchChromium(); // fails, never skips, when Chromium is missing
  sb = await startSandbox('fake', { OPERATOR_LANG: 'en' });
  ai = sb.ai!;
  ai.setResponder((req) => {
    const question = String(req.body.messages.at(-1)?.content ?? '');
    if (/return/i.test(question)) return { text: 'Returns are **free** within 30 days: open *My orders* and press `Return`.' };
    if (/hours/i.test(question)) return { text: 'We answer **every day**, 9:00 to 21:00.' };
    if (/long story/i.test(question)) return { text: Array.from({ length: 60 }, (_, i) => `word${i + 1}`).join(' ') };
    return { text: `You asked: ${question}` };
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(sb.pageUrl);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sb?.close();
});

const userPane = () => page.locator('[data-pane=user]');
const opsPane = () => page.locator('[data-pane=operators]');
/** The bubble in `pane` whose text contains `text`, once it is there. */
async function bubble(pane: Locator, who: 'bot' | 'user' | 'operator', text: string): Promise<Locator> {
  const found = pane.locator(`.msg.${who}`, { hasText: text }).last();
  await found.waitFor({ timeout: WAIT_MS });
  return found;
}
async function say(pane: Locator, text: string): Promise<void> {
  await pane.locator('.composer input').fill(text);
  await pane.locator('.composer button[type=submit]').click();
}

test('the user is answered, asks for a human, the operator takes the dialog, they talk, the operator closes it, the user rates the help, the bot answers again', async () => {
  await page.locator('[data-testid=llm]', { hasText: 'gpt-4o-mini' }).waitFor({ timeout: WAIT_MS }); // the header says which LLM answers

  // Alice opens the chat and presses START: the greeting comes with its "Talk to a human" button.
  await userPane().getByRole('button', { name: 'START' }).click();
  await bubble(userPane(), 'bot', 'I am the support bot');

  // She asks a question and gets the LLM's answer, its Markdown rendered as Telegram formatting.
  ai.setStreamPace({ firstTokenMs: 200, tokensPerSecond: 6 });
  await say(userPane(), 'How do I return an order?');
  await userPane().locator('.msg.draft').waitFor({ timeout: WAIT_MS }); // the live grey draft while the bot writes
  const answer = await bubble(userPane(), 'bot', 'within 30 days');
  await expect(answer.locator('b').textContent()).resolves.toBe('free');
  await expect(answer.locator('code').textContent()).resolves.toBe('Return');
  await expect(userPane().locator('.msg.draft').count()).resolves.toBe(0);
  ai.setStreamPace({});

  // She asks for a human with the greeting's button: the operators get a topic with the ticket.
  await userPane().getByRole('button', { name: /Talk to a human/ }).click();
  await bubble(userPane(), 'bot', 'Switching you to a human');
  await opsPane().locator('.topic', { hasText: '#1 Alice' }).waitFor({ timeout: WAIT_MS });
  const ticket = await bubble(opsPane(), 'bot', 'Dialog #1');
  await expect(ticket.textContent()).resolves.toContain('How do I return an order?');

  // Anna (the operator chosen on the right) presses Take: the topic says so, the user hears an operator joined.
  await ticket.getByRole('button', { name: 'Take #1' }).click();
  await bubble(userPane(), 'bot', 'An operator has joined the conversation');
  await bubble(opsPane(), 'bot', 'Dialog #1 taken by Anna');

  // They talk both ways: the operator's words reach the user's chat, the user's reach the topic.
  await say(opsPane(), 'Hello Alice, Anna here. Which order is it?');
  await bubble(userPane(), 'bot', 'Anna here. Which order is it?');
  await say(userPane(), 'Order 4417, the blue kettle');
  await bubble(opsPane(), 'bot', 'Order 4417, the blue kettle');

  // Anna closes the dialog with /close typed in the topic.
  await say(opsPane(), '/close');
  await bubble(userPane(), 'bot', 'The conversation is closed');

  // Alice rates the help with the 1–5 buttons; the stars reach the dialog's topic.
  const rating = await bubble(userPane(), 'bot', 'How did we do?');
  await rating.getByRole('button', { name: '4', exact: true }).click();
  await bubble(opsPane(), 'bot', '4 from the user');

  // The bot answers again.
  await say(userPane(), 'What are your opening hours?');
  const again = await bubble(userPane(), 'bot', '9:00 to 21:00');
  await expect(again.locator('b').textContent()).resolves.toBe('every day');
  expect(pageErrors).toEqual([]);
}, 90_000);

test('a second user in a new tab chats in Russian, apart from the first', async () => {
  await userPane().getByRole('button', { name: '+ user' }).click();
  await page.locator('#new-user-name').fill('Ольга');
  await page.locator('#new-user-lang').selectOption('ru');
  await page.locator('#new-user button[type=submit]').click();
  await userPane().locator('.tab.active', { hasText: 'Ольга · ru' }).waitFor({ timeout: WAIT_MS });
  await expect(userPane().locator('.msg').count()).resolves.toBe(0); // her chat is empty: not Alice's
  await userPane().getByRole('button', { name: 'START' }).click();
  await bubble(userPane(), 'bot', 'Я бот поддержки');
  await userPane().getByRole('tab', { name: 'Alice · en' }).click();
  await bubble(userPane(), 'bot', '9:00 to 21:00');
});

test('Stop under the draft ends the answer where it is: the text so far stays as the message', async () => {
  await userPane().getByRole('tab', { name: 'Alice · en' }).click();
  ai.setStreamPace({ firstTokenMs: 100, tokensPerSecond: 5 });
  await say(userPane(), 'Tell me a long story');
  const stop = userPane().locator('.msg.draft').getByRole('button', { name: '■ Stop' });
  await stop.waitFor({ timeout: WAIT_MS });
  await userPane().locator('.msg.draft', { hasText: 'word3 ' }).waitFor({ timeout: WAIT_MS });
  await stop.click();
  await userPane().locator('.msg.draft').waitFor({ state: 'detached', timeout: WAIT_MS });
  const kept = await bubble(userPane(), 'bot', 'word3 ');
  expect(await kept.textContent()).not.toContain('word60');
  ai.setStreamPace({});
});

test('the page API refuses bad input with a clear message', async () => {
  const post = (path: string, body: unknown) =>
    fetch(`${sb.pageUrl}/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const empty = await post('users/1001/messages', { text: '   ' });
  expect(empty.status).toBe(400);
  await expect(empty.json()).resolves.toEqual({ error: { code: 'VALIDATION_FAILED', message: 'text: must not be empty' } });
  const nobody = await post('users/4242/messages', { text: 'hi' });
  expect(nobody.status).toBe(404);
  const badTopic = await post(`operators/${SANDBOX_OPERATORS[0]!.id}/messages`, { text: 'hi', threadId: 999 });
  expect(badTopic.status).toBe(400);
  await expect(badTopic.json()).resolves.toMatchObject({ error: { message: "threadId: the operators' group has no topic 999" } });
  const badLang = await post('users', { firstName: 'Zed', lang: 'de' });
  expect(badLang.status).toBe(400);
  await expect(badLang.json()).resolves.toMatchObject({ error: { message: 'lang: must be "ru" or "en"' } });
});

test("the page draws only Telegram's tags: other markup keeps its text, links only safe schemes", async () => {
  const hostile =
    '<b>bold</b> <img src="x" onerror="window.hit=1">img <script>window.hit=2</script>' +
    '<a href="javascript:window.hit=3">js</a> <a href="https://example.org/x">ok</a> ' +
    '<tg-spoiler>secret</tg-spoiler> <span class="tg-spoiler" onclick="window.hit=4">s2</span> <pre><code class="language-ts">x</code></pre>';
  // Runs in the page (the project's TypeScript has no DOM types, so the code is a string).
  const drawn = (await page.evaluate(`(() => {
    const box = document.createElement('div');
    box.appendChild(window.SandboxRender.telegramHtml(${JSON.stringify(hostile)}));
    for (const el of box.querySelectorAll('a:not([href]), span')) el.click();
    return { html: box.innerHTML, hit: window.hit || 0 };
  })()`)) as { html: string; hit: number };
  expect(drawn.hit).toBe(0);
  expect(drawn.html).toBe(
    '<b>bold</b> img window.hit=2<a>js</a> <a href="https://example.org/x" target="_blank" rel="noopener noreferrer">ok</a> ' +
      '<span class="spoiler shown" title="spoiler: click to show">secret</span> <span class="spoiler shown" title="spoiler: click to show">s2</span> <pre><code data-lang="ts">x</code></pre>',
  );
  // A user's own text is text: markup they type is shown as typed.
  await say(userPane(), '<b>not bold</b>');
  const typed = await bubble(userPane(), 'user', '<b>not bold</b>');
  await expect(typed.locator('b').count()).resolves.toBe(0);
});
