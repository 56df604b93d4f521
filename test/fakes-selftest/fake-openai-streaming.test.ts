import OpenAI from 'openai';
import { FakeOpenAI } from '../fakes/fake-openai';

/** Reads a streamed answer and notes when each text piece arrived. */
async function readStream(
  client: OpenAI,
  signal?: AbortSignal,
): Promise<{ pieces: Array<{ text: string; at: number }>; finish: string | null; error?: unknown }> {
  const pieces: Array<{ text: string; at: number }> = [];
  let finish: string | null = null;
  try {
    const stream = await client.chat.completions.create(
      { model: 'm', messages: [{ role: 'user', content: 'q' }], stream: true },
      { signal },
    );
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) pieces.push({ text: choice.delta.content, at: Date.now() });
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
  } catch (error) {
    return { pieces, finish, error };
  }
  return { pieces, finish };
}

describe('FakeOpenAI streams at a set pace, breaks and refuses on request', () => {
  let llm: FakeOpenAI;
  let client: OpenAI;

  beforeAll(async () => {
    llm = await FakeOpenAI.start();
    client = new OpenAI({ baseURL: llm.baseURL, apiKey: 'test-key', maxRetries: 0, timeout: 5000 });
  });
  afterEach(() => llm.reset());
  afterAll(() => llm.close());

  it('sends the first token after the set delay, then tokens at the set rate', async () => {
    llm.setStreamPace({ firstTokenMs: 150, tokensPerSecond: 50 });
    llm.enqueue({ text: 'one two three four five six' });
    const started = Date.now();
    const { pieces, finish } = await readStream(client);

    expect(pieces.map((p) => p.text).join('')).toBe('one two three four five six');
    expect(finish).toBe('stop');
    const first = pieces[0]?.at ?? 0;
    const last = pieces.at(-1)?.at ?? 0;
    expect(first - started).toBeGreaterThanOrEqual(140);
    // Five gaps of 20 ms.
    expect(last - first).toBeGreaterThanOrEqual(90);
    expect(llm.requests[0]?.stream).toEqual({ textPieces: 6, endedBy: 'done' });
  });

  it('breaks a stream halfway by resetting the connection', async () => {
    llm.setStreamPace({ breakAfterTokens: 2 });
    llm.enqueue({ text: 'one two three four' });
    const { pieces, finish, error } = await readStream(client);

    expect(pieces.map((p) => p.text)).toEqual(['one ', 'two ']);
    expect(finish).toBeNull();
    expect(error).toBeDefined();
    expect(await llm.waitForStreamEnd(0)).toBe('broken');
  });

  it('breaks a stream halfway by ending it cleanly without a finish_reason', async () => {
    llm.setStreamPace({ breakAfterTokens: 1, breakHow: 'end' });
    llm.enqueue({ text: 'one two' });
    const { pieces, finish, error } = await readStream(client);

    expect(pieces.map((p) => p.text)).toEqual(['one ']);
    expect(finish).toBeNull();
    expect(error).toBeUndefined();
  });

  it('streams text, then a tool call', async () => {
    llm.enqueue({ text: 'Сейчас позову', toolCall: { name: 'transfer_to_human', arguments: { reason: 'refund' } } });
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }], stream: true });
    const order: string[] = [];
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta;
      if (delta?.content) order.push('text');
      if (delta?.tool_calls && order.at(-1) !== 'tool') order.push('tool');
    }
    expect(order).toEqual(['text', 'text', 'tool']);
  });

  it('records that the client went away when it aborts mid-stream', async () => {
    llm.setStreamPace({ tokensPerSecond: 20 });
    llm.enqueue({ text: 'a b c d e f g h i j k l' });
    const abort = new AbortController();
    const reading = readStream(client, abort.signal);
    await new Promise((resolve) => setTimeout(resolve, 120));
    abort.abort();
    const { pieces } = await reading;

    expect(await llm.waitForStreamEnd(0)).toBe('client');
    expect(pieces.length).toBeLessThan(12);
    expect(llm.requests[0]?.stream?.textPieces).toBeLessThan(12);
  });

  it('refuses streaming with an error status, and still answers requests without stream', async () => {
    llm.refuseStreaming({ status: 501, message: 'streaming is not supported' });
    const { error } = await readStream(client);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(501);

    const completion = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }] });
    expect(completion.choices[0]?.message.content).toBe('Ответ: q');
  });

  it('ignores stream: true and answers JSON when told to, as a server without streaming', async () => {
    llm.refuseStreaming('json');
    const response = await fetch(`${llm.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'q' }], stream: true }),
    });
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'Ответ: q' } }] });
  });
});
