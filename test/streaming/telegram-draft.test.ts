/**
 * Drafts through the real TelegramClient (telegraf) against the fake Bot API: what a draft sends,
 * and that every failure is an outcome the streamer acts on, never a retry.
 */
import { draftOutcomeOf } from '../../src/adapters/telegram/draft.outcome';
import { TelegramClient } from '../../src/adapters/telegram/telegram.client';
import { FakeTelegram } from '../fakes/fake-telegram';

const TOKEN = '123456:TEST-TOKEN';
const ALICE = 1001;
const OPERATORS = -100500;

describe('a draft of an answer', () => {
  let tg: FakeTelegram;
  let telegram: TelegramClient;
  const errors: Array<[string, number | 'network']> = [];

  beforeAll(async () => {
    tg = await FakeTelegram.start({ token: TOKEN });
    telegram = TelegramClient.create({ token: TOKEN, apiRoot: tg.apiRoot, onError: (method, code) => errors.push([method, code]) });
  });
  afterEach(() => {
    tg.reset();
    errors.length = 0;
  });
  afterAll(() => tg.close());

  it('shows "Thinking…", then the text, with a Stop button', async () => {
    expect(await telegram.sendDraft(ALICE, 42, '', { canStop: true })).toEqual({ kind: 'sent' });
    expect(await telegram.sendDraft(ALICE, 42, '<b>Шаг 1.</b> Откройте', { canStop: true, keepOnStop: true, parseMode: 'HTML' })).toEqual({
      kind: 'sent',
    });

    expect(tg.draftsTo(ALICE)).toEqual([
      { at: expect.any(Number), draftId: 42, text: '', canStop: true, keepOnStop: false },
      { at: expect.any(Number), draftId: 42, text: 'Шаг 1. Откройте', parseMode: 'HTML', canStop: true, keepOnStop: true },
    ]);
    expect(tg.callsTo('sendMessageDraft')[0]?.params).toEqual({ chat_id: ALICE, draft_id: 42, text: '', can_stop: true });
  });

  it('sends a plain draft without Stop button fields, and into a thread when given one', async () => {
    await telegram.sendDraft(ALICE, 1, 'plain', { keepOnStop: true, threadId: 9 });
    expect(tg.callsTo('sendMessageDraft')[0]?.params).toEqual({ chat_id: ALICE, draft_id: 1, text: 'plain', message_thread_id: 9 });
  });

  it('skips a draft that gets 429, once, with its retry_after: no retry, no wait', async () => {
    tg.failNext('sendMessageDraft', { status: 429, retryAfter: 7 });
    const started = Date.now();

    expect(await telegram.sendDraft(ALICE, 1, 'text')).toEqual({ kind: 'skipped', reason: 'rate_limited', retryAfter: 7 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(tg.calls.filter((c) => c.method === 'sendMessageDraft')).toHaveLength(1);
    expect(errors).toEqual([['sendMessageDraft', 429]]);
  });

  it('skips a draft on a server error, without the retries other calls get', async () => {
    tg.failNext('sendMessageDraft', { status: 502 });
    expect(await telegram.sendDraft(ALICE, 1, 'text')).toEqual({ kind: 'skipped', reason: 'failed', code: 502 });
    expect(tg.calls).toHaveLength(1);
  });

  it('says "unsupported" on an old Bot API server and in a chat without drafts', async () => {
    tg.refuseDrafts('method_not_found');
    expect(await telegram.sendDraft(ALICE, 1, '')).toEqual({ kind: 'unsupported', description: 'Not Found: method not found' });
    tg.refuseDrafts(undefined);
    expect(await telegram.sendDraft(OPERATORS, 1, '')).toEqual({ kind: 'unsupported', description: 'Bad Request: TEXTDRAFT_PEER_INVALID' });
  });

  it('says "parse_error" when the HTML is refused, and "blocked" for a user who blocked the bot', async () => {
    expect(await telegram.sendDraft(ALICE, 1, '<b>open', { parseMode: 'HTML' })).toEqual({ kind: 'parse_error' });
    tg.blockBy(ALICE);
    expect(await telegram.sendDraft(ALICE, 1, 'text')).toEqual({ kind: 'blocked' });
  });

  it('skips a draft that cannot reach the server, as a network failure', async () => {
    const nowhere = TelegramClient.create({ token: TOKEN, apiRoot: 'http://127.0.0.1:9' });
    expect(await nowhere.sendDraft(ALICE, 1, 'text')).toEqual({ kind: 'skipped', reason: 'failed', code: null });
  });
});

describe('draftOutcomeOf reads refusals the fake does not make', () => {
  it.each([
    [400, 'Bad Request: method is available only for bots with forum topic mode enabled', 'unsupported'],
    [400, "Bad Request: can't find end of the entity starting at byte offset 3", 'parse_error'],
    [400, 'Bad Request: message is too long', 'skipped'],
    [429, 'Too Many Requests: retry after 2', 'skipped'],
    [500, 'Internal Server Error', 'skipped'],
  ])('%i %s → %s', (code, description, kind) => {
    expect(draftOutcomeOf(code, description).kind).toBe(kind);
  });

  it('waits 1 s after a 429 without retry_after', () => {
    expect(draftOutcomeOf(429, 'Too Many Requests')).toEqual({ kind: 'skipped', reason: 'rate_limited', retryAfter: 1 });
  });
});
