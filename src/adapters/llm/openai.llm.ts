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
  /** `false`: no tools are offered (a ticket's brief), the model only writes text. Default: the transfer tool. */
  tools?: false;
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
          ...(request.tools === false ? {} : { tools: [TRANSFER_TOOL], tool_choice: 'auto' as const }),
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

  // ---- streaming (issue 11) ----

  /** Until when (ms since epoch) {@link OpenAiLlm.stream} goes straight to `complete`: the server refused to stream. */
  private streamingRefusedUntil = 0;

  /**
   * Asks the model like {@link OpenAiLlm.complete}, with `stream: true`, and calls
   * `onText(textSoFar)` each time the answer's text grows (the whole text so far, not the
   * delta). Tool calls are assembled from their deltas: a `transfer_to_human` call that arrives
   * after some text still gives `{ kind: 'transfer', reason, text }`, the text kept.
   *
   * - **Stopped:** when `signal` aborts (the user pressed Stop, or an operator took over), the
   *   HTTP request is aborted and the promise resolves `{ kind: 'stopped', text }` with the text
   *   written so far ('' if none): the caller decides whether to keep it.
   * - **Broken:** a stream that ends before its `finish_reason` (connection reset, a proxy cutting
   *   it) rejects with `LlmError('LLM_UNAVAILABLE')`, never half an answer; one with no data for
   *   the client's timeout (`OPENAI_TIMEOUT_MS`) rejects with `LLM_TIMEOUT`.
   * - **No streaming:** a server that refuses it (400, 404, 405, 415, 422 or 501, or a 200 that is
   *   not `text/event-stream`) is asked again with {@link OpenAiLlm.complete}, and `onText` is not
   *   called. A 405, 501 or non-SSE answer is remembered for {@link STREAM_REFUSAL_MEMORY_MS}, so
   *   later answers skip the refused request.
   *
   * Retries before the first byte are the SDK's own, as for `complete`; a stream that broke is not
   * retried here (the caller's retry policy decides). `onText` must not throw: an error it throws
   * aborts the request and is rethrown as it is.
   *
   * @example const answer = await llm.stream(request, abort.signal, (text) => drafts.update(text));
   */
  async stream(request: LlmRequest, signal: AbortSignal | undefined, onText: (textSoFar: string) => void): Promise<StreamedAnswer> {
    if (signal?.aborted) return { kind: 'stopped', text: '' };
    if (Date.now() < this.streamingRefusedUntil) return this.completeUnlessStopped(request, signal);
    const controller = new AbortController();
    const forward = (): void => controller.abort();
    signal?.addEventListener('abort', forward, { once: true });
    const answer = new StreamedAnswerBuilder();
    let idleTimer: NodeJS.Timeout | undefined;
    let idle = false;
    let callbackError: { error: unknown } | undefined;
    try {
      let opened: { data: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>; response: Response };
      try {
        opened = await this.client.chat.completions
          .create(
            {
              model: this.model,
              messages: [{ role: 'system', content: request.system }, ...request.history],
              tools: [TRANSFER_TOOL],
              tool_choice: 'auto',
              stream: true,
            },
            { signal: controller.signal },
          )
          .withResponse();
      } catch (error) {
        if (signal?.aborted) return { kind: 'stopped', text: '' };
        const refusal = streamingRefusal(error);
        if (refusal === undefined) throw toLlmError(error);
        if (refusal === 'remember') this.streamingRefusedUntil = Date.now() + STREAM_REFUSAL_MEMORY_MS;
        return this.completeUnlessStopped(request, signal);
      }
      if (!(opened.response.headers.get('content-type') ?? '').includes('text/event-stream')) {
        // A server that ignores `stream` answered in one piece: that is the answer (or its error).
        this.streamingRefusedUntil = Date.now() + STREAM_REFUSAL_MEMORY_MS;
        let body: unknown;
        try {
          body = await opened.response.json();
        } catch (error) {
          if (signal?.aborted) return { kind: 'stopped', text: '' };
          throw new LlmError('LLM_UNAVAILABLE', opened.response.status, `the answer was neither a stream nor JSON: ${detailOf(error)}`);
        }
        return answerOf(body);
      }

      const idleMs = this.client.timeout;
      const arm = (): void => {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => {
          idle = true;
          controller.abort();
        }, idleMs);
      };
      arm();
      try {
        for await (const chunk of opened.data) {
          arm();
          if (!answer.add(chunk)) continue;
          try {
            onText(answer.text);
          } catch (error) {
            callbackError = { error };
            controller.abort();
            break;
          }
        }
      } catch (error) {
        // The SDK ends the iteration quietly on an abort, or throws it (another realm's
        // AbortError under jest): either way an abort is told apart below, by who aborted.
        if (!controller.signal.aborted) {
          throw new LlmError('LLM_UNAVAILABLE', null, `the stream broke off after ${answer.text.length} characters: ${detailOf(error)}`);
        }
      }
      if (callbackError !== undefined) throw callbackError.error;
      if (signal?.aborted) return { kind: 'stopped', text: answer.text.trim() };
      if (idle) throw new LlmError('LLM_TIMEOUT', null, `the stream sent nothing for ${idleMs} ms`);
      return answer.finish();
    } finally {
      clearTimeout(idleTimer);
      signal?.removeEventListener('abort', forward);
    }
  }

  /** The one-shot fallback of {@link OpenAiLlm.stream}; an abort during it is a stop with no text. */
  private async completeUnlessStopped(request: LlmRequest, signal: AbortSignal | undefined): Promise<StreamedAnswer> {
    try {
      return await this.complete(request, signal);
    } catch (error) {
      if (signal?.aborted) return { kind: 'stopped', text: '' };
      throw error;
    }
  }
}

/**
 * What {@link OpenAiLlm.stream} ends with: the model's answer as {@link OpenAiLlm.complete} gives
 * it, or `stopped`: the caller's signal aborted the stream, `text` is what was written until then
 * (trimmed; '' when nothing was).
 */
export type StreamedAnswer = LlmAnswer | { kind: 'stopped'; text: string };

/**
 * How long a server's refusal to stream is remembered (10 minutes): meanwhile answers are asked
 * for in one request, without first trying a stream the server refuses.
 */
export const STREAM_REFUSAL_MEMORY_MS = 10 * 60_000;

/**
 * Adds up the chunks of a streamed completion (choice 0): the text, and the tool calls by their
 * `index` (id and name come first, the arguments in pieces after).
 */
class StreamedAnswerBuilder {
  text = '';
  private finishReason: string | null = null;
  private readonly calls = new Map<number, { name: string; arguments: string }>();

  /** Takes one chunk; true when the text grew. */
  add(chunk: OpenAI.Chat.Completions.ChatCompletionChunk): boolean {
    const choice = chunk.choices.find((c) => c.index === 0);
    if (choice === undefined) return false; // the usage chunk, or another choice
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    for (const delta of choice.delta.tool_calls ?? []) {
      const call = this.calls.get(delta.index) ?? { name: '', arguments: '' };
      if (delta.function?.name) call.name += delta.function.name;
      if (delta.function?.arguments) call.arguments += delta.function.arguments;
      this.calls.set(delta.index, call);
    }
    const piece = choice.delta.content;
    if (!piece) return false;
    this.text += piece;
    return true;
  }

  /** The answer, once the stream has ended. */
  finish(): LlmAnswer {
    if (this.finishReason === null) {
      throw new LlmError('LLM_UNAVAILABLE', null, `the stream ended after ${this.text.length} characters without a finish_reason`);
    }
    const transfer = [...this.calls.values()].find((call) => call.name === 'transfer_to_human');
    const text = this.text.trim();
    if (transfer !== undefined) return { kind: 'transfer', reason: transferReason(transfer.arguments), text: text || undefined };
    if (!text) throw new LlmError('LLM_EMPTY', null, 'the model returned no text');
    return { kind: 'reply', text };
  }
}

/**
 * The reason of a `transfer_to_human` call from its JSON arguments, as a short snake_case word
 * (at most 60 characters); malformed arguments still mean "transfer", with the generic reason.
 * The same rule as {@link OpenAiLlm.complete} applies inline.
 */
function transferReason(args: string): string {
  let reason = 'transfer_to_human';
  try {
    const parsed = JSON.parse(args || '{}') as { reason?: unknown };
    if (typeof parsed.reason === 'string' && parsed.reason.trim()) reason = parsed.reason.trim().slice(0, 60);
  } catch {
    // keep the generic reason
  }
  return reason.replace(/[^\w-]+/g, '_').toLowerCase();
}

/**
 * Whether an error opening a stream means "this server does not stream": `remember` for answers
 * that can only mean that (405, 501), `once` for those that may be about the request instead
 * (400, 404, 415, 422: the one-shot request shows which), undefined for anything else.
 */
function streamingRefusal(error: unknown): 'remember' | 'once' | undefined {
  if (!(error instanceof OpenAI.APIError) || error.status === undefined) return undefined;
  if (error.status === 405 || error.status === 501) return 'remember';
  if ([400, 404, 415, 422].includes(error.status)) return 'once';
  return undefined;
}

/** An SDK error as the adapter's typed {@link LlmError}, by the same rule as {@link OpenAiLlm.complete}. */
function toLlmError(error: unknown): LlmError {
  if (error instanceof LlmError) return error;
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new LlmError('LLM_TIMEOUT', null, 'timed out');
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const code = error.status >= 500 || error.status === 429 ? 'LLM_UNAVAILABLE' : 'LLM_REFUSED';
    return new LlmError(code, error.status, error.message.slice(0, 200));
  }
  return new LlmError('LLM_UNAVAILABLE', null, detailOf(error));
}

function detailOf(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : 'unknown error';
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
