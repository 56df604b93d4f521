/**
 * The Bot API client against answers a third-party Bot API server may give: errors without
 * `description` (optional in the Bot API), without `error_code`, odd `retry_after` values, and
 * success answers missing the fields the service reads.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TelegramClient } from '../../src/adapters/telegram/telegram.client';
import { classifyTelegramError, TelegramApiError } from '../../src/adapters/telegram/telegram.errors';
import { FakeTelegram } from '../fakes/fake-telegram';

const TOKEN = '123456:TEST-token';

describe('classifying a Bot API error', () => {
  it('a 403 without a description is still "blocked"; no code at all is a plain refusal', () => {
    expect(classifyTelegramError(403, undefined)).toBe('blocked');
    expect(classifyTelegramError(400, null)).toBe('bad_request');
    expect(classifyTelegramError(undefined, undefined)).toBe('bad_request');
    expect(classifyTelegramError(502)).toBe('server');
    expect(classifyTelegramError(400, 'Bad Request: message thread not found')).toBe('thread_not_found');
  });
});

describe('the Telegram client against the fake Bot API', () => {
  let tg: FakeTelegram;
  let client: TelegramClient;
  beforeAll(async () => {
    tg = await FakeTelegram.start({ token: TOKEN });
    client = TelegramClient.create({ token: TOKEN, apiRoot: tg.apiRoot, attempts: 2 });
  });
  afterEach(() => tg.reset());
  afterAll(() => tg.close());

  it('a 403 without a description is a typed "blocked" error, not a TypeError', async () => {
    tg.failNext('sendMessage', { status: 403, description: null });
    const error = await client.sendPlain(1001, 'hello').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramApiError);
    expect(error).toMatchObject({ kind: 'blocked', code: 403, description: 'no description' });
  });

  it('an edit applied again (after a crash before it was recorded) is "not modified", which editText takes as done', async () => {
    const sent = await client.sendPlain(1001, 'Проверю за 5 минут');
    expect(await client.editText(1001, sent.message_id, 'Проверю за 10 минут')).toBe(true);
    expect(await client.editText(1001, sent.message_id, 'Проверю за 10 минут')).toBe(false);
    expect(tg.findMessage(1001, sent.message_id)).toMatchObject({ text: 'Проверю за 10 минут' });
  });

  it('a 400 without a description is a plain refusal', async () => {
    tg.failNext('sendMessage', { status: 400, description: null });
    await expect(client.sendPlain(1001, 'hello')).rejects.toMatchObject({ kind: 'bad_request', code: 400 });
  });
});

describe('the Telegram client against a server that strays from the Bot API', () => {
  let server: Server;
  let answer: { status: number; body: unknown };
  let client: TelegramClient;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = TelegramClient.create({ token: TOKEN, apiRoot: `http://127.0.0.1:${port}`, attempts: 2 });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('an error without error_code or description is a bad_request, not a crash', async () => {
    answer = { status: 400, body: { ok: false } };
    await expect(client.sendPlain(1, 'x')).rejects.toMatchObject({ name: 'TelegramApiError', kind: 'bad_request', code: null });
  });

  it('a 429 whose retry_after is not a number waits a second and tries again', async () => {
    answer = { status: 429, body: { ok: false, error_code: 429, parameters: { retry_after: 'soon' } } };
    const started = Date.now();
    await expect(client.sendPlain(1, 'x')).rejects.toMatchObject({ kind: 'rate_limited', code: 429 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('a success without a message_id is a broken answer, typed, not a message', async () => {
    answer = { status: 200, body: { ok: true, result: true } };
    await expect(client.sendPlain(1, 'x')).rejects.toMatchObject({ name: 'TelegramApiError', kind: 'server' });
    answer = { status: 200, body: { ok: true } };
    await expect(client.createForumTopic(-100, 'topic')).rejects.toMatchObject({ kind: 'server' });
    await expect(client.memberStatus(-100, 5)).resolves.toBe('unknown');
    await expect(client.isForum(-100)).resolves.toBe(false);
    await expect(client.getUpdates(0, 0, [])).resolves.toEqual([]);
  });
});
