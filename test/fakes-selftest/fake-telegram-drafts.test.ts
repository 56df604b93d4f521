import { Telegram, TelegramError } from 'telegraf';
import { DRAFT_PREVIEW_MS, FakeTelegram } from '../fakes/fake-telegram';
import { UpdateFactory } from '../fakes/updates';

const TOKEN = '123456:TEST-TOKEN';
const ALICE = 1001;
const OPERATORS = -100500;

/** `sendMessageDraft` through telegraf's `callApi`, as the service calls methods newer than telegraf. */
function sendDraft(telegram: Telegram, params: Record<string, unknown>): Promise<unknown> {
  const callApi = telegram.callApi.bind(telegram) as unknown as (method: string, payload: Record<string, unknown>) => Promise<unknown>;
  return callApi('sendMessageDraft', params);
}

async function refusal(promise: Promise<unknown>): Promise<TelegramError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TelegramError)) throw new Error(`expected a TelegramError, got ${String(error)}`);
  return error;
}

describe('FakeTelegram shows drafts like Telegram', () => {
  let tg: FakeTelegram;
  let telegram: Telegram;

  beforeAll(async () => {
    tg = await FakeTelegram.start({ token: TOKEN });
    telegram = new Telegram(TOKEN, { apiRoot: tg.apiRoot, webhookReply: false });
  });
  afterEach(() => tg.reset());
  afterAll(() => tg.close());

  it('records each draft with its time, id, visible text and Stop button', async () => {
    const before = Date.now();
    expect(await sendDraft(telegram, { chat_id: ALICE, draft_id: 7, text: '', can_stop: true })).toBe(true);
    await sendDraft(telegram, { chat_id: ALICE, draft_id: 7, text: '<b>Добрый</b> день', parse_mode: 'HTML', can_stop: true, keep_on_stop: true });

    const drafts = tg.draftsTo(ALICE);
    expect(drafts).toEqual([
      { at: expect.any(Number), draftId: 7, text: '', canStop: true, keepOnStop: false },
      { at: expect.any(Number), draftId: 7, text: 'Добрый день', parseMode: 'HTML', canStop: true, keepOnStop: true },
    ]);
    expect(drafts[0]?.at).toBeGreaterThanOrEqual(before);
    expect(drafts[1]?.at).toBeGreaterThanOrEqual(drafts[0]?.at ?? 0);
  });

  it('shows the last draft until the answer is sent or 30 seconds pass', async () => {
    await sendDraft(telegram, { chat_id: ALICE, draft_id: 3, text: 'Пишу…' });
    expect(tg.visibleDraft(ALICE)?.text).toBe('Пишу…');
    expect(tg.visibleDraft(ALICE, Date.now() + DRAFT_PREVIEW_MS + 1)).toBeUndefined();

    await telegram.sendMessage(ALICE, 'Пишу ответ целиком');
    expect(tg.visibleDraft(ALICE)).toBeUndefined();
  });

  it('refuses drafts outside private chats, with a zero draft_id, or too long', async () => {
    expect(await refusal(sendDraft(telegram, { chat_id: OPERATORS, draft_id: 1, text: 'x' }))).toMatchObject({
      code: 400,
      description: 'Bad Request: TEXTDRAFT_PEER_INVALID',
    });
    expect((await refusal(sendDraft(telegram, { chat_id: ALICE, draft_id: 0, text: 'x' }))).code).toBe(400);
    expect((await refusal(sendDraft(telegram, { chat_id: ALICE, draft_id: 1, text: 'x'.repeat(4097) }))).description).toBe(
      'Bad Request: message is too long',
    );
    expect(tg.draftsTo(ALICE)).toEqual([]);
    expect(tg.calls.map((c) => c.failedWith)).toEqual([400, 400, 400]);
  });

  it('refuses every draft like an old Bot API server, or like a chat without drafts', async () => {
    tg.refuseDrafts('method_not_found');
    expect(await refusal(sendDraft(telegram, { chat_id: ALICE, draft_id: 1, text: '' }))).toMatchObject({
      code: 404,
      description: 'Not Found: method not found',
    });
    tg.refuseDrafts('peer_invalid');
    expect((await refusal(sendDraft(telegram, { chat_id: ALICE, draft_id: 1, text: '' }))).description).toBe(
      'Bad Request: TEXTDRAFT_PEER_INVALID',
    );
    tg.refuseDrafts(undefined);
    expect(await sendDraft(telegram, { chat_id: ALICE, draft_id: 1, text: '' })).toBe(true);
  });

  it('answers 429 with retry_after to drafts sent to one chat faster than the limit', async () => {
    tg.limitDrafts({ minIntervalMs: 200, burst: 2, retryAfter: 3 });
    await sendDraft(telegram, { chat_id: ALICE, draft_id: 1, text: '' });
    await sendDraft(telegram, { chat_id: ALICE, draft_id: 1, text: 'a' });
    const limited = await refusal(sendDraft(telegram, { chat_id: ALICE, draft_id: 1, text: 'ab' }));
    expect(limited).toMatchObject({ code: 429, parameters: { retry_after: 3 } });
    // Another chat has its own bucket; other methods are not limited.
    await sendDraft(telegram, { chat_id: 1002, draft_id: 1, text: '' });
    await telegram.sendMessage(ALICE, 'answer');

    await new Promise((resolve) => setTimeout(resolve, 220));
    expect(await sendDraft(telegram, { chat_id: ALICE, draft_id: 1, text: 'abc' })).toBe(true);
    expect(tg.draftsTo(ALICE).map((d) => d.text)).toEqual(['', 'a', 'abc']);
  });

  it('builds the stopped_message_generation update a Stop press sends', () => {
    const updates = new UpdateFactory(40, tg);
    const alice = { id: ALICE, first_name: 'Alice' };
    expect(updates.stoppedGeneration(alice, 7)).toEqual({
      update_id: 40,
      stopped_message_generation: { chat: { id: ALICE, type: 'private', first_name: 'Alice' }, draft_id: 7 },
    });
    expect(updates.stoppedGeneration(alice, 8, 12).stopped_message_generation).toMatchObject({ message_thread_id: 12, draft_id: 8 });
  });
});
