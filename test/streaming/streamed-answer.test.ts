/**
 * The blocks together, as the effect runner will use them, over real HTTP: the openai SDK streams
 * from the fake OpenAI (at a set pace), the draft streamer turns the text into drafts, the real
 * TelegramClient (telegraf) sends them to the fake Bot API, which limits drafts per chat the way
 * Telegram does. The final answer is sent with sendMessage, as the runner does today.
 */
import { OpenAiLlm, type LlmRequest, type StreamedAnswer } from '../../src/adapters/llm/openai.llm';
import { TelegramClient } from '../../src/adapters/telegram/telegram.client';
import { draftIdFor } from '../../src/streaming/draft.id';
import { DraftStreamer, type DraftPace } from '../../src/streaming/draft.streamer';
import { formatForTelegram } from '../../src/text';
import { FakeOpenAI } from '../fakes/fake-openai';
import { FakeTelegram } from '../fakes/fake-telegram';

const TOKEN = '123456:TEST-TOKEN';
const ALICE = 1001;
const question: LlmRequest = { system: 'You are a support bot.', history: [{ role: 'user', content: 'Расскажите подробно' }] };

/** About `chars` characters of an answer, in words. */
function longAnswer(chars: number): string {
  const words: string[] = [];
  for (let i = 0; words.join(' ').length < chars; i += 1) words.push(i % 12 === 11 ? `пункт${i}.` : `слово${i}`);
  return words.join(' ');
}

describe('an answer streamed into drafts, end to end over HTTP', () => {
  let tg: FakeTelegram;
  let fake: FakeOpenAI;
  let telegram: TelegramClient;
  let llm: OpenAiLlm;

  beforeAll(async () => {
    tg = await FakeTelegram.start({ token: TOKEN });
    fake = await FakeOpenAI.start();
    telegram = TelegramClient.create({ token: TOKEN, apiRoot: tg.apiRoot });
    llm = OpenAiLlm.create({ apiKey: 'k', baseURL: fake.baseURL, model: 'm', timeoutMs: 5000, maxRetries: 0 });
  });
  beforeEach(() => {
    // Telegram's documented pace: about one message a second per chat, short bursts allowed.
    tg.limitDrafts({ minIntervalMs: 1000, burst: 2, retryAfter: 3 });
  });
  afterEach(() => {
    tg.reset();
    fake.reset();
  });
  afterAll(async () => {
    await tg.close();
    await fake.close();
  });

  /** What the runner will do: stream into drafts, then send the answer. */
  async function answer(
    draftId: number,
    options: { signal?: AbortSignal; pace?: Partial<DraftPace>; onText?: (text: string) => void } = {},
  ): Promise<{ result: StreamedAnswer; firstTextAt?: number; streamer: DraftStreamer }> {
    const streamer = DraftStreamer.start({ port: telegram, chatId: ALICE, draftId, pace: options.pace });
    let firstTextAt: number | undefined;
    const result = await llm.stream(question, options.signal, (text) => {
      firstTextAt ??= Date.now();
      streamer.update(text);
      options.onText?.(text);
    });
    await streamer.stop();
    const text = result.kind === 'transfer' ? (result.text ?? '') : result.text;
    for (const chunk of formatForTelegram(text)) await telegram.sendHtml(ALICE, chunk.html);
    return { result, firstTextAt, streamer };
  }

  it('a 2,000-character answer written over about 2.5 s shows growing drafts, then one message with the same text', async () => {
    const text = longAnswer(2000);
    fake.setStreamPace({ firstTokenMs: 300, tokensPerSecond: 100 });
    fake.enqueue({ text });
    const started = Date.now();

    const { result, firstTextAt, streamer } = await answer(draftIdFor(101));

    expect(result).toEqual({ kind: 'reply', text });
    const drafts = tg.draftsTo(ALICE);
    expect(drafts[0]).toMatchObject({ text: '', draftId: draftIdFor(101), canStop: true, keepOnStop: true });
    // The empty draft goes before the model's first token (300 ms in) ...
    expect((drafts[0]?.at ?? 0) - started).toBeLessThan(250);
    // ... and the first words show when the model writes them, not a draft interval (1 s) later.
    expect((drafts[1]?.at ?? 0) - (firstTextAt ?? 0)).toBeLessThan(500);
    for (let i = 2; i < drafts.length; i += 1) {
      expect(drafts[i]?.text.startsWith(drafts[i - 1]?.text ?? '')).toBe(true);
      expect((drafts[i]?.at ?? 0) - (drafts[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(990);
    }
    expect(drafts.length).toBeGreaterThanOrEqual(3);
    expect(drafts.length).toBeLessThanOrEqual(5);
    // Telegram accepted every draft: the pace is within its limit.
    expect(tg.calls.filter((c) => c.failedWith !== undefined)).toEqual([]);
    expect(streamer.stats()).toMatchObject({ mode: 'drafts', rateLimited: 0, failed: 0 });
    // One message, with exactly the streamed text; the preview is gone.
    expect(tg.textsTo(ALICE)).toEqual([text]);
    expect(tg.visibleDraft(ALICE)).toBeUndefined();
  });

  it('the user stops it after the first words: the text so far is the answer and the LLM request is aborted', async () => {
    fake.setStreamPace({ firstTokenMs: 100, tokensPerSecond: 50 });
    fake.enqueue({ text: longAnswer(1500) });
    const stop = new AbortController();
    let updates = 0;

    const { result } = await answer(draftIdFor(102), {
      signal: stop.signal,
      onText: () => {
        updates += 1;
        if (updates === 10) stop.abort(); // what a stopped_message_generation update will do
      },
    });

    expect(result.kind).toBe('stopped');
    const kept = result.kind === 'stopped' ? result.text : '';
    expect(kept.split(' ')).toHaveLength(10);
    expect(await fake.waitForStreamEnd(0)).toBe('client');
    expect(tg.textsTo(ALICE)).toEqual([kept]);
  });

  it('a streamer faster than Telegram allows gets 429s, skips them without retrying, and still shows the latest text', async () => {
    tg.limitDrafts({ minIntervalMs: 400, burst: 1, retryAfter: 1 });
    const text = longAnswer(600);
    fake.setStreamPace({ tokensPerSecond: 60 });
    fake.enqueue({ text });

    const { streamer } = await answer(draftIdFor(103), { pace: { intervalMs: 250, maxIntervalMs: 250 } });

    const calls = tg.calls.filter((c) => c.method === 'sendMessageDraft');
    const limited = calls.filter((c) => c.failedWith === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(streamer.stats().rateLimited).toBe(limited.length);
    // After each 429 nothing is sent to the chat until retry_after (1 s) has passed.
    for (const refused of limited) {
      const next = calls.find((c) => c.at > refused.at);
      if (next !== undefined) expect(next.at - refused.at).toBeGreaterThanOrEqual(990);
    }
    expect(tg.textsTo(ALICE)).toEqual([text]);
  });

  it('drafts refused by an old Bot API server: "typing…" instead, and the answer still arrives', async () => {
    tg.refuseDrafts('method_not_found');
    const text = longAnswer(800);
    fake.setStreamPace({ firstTokenMs: 200, tokensPerSecond: 100 });
    fake.enqueue({ text });

    const { result, streamer } = await answer(draftIdFor(104));

    expect(result).toEqual({ kind: 'reply', text });
    expect(tg.calls.filter((c) => c.method === 'sendMessageDraft').map((c) => c.failedWith)).toEqual([404]);
    expect(tg.callsTo('sendChatAction').length).toBeGreaterThanOrEqual(1);
    expect(streamer.stats().mode).toBe('typing');
    expect(tg.textsTo(ALICE)).toEqual([text]);
  });

  it('a transfer_to_human call after some text hands off, with the text kept', async () => {
    fake.enqueue({ text: 'Это решит оператор, передаю.', toolCall: { name: 'transfer_to_human', arguments: { reason: 'refund' } } });

    const { result } = await answer(draftIdFor(105));

    expect(result).toEqual({ kind: 'transfer', reason: 'refund', text: 'Это решит оператор, передаю.' });
    // The drafts showed the words before the call (the stream ended before a second draft was due).
    const shown = tg.draftsTo(ALICE).map((d) => d.text);
    expect(shown.length).toBeGreaterThanOrEqual(2);
    for (const text of shown) expect('Это решит оператор, передаю.'.startsWith(text)).toBe(true);
  });
});
