/**
 * The streaming LLM call, as the bot uses it: the real openai SDK over HTTP against the fake
 * OpenAI server, which streams at a set pace, breaks streams, and refuses to stream on request.
 */
import { LlmError, OpenAiLlm, type LlmRequest } from '../../src/adapters/llm/openai.llm';
import { FakeOpenAI } from '../fakes/fake-openai';

const question: LlmRequest = { system: 'You are a support bot.', history: [{ role: 'user', content: 'Как вернуть заказ?' }] };

/** Collects what `onText` is given, with when. */
function recorder(): { seen: Array<{ text: string; at: number }>; onText: (text: string) => void } {
  const seen: Array<{ text: string; at: number }> = [];
  return { seen, onText: (text) => seen.push({ text, at: Date.now() }) };
}

async function rejection(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof LlmError)) throw new Error(`expected an LlmError, got ${String(error)}`);
  return error;
}

describe('a streamed LLM answer', () => {
  let fake: FakeOpenAI;
  let llm: OpenAiLlm;

  beforeAll(async () => {
    fake = await FakeOpenAI.start();
  });
  beforeEach(() => {
    // A fresh adapter per story: a refusal to stream is remembered per adapter.
    llm = OpenAiLlm.create({ apiKey: 'test-key', baseURL: fake.baseURL, model: 'gpt-test', timeoutMs: 5000, maxRetries: 0 });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  it('grows word by word while the model writes, and ends as the whole reply', async () => {
    const text = 'Чтобы вернуть заказ, откройте раздел «Заказы» и нажмите «Вернуть».';
    fake.enqueue({ text });
    const { seen, onText } = recorder();

    const answer = await llm.stream(question, undefined, onText);

    expect(answer).toEqual({ kind: 'reply', text });
    expect(seen.length).toBeGreaterThan(5);
    for (let i = 1; i < seen.length; i += 1) expect(seen[i]?.text.startsWith(seen[i - 1]?.text ?? '')).toBe(true);
    expect(seen.at(-1)?.text).toBe(text);
    expect(fake.requests[0]?.body).toMatchObject({ stream: true, tools: [{ function: { name: 'transfer_to_human' } }] });
  });

  it('shows the first words when the model writes them, not when it finishes', async () => {
    fake.setStreamPace({ firstTokenMs: 200, tokensPerSecond: 100 });
    fake.enqueue({ text: Array.from({ length: 40 }, (_, i) => `слово${i}`).join(' ') });
    const { seen, onText } = recorder();
    const started = Date.now();

    await llm.stream(question, undefined, onText);
    const finished = Date.now();

    expect((seen[0]?.at ?? 0) - started).toBeGreaterThanOrEqual(190);
    // 39 more words at 100/s: the first text comes about 0.4 s before the end.
    expect(finished - (seen[0]?.at ?? 0)).toBeGreaterThanOrEqual(300);
  });

  it('hands off when a transfer_to_human call arrives after some text, keeping the text', async () => {
    fake.enqueue({ text: 'Понимаю, возврат оформит оператор.', toolCall: { name: 'transfer_to_human', arguments: { reason: 'Refund request' } } });
    const { seen, onText } = recorder();

    const answer = await llm.stream(question, undefined, onText);

    expect(answer).toEqual({ kind: 'transfer', reason: 'refund_request', text: 'Понимаю, возврат оформит оператор.' });
    expect(seen.at(-1)?.text).toBe('Понимаю, возврат оформит оператор.');
  });

  it('hands off on a tool call without text, and ignores other tools', async () => {
    fake.enqueue({ toolCall: { name: 'transfer_to_human', arguments: {} } });
    expect(await llm.stream(question, undefined, () => undefined)).toEqual({ kind: 'transfer', reason: 'transfer_to_human', text: undefined });

    fake.enqueue({ text: 'Ищу заказ', toolCall: { name: 'lookup_order', arguments: { id: 1 } } });
    expect(await llm.stream(question, undefined, () => undefined)).toEqual({ kind: 'reply', text: 'Ищу заказ' });
  });

  it('fails with LLM_UNAVAILABLE, not half an answer, when the connection breaks halfway', async () => {
    fake.setStreamPace({ breakAfterTokens: 3 });
    fake.enqueue({ text: 'one two three four five six' });
    const { seen, onText } = recorder();

    const error = await rejection(llm.stream(question, undefined, onText));

    expect(error.code).toBe('LLM_UNAVAILABLE');
    expect(error.message).toContain('broke off');
    expect(seen.at(-1)?.text).toBe('one two three ');
  });

  it('fails with LLM_UNAVAILABLE when the stream ends cleanly but without a finish_reason', async () => {
    fake.setStreamPace({ breakAfterTokens: 2, breakHow: 'end' });
    fake.enqueue({ text: 'one two three' });

    const error = await rejection(llm.stream(question, undefined, () => undefined));

    expect(error.code).toBe('LLM_UNAVAILABLE');
    expect(error.message).toContain('without a finish_reason');
  });

  it('stops when the signal aborts: the text so far is kept and the HTTP request is aborted', async () => {
    fake.setStreamPace({ tokensPerSecond: 50 });
    fake.enqueue({ text: Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ') });
    const abort = new AbortController();
    const { seen, onText } = recorder();
    const onTextThenStop = (text: string): void => {
      onText(text);
      if (seen.length === 5) abort.abort();
    };

    const answer = await llm.stream(question, abort.signal, onTextThenStop);

    expect(answer).toEqual({ kind: 'stopped', text: 'w0 w1 w2 w3 w4' });
    expect(await fake.waitForStreamEnd(0)).toBe('client');
    expect(fake.requests[0]?.stream?.textPieces).toBeLessThan(100);
  });

  it('stops with no text when the signal aborts before the first word', async () => {
    fake.setStreamPace({ firstTokenMs: 2000 });
    fake.enqueue({ text: 'late' });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);

    expect(await llm.stream(question, abort.signal, () => undefined)).toEqual({ kind: 'stopped', text: '' });
    expect(await fake.waitForStreamEnd(0)).toBe('client');

    const aborted = new AbortController();
    aborted.abort();
    expect(await llm.stream(question, aborted.signal, () => undefined)).toEqual({ kind: 'stopped', text: '' });
    expect(fake.requests).toHaveLength(1);
  });

  it('times out with LLM_TIMEOUT when the stream goes silent longer than the timeout', async () => {
    const impatient = OpenAiLlm.create({ apiKey: 'k', baseURL: fake.baseURL, model: 'm', timeoutMs: 300, maxRetries: 0 });
    fake.setStreamPace({ firstTokenMs: 3000 });
    fake.enqueue({ text: 'too late' });

    const error = await rejection(impatient.stream(question, undefined, () => undefined));

    expect(error.code).toBe('LLM_TIMEOUT');
    expect(await fake.waitForStreamEnd(0)).toBe('client');
  });

  it('falls back to one request when the server refuses to stream (501), and remembers it', async () => {
    fake.refuseStreaming({ status: 501, message: 'stream is not implemented' });
    fake.enqueue({ text: 'Ответ одним куском' }, { text: 'И второй тоже' });
    const { seen, onText } = recorder();

    expect(await llm.stream(question, undefined, onText)).toEqual({ kind: 'reply', text: 'Ответ одним куском' });
    expect(seen).toEqual([]);
    expect(fake.requests.map((r) => r.body.stream)).toEqual([true, undefined]);

    expect(await llm.stream(question, undefined, onText)).toEqual({ kind: 'reply', text: 'И второй тоже' });
    expect(fake.requests.map((r) => r.body.stream)).toEqual([true, undefined, undefined]);
  });

  it('falls back once on a 400 to a stream, and tries streaming again next time', async () => {
    fake.refuseStreaming({ status: 400, message: "Unrecognized request argument supplied: stream" });
    fake.enqueue({ text: 'первый' });
    expect(await llm.stream(question, undefined, () => undefined)).toEqual({ kind: 'reply', text: 'первый' });

    fake.refuseStreaming(undefined);
    fake.enqueue({ text: 'второй' });
    expect(await llm.stream(question, undefined, () => undefined)).toEqual({ kind: 'reply', text: 'второй' });
    expect(fake.requests.map((r) => r.body.stream)).toEqual([true, undefined, true]);
  });

  it('takes a plain JSON answer to a stream request as the answer, and asks without a stream from then on', async () => {
    fake.refuseStreaming('json');
    fake.enqueue({ text: 'JSON вместо потока' }, { text: 'JSON снова' });

    // The JSON answer is the answer: no second request for it.
    expect(await llm.stream(question, undefined, () => undefined)).toEqual({ kind: 'reply', text: 'JSON вместо потока' });
    expect(fake.requests.map((r) => r.body.stream)).toEqual([true]);
    // The refusal to stream is remembered: the next answer is asked for in one request.
    expect(await llm.stream(question, undefined, () => undefined)).toEqual({ kind: 'reply', text: 'JSON снова' });
    expect(fake.requests.map((r) => r.body.stream)).toEqual([true, undefined]);
  });

  it('gives the typed errors of complete(): refused, unavailable, empty', async () => {
    fake.enqueue({ status: 401 });
    expect((await rejection(llm.stream(question, undefined, () => undefined))).code).toBe('LLM_REFUSED');
    fake.enqueue({ status: 503 });
    expect(await rejection(llm.stream(question, undefined, () => undefined))).toMatchObject({ code: 'LLM_UNAVAILABLE', status: 503 });
    fake.enqueue({ text: '' });
    expect((await rejection(llm.stream(question, undefined, () => undefined))).code).toBe('LLM_EMPTY');
  });

  it('rethrows an error of onText as it is, and aborts the request', async () => {
    fake.setStreamPace({ tokensPerSecond: 50 });
    fake.enqueue({ text: 'a b c d e f g h i j' });
    const bug = new Error('the caller has a bug');

    await expect(
      llm.stream(question, undefined, () => {
        throw bug;
      }),
    ).rejects.toBe(bug);
    expect(await fake.waitForStreamEnd(0)).toBe('client');
  });
});
