import OpenAI from 'openai';
import { FAKE_MODEL_ID, FakeOpenAI } from '../fakes/fake-openai';

describe('FakeOpenAI answers like the Chat Completions API', () => {
  let llm: FakeOpenAI;
  let client: OpenAI;

  beforeAll(async () => {
    llm = await FakeOpenAI.start();
    client = new OpenAI({ baseURL: llm.baseURL, apiKey: 'test-key', maxRetries: 0, timeout: 2000 });
  });
  afterEach(() => llm.reset());
  afterAll(() => llm.close());

  it('echoes the last user message by default, echoing the model, and records the request', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'Привет' },
      ],
    });

    expect(completion).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-test',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Ответ: Привет' } }],
      usage: { total_tokens: expect.any(Number) },
    });
    const [request] = await llm.waitForRequests(1);
    expect(request?.body.messages[1].content).toBe('Привет');
    expect(request?.headers.authorization).toBe('Bearer test-key');
  });

  it('uses queued replies first, then the responder', async () => {
    llm.enqueue({ text: 'first' });
    llm.setResponder(() => ({ text: 'from responder' }));
    const ask = async (): Promise<string | null> =>
      (await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }] })).choices[0]?.message
        .content ?? null;
    expect(await ask()).toBe('first');
    expect(await ask()).toBe('from responder');
  });

  it('answers a tool call with its arguments as a JSON string', async () => {
    llm.enqueue({ toolCall: { name: 'handoff_to_human', arguments: { reason: 'asked for a person' } } });
    const completion = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'Позовите человека' }],
      tools: [{ type: 'function', function: { name: 'handoff_to_human', parameters: { type: 'object', properties: {} } } }],
    });

    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('expected a function tool call');
    expect(call.function.name).toBe('handoff_to_human');
    expect(JSON.parse(call.function.arguments)).toEqual({ reason: 'asked for a person' });
    expect(llm.requests[0]?.body.tools).toHaveLength(1);
  });

  it('streams an answer in several chunks that add up to the text', async () => {
    llm.enqueue({ text: 'Добрый день, чем могу помочь?' });
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const pieces: string[] = [];
    let finish: string | null | undefined;
    let usage: unknown;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      const choice = chunk.choices[0];
      if (choice?.delta.content) pieces.push(choice.delta.content);
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe('Добрый день, чем могу помочь?');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ total_tokens: expect.any(Number) });
  });

  it('streams a tool call that the SDK stream helper assembles', async () => {
    llm.enqueue({ toolCall: { name: 'lookup_order', arguments: { id: 'A-17' } }, text: 'Проверяю' });
    const stream = client.chat.completions.stream({
      model: 'm',
      messages: [{ role: 'user', content: 'where is my order' }],
      tools: [{ type: 'function', function: { name: 'lookup_order', parameters: { type: 'object', properties: {} } } }],
    });
    const final = await stream.finalChatCompletion();
    const message = final.choices[0]?.message;
    expect(message?.content).toBe('Проверяю');
    const call = message?.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('expected a function tool call');
    expect(call.function.name).toBe('lookup_order');
    expect(JSON.parse(call.function.arguments)).toEqual({ id: 'A-17' });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('answers an error reply as an APIError with that status and OpenAI error shape', async () => {
    llm.enqueue({ status: 500, message: 'boom' });
    const error = await client.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: 'q' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(500);
    expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ message: 'boom', type: 'server_error' });
  });

  it('hangs when told to, so the client times out', async () => {
    llm.enqueue({ hang: true });
    const impatient = new OpenAI({ baseURL: llm.baseURL, apiKey: 'test-key', maxRetries: 0, timeout: 200 });
    const started = Date.now();
    // Under plain Node this is an APIConnectionTimeoutError. Under Jest the SDK sees the abort's
    // DOMException from another realm (`instanceof Error` is false), loses its name and throws the
    // parent class APIConnectionError: so assert the parent class here.
    await expect(
      impatient.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }] }),
    ).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('refuses a tool message that answers no tool call, as the real API does', async () => {
    await expect(
      client.chat.completions.create({
        model: 'm',
        messages: [
          { role: 'user', content: 'q' },
          { role: 'tool', tool_call_id: 'call_1', content: '{}' },
        ],
      }),
    ).rejects.toMatchObject({ status: 400, param: 'messages.[1].role' });
  });

  it('requires a bearer key and lists one model', async () => {
    const res = await fetch(`${llm.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'q' }] }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });

    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual([FAKE_MODEL_ID]);
  });
});

describe('FakeOpenAI.close', () => {
  it('drops a hanging request so close() does not wait for it', async () => {
    const llm = await FakeOpenAI.start();
    llm.setResponder(() => ({ hang: true }));
    const client = new OpenAI({ baseURL: llm.baseURL, apiKey: 'k', maxRetries: 0, timeout: 10_000 });
    const pending = client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }] });
    await llm.waitForRequests(1);
    await llm.close();
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });
});
