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

/** The tool that lets the model hand off by itself, in the same call. */
export const TRANSFER_TOOL: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'transfer_to_human',
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
    let completion: OpenAI.Chat.Completions.ChatCompletion;
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
    const message = completion.choices[0]?.message;
    const call = message?.tool_calls?.find((c) => c.type === 'function' && c.function.name === 'transfer_to_human');
    if (call && call.type === 'function') {
      let reason = 'transfer_to_human';
      try {
        const args = JSON.parse(call.function.arguments || '{}') as { reason?: unknown };
        if (typeof args.reason === 'string' && args.reason.trim()) reason = args.reason.trim().slice(0, 60);
      } catch {
        // A malformed argument string still means "transfer"; keep the generic reason.
      }
      return { kind: 'transfer', reason: reason.replace(/[^\w-]+/g, '_').toLowerCase(), text: message?.content ?? undefined };
    }
    const text = message?.content?.trim();
    if (!text) throw new LlmError('LLM_EMPTY', null, 'the model returned no text');
    return { kind: 'reply', text };
  }
}
