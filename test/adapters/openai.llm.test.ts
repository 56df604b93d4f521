/**
 * The LLM adapter against OpenAI-compatible servers that stray from OpenAI's shapes: a 200 with
 * `{"error": …}`, `content` as an array of parts, a tool call without `type` or with its arguments
 * as an object, and text that comes with a tool call.
 */
import { LlmError, OpenAiLlm } from '../../src/adapters/llm/openai.llm';
import { FakeOpenAI } from '../fakes/fake-openai';

let ai: FakeOpenAI;
let llm: OpenAiLlm;
const ask = () => llm.complete({ system: 'be helpful', history: [{ role: 'user', content: 'hi' }] });
const completion = (message: Record<string, unknown>) => ({
  id: 'chatcmpl-x',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
});

beforeAll(async () => {
  ai = await FakeOpenAI.start();
  llm = OpenAiLlm.create({ apiKey: 'k', baseURL: ai.baseURL, model: 'gpt-4o-mini', timeoutMs: 2000, maxRetries: 0 });
});
afterEach(() => ai.reset());
afterAll(() => ai.close());

describe('an OpenAI-compatible server', () => {
  it('answering 200 with {"error": …} is an LLM error, not a TypeError', async () => {
    ai.enqueue({ raw: { error: { message: 'model overloaded', type: 'server_error' } } });
    const error = await ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect(error).toMatchObject({ code: 'LLM_UNAVAILABLE', status: 200 });
    ai.enqueue({ raw: { error: 'busy' } });
    await expect(ask()).rejects.toMatchObject({ code: 'LLM_UNAVAILABLE' });
  });

  it('sending content as an array of parts is read as its text', async () => {
    ai.enqueue({ raw: completion({ content: [{ type: 'text', text: 'Hello, ' }, { type: 'image_url', image_url: {} }, { type: 'text', text: 'Alice.' }] }) });
    await expect(ask()).resolves.toEqual({ kind: 'reply', text: 'Hello, Alice.' });
  });

  it('a tool call without `type`, with its arguments as an object, still hands off', async () => {
    ai.enqueue({ raw: completion({ content: null, tool_calls: [{ id: 'c1', function: { name: 'transfer_to_human', arguments: { reason: 'Refund Request' } } }] }) });
    await expect(ask()).resolves.toEqual({ kind: 'transfer', reason: 'refund_request' });
  });

  it('keeps the text that comes with a tool call', async () => {
    ai.enqueue({ toolCall: { name: 'transfer_to_human', arguments: { reason: 'user_request' } }, text: 'Let me get you a colleague.' });
    await expect(ask()).resolves.toEqual({ kind: 'transfer', reason: 'user_request', text: 'Let me get you a colleague.' });
  });

  it('no choices, or a body that is not JSON object at all, is an empty answer', async () => {
    ai.enqueue({ raw: { choices: [] } }, { raw: [1, 2, 3] }, { raw: completion({ content: [] }) });
    await expect(ask()).rejects.toMatchObject({ code: 'LLM_EMPTY' });
    await expect(ask()).rejects.toMatchObject({ code: 'LLM_EMPTY' });
    await expect(ask()).rejects.toMatchObject({ code: 'LLM_EMPTY' });
  });

  it('a refusal is what the user hears', async () => {
    ai.enqueue({ raw: completion({ content: null, refusal: 'I cannot help with that.' }) });
    await expect(ask()).resolves.toEqual({ kind: 'reply', text: 'I cannot help with that.' });
  });
});
