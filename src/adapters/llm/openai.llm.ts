import OpenAI from 'openai';

/** One turn of the conversation given to the model. */
export interface LlmTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** What the model is asked. */
export interface LlmRequest {
  system: string;
  history: LlmTurn[];
}

/** What the model answered: text, or a decision to hand the dialog to a person (with its reason). */
export type LlmAnswer = { kind: 'reply'; text: string } | { kind: 'transfer'; reason: string; text?: string };

/** Why the model gave no answer. `code` is stable. */
export class LlmError extends Error {
  constructor(
    readonly code: 'LLM_TIMEOUT' | 'LLM_UNAVAILABLE' | 'LLM_REFUSED' | 'LLM_EMPTY',
    readonly status: number | null,
    detail: string,
  ) {
    super(`LLM request failed (${code}${status ? ` ${status}` : ''}): ${detail}`);
    this.name = 'LlmError';
  }
}

/** The name of {@link TRANSFER_TOOL}. */
export const TRANSFER_TOOL_NAME = 'transfer_to_human';

/** The tool that lets the model hand off by itself, in the same call. */
export const TRANSFER_TOOL: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: {
    name: TRANSFER_TOOL_NAME,
    description:
      'Hand the conversation to a human support operator. Call it when the user asks for a person, when the request needs account access, a refund, a complaint, a legal or safety matter, or when you cannot help.',
    parameters: {
      type: 'object',
      properties: {
        reason: {
          type: 'string',
          description: 'Short snake_case reason, e.g. user_request, refund, complaint, account_access, cannot_help',
        },
      },
      required: ['reason'],
      additionalProperties: false,
    },
  },
};

/**
 * The LLM port over the openai SDK: OpenAI itself or any OpenAI-compatible server (Ollama, vLLM,
 * llama.cpp) through `OPENAI_BASE_URL`. Retries are the SDK's own (`maxRetries`, with its
 * backoff for connection errors, 408, 409, 429 and 5xx); nothing here retries again.
 */
export class OpenAiLlm {
  private constructor(
    private readonly client: OpenAI,
    private readonly model: string,
  ) {}

  static create(options: { apiKey: string; baseURL: string; model: string; timeoutMs: number; maxRetries: number }): OpenAiLlm {
    const client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
    return new OpenAiLlm(client, options.model);
  }

  /** Asks the model; `signal` cancels the request (an operator took over). */
  async complete(request: LlmRequest, signal?: AbortSignal): Promise<LlmAnswer> {
    let completion: unknown;
    try {
      completion = await this.client.chat.completions.create(
        {
          model: this.model,
          messages: [{ role: 'system', content: request.system }, ...request.history],
          tools: [TRANSFER_TOOL],
          tool_choice: 'auto',
        },
        { signal },
      );
    } catch (error) {
      if (error instanceof OpenAI.APIConnectionTimeoutError) throw new LlmError('LLM_TIMEOUT', null, 'timed out');
      if (error instanceof OpenAI.APIError && error.status !== undefined) {
        const code = error.status >= 500 || error.status === 429 ? 'LLM_UNAVAILABLE' : 'LLM_REFUSED';
        throw new LlmError(code, error.status, error.message.slice(0, 200));
      }
      throw new LlmError('LLM_UNAVAILABLE', null, error instanceof Error ? error.message.slice(0, 200) : 'unknown error');
    }
    return answerOf(completion);
  }
}

/**
 * Reads a chat completion as it came, every field guarded: OpenAI-compatible servers differ from
 * the SDK's types. Some answer 200 with `{"error": {...}}`, some send `content` as an array of
 * parts (`[{type: "text", text}]`), some leave out a tool call's `type`, or send its `arguments`
 * as an object instead of a JSON string. Text that comes with the tool call is kept, so the user
 * hears it before the handoff.
 *
 * @throws LlmError LLM_UNAVAILABLE for an error body, LLM_EMPTY for no text and no tool call
 */
export function answerOf(completion: unknown): LlmAnswer {
  const body = record(completion);
  if (body.error !== undefined && body.choices === undefined) {
    const error = record(body.error);
    const detail = typeof error.message === 'string' ? error.message : typeof body.error === 'string' ? body.error : 'an error body';
    throw new LlmError('LLM_UNAVAILABLE', 200, `answered 200 with an error: ${detail.slice(0, 200)}`);
  }
  const choices = Array.isArray(body.choices) ? body.choices : [];
  const message = record(record(choices[0]).message);
  const text = textOf(message.content) || (typeof message.refusal === 'string' ? message.refusal.trim() : '');
  const calls: unknown[] = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  const legacy = message.function_call === undefined ? [] : [{ type: 'function', function: message.function_call }];
  const call = [...calls, ...legacy]
    .map(record)
    .find((c) => (c.type === undefined || c.type === 'function') && record(c.function).name === TRANSFER_TOOL_NAME);
  if (call) return { kind: 'transfer', reason: reasonOf(record(call.function).arguments), ...(text ? { text } : {}) };
  if (!text) throw new LlmError('LLM_EMPTY', null, 'the model returned no text');
  return { kind: 'reply', text };
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** `content` as a string, or the text parts of an array of parts, trimmed. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content.trim();
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => {
      if (typeof part === 'string') return part;
      const p = record(part);
      return (p.type === 'text' || p.type === 'output_text' || p.type === undefined) && typeof p.text === 'string' ? p.text : '';
    })
    .join('')
    .trim();
}

/** The tool's `reason` argument as a snake_case label; a malformed argument still means "transfer". */
function reasonOf(args: unknown): string {
  let parsed: unknown = args;
  if (typeof args === 'string') {
    try {
      parsed = JSON.parse(args || '{}');
    } catch {
      parsed = {};
    }
  }
  const reason = record(parsed).reason;
  const label = typeof reason === 'string' && reason.trim() ? reason.trim().slice(0, 60) : 'transfer_to_human';
  return label.replace(/[^\w-]+/g, '_').toLowerCase();
}
