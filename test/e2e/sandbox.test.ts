import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import type { SandboxActions } from '../../src/sandbox/sandbox.actions';
import { startService, type RunningService } from '../../src/service';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env';
import { openTestServices, type TestServices } from '../support/services';

/**
 * The sandbox as a new user meets it: no BOT_TOKEN, no LLM key, only the databases. The service
 * hosts its own Bot API emulator and demo responder; updates reach it by webhook with the secret,
 * and everything behind them is the real pipeline.
 */
const KB = `---
lang: en
tags: delivery
---
# Delivery

## Delivery times
Tags: how long, when will it arrive, how many days
Courier delivery in Moscow takes 1–2 days; other cities take 2–5 days.

## Delivery cost
Tags: shipping price, how much is delivery
Courier delivery costs 390 ₽, free from 5,000 ₽.
`;

const alice = { id: 1002, first_name: 'Alice', language_code: 'en' };

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let services: TestServices;
let svc: RunningService;
let dir: string;
let port: number;
const logLines: string[] = [];

beforeAll(async () => {
  services = openTestServices();
  await services.reset();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-kb-'));
  fs.writeFileSync(path.join(dir, 'delivery.en.md'), KB);
  port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    WEB_SERVER_HOST: '127.0.0.1',
    WEB_SERVER_PORT: String(port),
    OPERATOR_LANG: 'en',
    KNOWLEDGE_DIR: dir,
    TICKET_BRIEF: 'false',
  });
  const log = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  svc = await startService(config, { log, timerPollMs: 100, outboxPollMs: 100 });
});
afterAll(async () => {
  await svc?.stop();
  await services?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const page = (): SandboxActions => svc.sandbox!.actions;
const botTexts = (chatId: number) => page().messages(chatId).filter((m) => m.fromBot).map((m) => m.text);
async function until<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${timeoutMs} ms; Alice's chat: ${JSON.stringify(botTexts(alice.id))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('starts with nothing configured and says where to look', () => {
  const lines = logLines.map((l) => JSON.parse(l) as { msg: string; level: number });
  expect(lines.map((l) => l.msg)).toContain(`open http://localhost:${port}/sandbox; set BOT_TOKEN in .env to go live`);
  expect(lines.filter((l) => l.level >= 40 && l.msg.startsWith('production:'))).toEqual([]);
});

it('a user asks a question the knowledge base covers and the demo responder quotes the best entry', async () => {
  page().user(alice);
  page().userSends(alice.id, 'How long does delivery take?');
  const answer = await until('the demo answer', () => botTexts(alice.id).find((t) => t.includes('Sandbox demo answer')));
  expect(answer).toContain('Delivery times');
  expect(answer).toContain('Courier delivery in Moscow takes 1–2 days; other cities take 2–5 days.');
  // The bot's formatting reaches the page as the HTML it sent.
  const shown = page().messages(alice.id).find((m) => m.text === answer);
  expect(shown?.formatted?.parseMode).toBe('HTML');
  expect(shown?.formatted?.text).toContain('<blockquote>');
});

it('a question the base has nothing for is said so and a person is offered; the operators get a ticket and Anna takes it', async () => {
  const before = botTexts(alice.id).length;
  page().userSends(alice.id, 'Can you repair the engine of my tractor?');
  const offer = await until('the offer of a person', () =>
    page().messages(alice.id).slice(before).find((m) => m.buttons.flat().some((b) => b.data === 'handoff:yes')),
  );
  expect(botTexts(alice.id).slice(before)).toEqual(
    expect.arrayContaining([expect.stringContaining('Our knowledge base has no answer to this question'), 'Switch you to a human?']),
  );

  page().userPresses(alice.id, offer.messageId, 'handoff:yes');
  const group = svc.sandbox!.info().operatorChatId;
  const ticket = await until('the ticket in a topic', () =>
    page().messages(group).find((m) => m.threadId !== undefined && m.buttons.flat().some((b) => b.data?.startsWith('take:'))),
  );
  expect(page().topics().map((t) => t.threadId)).toContain(ticket.threadId);

  const anna = svc.sandbox!.info().operators[0]!;
  page().operatorPresses(anna.id, ticket.messageId, ticket.buttons.flat().find((b) => b.data?.startsWith('take:'))!.data!);
  await until('the operator joining', () => botTexts(alice.id).find((t) => t === 'An operator has joined the conversation.'));
  page().operatorWrites(anna.id, 'Hello Alice, I can help with that.', ticket.threadId);
  await until('the operator\'s message', () => botTexts(alice.id).find((t) => t.includes('Hello Alice, I can help with that.')));
});

it('serves which LLM answers, and lets a new page user write over HTTP and read the answer on the screen', async () => {
  const api = `${svc.url}/sandbox/api`;
  const post = (path: string, body: unknown) =>
    fetch(`${api}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const info = (await (await fetch(`${api}/info`)).json()) as { llm: { kind: string } };
  expect(info.llm.kind).toBe('demo');

  const added = await post('users', { firstName: 'Bob', lang: 'en' });
  expect(added.status).toBe(201);
  const bob = (await added.json()) as { id: number; firstName: string; lang: string };
  expect(bob).toMatchObject({ firstName: 'Bob', lang: 'en' });

  const sent = await post(`users/${bob.id}/messages`, { text: 'How much is delivery?' });
  expect(sent.status).toBe(202);
  type Screen = { users: Array<{ id: number; firstName: string; messages: Array<{ from: string; author: string; html: string }> }> };
  const bobsChat = async () => ((await (await fetch(`${api}/state`)).json()) as Screen).users.find((u) => u.id === bob.id)?.messages ?? [];
  let chat = await bobsChat();
  for (const deadline = Date.now() + 15_000; !chat.some((m) => m.from === 'bot' && m.html.includes('Sandbox demo answer')); chat = await bobsChat()) {
    if (Date.now() > deadline) throw new Error(`no demo answer in Bob's chat within 15 s: ${JSON.stringify(chat)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(chat[0]).toMatchObject({ from: 'user', author: 'Bob', html: 'How much is delivery?' });
  expect(chat.find((m) => m.from === 'bot')?.html).toContain('Courier delivery costs 390 ₽, free from 5,000 ₽.');
  // The bot answered in Bob's language, the one the page gave him.
  expect(botTexts(bob.id).join('\n')).not.toMatch(/[а-яА-Я]/);

  const bad = await post(`users/${bob.id}/messages`, {});
  expect(bad.status).toBe(400);
  expect(await bad.json()).toEqual({ error: { code: 'VALIDATION_FAILED', message: 'text: is required: the message to send' } });
  expect((await post('users/999999/messages', { text: 'hi' })).status).toBe(404);
});
