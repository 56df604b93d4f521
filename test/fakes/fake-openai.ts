/**
 * A fake OpenAI Chat Completions server for end-to-end tests: the service under test points
 * `OPENAI_BASE_URL` at {@link FakeOpenAI.baseURL} and the openai SDK talks to it as to
 * https://api.openai.com/v1. It records every request, answers what the test scripts (text,
 * a tool call, an error, or nothing at all), streams Server-Sent Events when asked to (at a set
 * pace, breaking off halfway if told to, or refusing to stream like a server without it), and
 * refuses malformed conversations the way the real API does (e.g. a `tool` message that
 * answers no `tool_calls`).
 *
 * @example
 * const llm = await FakeOpenAI.start();
 * llm.enqueue({ text: 'Здравствуйте!' }, { status: 500 });
 * // ... start the service with OPENAI_BASE_URL=llm.baseURL ...
 * const [first] = await llm.waitForRequests(1);
 * expect(first?.body.messages.at(-1).content).toBe('Привет');
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { closeServer, delay, isRecord, listenLocal, readBody, sendJson, Waiters } from './http-server';

/** How the fake answers one request. */
export type FakeReply =
  /** An assistant message, finish_reason 'stop'. */
  | { text: string }
  /** A call of one function tool (arguments are sent as a JSON string), finish_reason 'tool_calls'. */
  | { toolCall: { name: string; arguments: Record<string, unknown> }; text?: string }
  /** An error answer with OpenAI's shape `{ error: { message, type, param, code } }`. */
  | { status: number; message?: string }
  /** No answer at all, to exercise timeouts; the connection is dropped by `close()`. */
  | { hang: true }
  /**
   * Exactly this JSON body (status 200 unless given), for servers that stray from OpenAI's
   * shapes: `{ error: … }` with 200, `content` as an array of parts, a tool call without `type`.
   */
  | { raw: unknown; status?: number };

/** One request to `POST /v1/chat/completions` as the fake received it. */
export interface RecordedRequest {
  /**
   * The parsed JSON request (`model`, `messages`, `tools`, `stream`, ...). Typed `any` on
   * purpose: tests read into it freely (`body.messages.at(-1).content`), and it may be malformed.
   */
  body: any;
  headers: Record<string, string | string[] | undefined>;
  /** `Date.now()` when the request arrived. */
  at: number;
  /**
   * For an answer streamed as Server-Sent Events: how many text pieces went out, and how the
   * stream ended (`done`: `[DONE]` was written; `client`: the client went away first, e.g. it
   * aborted; `broken`: the fake broke it on purpose, see {@link FakeOpenAI.setStreamPace}).
   * `endedBy` stays undefined while the stream is under way.
   */
  stream?: { textPieces: number; endedBy?: 'done' | 'client' | 'broken' };
}

/**
 * The pace of streamed answers (requests with `stream: true`), set by {@link FakeOpenAI.setStreamPace}.
 * A "token" is one text piece: a word with its following whitespace.
 */
export interface StreamPace {
  /** Delay between the response headers (and the role chunk) and the first text piece; default 0. */
  firstTokenMs?: number;
  /** Text pieces per second after the first; default: as fast as the socket takes them. */
  tokensPerSecond?: number;
  /**
   * Breaks the stream after this many text pieces: `reset` (default) destroys the connection
   * (the client sees a network error), `end` ends the response cleanly with no finish_reason and
   * no `[DONE]`, as a proxy that cuts a long response would.
   */
  breakAfterTokens?: number;
  breakHow?: 'reset' | 'end';
}

/**
 * How the fake refuses `stream: true`, set by {@link FakeOpenAI.refuseStreaming}: an error
 * status (an OpenAI-compatible server that does not stream answers 400, 404 or 501), or `json`:
 * it ignores `stream` and answers one JSON completion, as some older local servers do.
 */
export type StreamRefusal = { status: number; message?: string } | 'json';

/** The model `GET /v1/models` lists. */
export const FAKE_MODEL_ID = 'gpt-4o-mini';

const DEFAULT_WAIT_MS = 5000;

/** The default answer: echoes the last user message, so a test can tell replies apart. */
export function echoLastUserMessage(req: RecordedRequest): FakeReply {
  const messages: unknown = isRecord(req.body) ? req.body.messages : undefined;
  const lastUser = Array.isArray(messages)
    ? [...messages].reverse().find((m): m is Record<string, unknown> => isRecord(m) && m.role === 'user')
    : undefined;
  return { text: `Ответ: ${contentText(lastUser?.content)}` };
}

/**
 * The fake server. Start one per test file with {@link FakeOpenAI.start}, call
 * {@link FakeOpenAI.reset} between tests and {@link FakeOpenAI.close} at the end.
 */
export class FakeOpenAI {
  /** Every chat completion request in arrival order, refused ones included. */
  readonly requests: RecordedRequest[] = [];

  private readonly waiters = new Waiters();
  private readonly timers = new Set<NodeJS.Timeout>();
  private queue: FakeReply[] = [];
  private responder: (req: RecordedRequest) => FakeReply | Promise<FakeReply> = echoLastUserMessage;
  private latencyMs = 0;
  private answered = 0;
  private streamPace: StreamPace = {};
  private streamRefusal: StreamRefusal | undefined;

  private constructor(
    private readonly server: Server,
    /** The SDK's `baseURL`, e.g. `http://127.0.0.1:PORT/v1`. */
    readonly baseURL: string,
  ) {}

  /** Starts the fake on 127.0.0.1 on a free port. */
  static async start(): Promise<FakeOpenAI> {
    let fake: FakeOpenAI | undefined;
    const { server, port } = await listenLocal(async (req, res) => {
      if (fake === undefined) throw new Error('FakeOpenAI is not ready yet');
      await fake.handle(req, res);
    });
    fake = new FakeOpenAI(server, `http://127.0.0.1:${port}/v1`);
    return fake;
  }

  /**
   * Decides the answer to each request not covered by {@link FakeOpenAI.enqueue}. The default
   * answers `{ text: 'Ответ: ' + <last user message> }`. A responder that throws gives a 500.
   */
  setResponder(fn: (req: RecordedRequest) => FakeReply | Promise<FakeReply>): void {
    this.responder = fn;
  }

  /** Queues replies, used one per request, in order, before the responder is asked. */
  enqueue(...replies: FakeReply[]): void {
    this.queue.push(...replies);
  }

  /** Delays every answer by `ms` (0 turns it off). */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /**
   * Paces streamed answers: the first text piece after `firstTokenMs`, then `tokensPerSecond`;
   * optionally breaks each stream after `breakAfterTokens` pieces. `{}` (the default) streams at
   * once. Non-streamed requests are not affected.
   *
   * @example llm.setStreamPace({ firstTokenMs: 500, tokensPerSecond: 50 });
   */
  setStreamPace(pace: StreamPace): void {
    this.streamPace = { ...pace };
  }

  /**
   * Makes the fake a server without streaming: requests with `stream: true` get the error
   * `{ status }` (e.g. 400, 404, 501), or with `'json'` a plain JSON completion; requests
   * without `stream` are answered as usual. `undefined` streams again.
   */
  refuseStreaming(refusal: StreamRefusal | undefined): void {
    this.streamRefusal = refusal;
  }

  /**
   * Waits until `count` chat completion requests have arrived (default timeout 5000 ms) and
   * returns the first `count`.
   */
  waitForRequests(count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest[]> {
    return this.waiters.wait(
      () => (this.requests.length >= count ? this.requests.slice(0, count) : undefined),
      timeoutMs,
      () => `FakeOpenAI.waitForRequests: expected ${count} request(s) within ${timeoutMs} ms, got ${this.requests.length}`,
    );
  }

  /**
   * Waits until the streamed answer to request number `index` (0-based) has ended, however it
   * ended (default timeout 5000 ms), and returns how: `done`, `client` (the client went away, e.g.
   * it aborted) or `broken`.
   */
  waitForStreamEnd(index: number, timeoutMs = DEFAULT_WAIT_MS): Promise<'done' | 'client' | 'broken'> {
    return this.waiters.wait(
      () => this.requests[index]?.stream?.endedBy,
      timeoutMs,
      () => `FakeOpenAI.waitForStreamEnd: request ${index} has no ended stream within ${timeoutMs} ms (${this.requests.length} request(s))`,
    );
  }

  /** Forgets requests, queued replies, the responder (back to the echo), latency and the stream settings. */
  reset(): void {
    this.requests.length = 0;
    this.queue = [];
    this.responder = echoLastUserMessage;
    this.latencyMs = 0;
    this.streamPace = {};
    this.streamRefusal = undefined;
  }

  /** Drops hanging requests, rejects pending waits and stops the server. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiters.rejectAll('FakeOpenAI was closed while waiting');
    await closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.baseURL).pathname.replace(/\/+$/, '');
    const route = `${req.method ?? 'GET'} ${path}`;
    if (route === 'POST /v1/chat/completions') {
      await this.chatCompletion(req, res);
      return;
    }
    if (!authorized(req)) {
      sendError(res, 401, missingKeyMessage());
      return;
    }
    if (route === 'GET /v1/models') {
      sendJson(res, 200, {
        object: 'list',
        data: [{ id: FAKE_MODEL_ID, object: 'model', created: 1721172741, owned_by: 'system' }],
      });
      return;
    }
    sendError(res, 404, `Invalid URL (${route})`);
  }

  private async chatCompletion(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = (await readBody(req)).toString('utf8');
    let body: unknown;
    let parsed = true;
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
      parsed = false;
    }
    const recorded: RecordedRequest = { body, headers: { ...req.headers }, at: Date.now() };
    this.requests.push(recorded);
    this.waiters.notify();

    if (!authorized(req)) {
      sendError(res, 401, missingKeyMessage());
      return;
    }
    if (!parsed || !isRecord(body)) {
      sendError(
        res,
        400,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
          'The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)',
      );
      return;
    }
    const invalid = validateRequest(body);
    if (invalid !== undefined) {
      sendError(res, 400, invalid.message, invalid.param, invalid.code);
      return;
    }

    // A server that does not stream refuses before it answers: no queued reply is used up.
    const refusal = body.stream === true ? this.streamRefusal : undefined;
    if (refusal !== undefined && refusal !== 'json') {
      sendError(res, refusal.status, refusal.message);
      return;
    }

    let reply: FakeReply;
    try {
      reply = this.queue.shift() ?? (await this.responder(recorded));
    } catch (error) {
      sendError(res, 500, `FakeOpenAI responder threw: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    await delay(this.latencyMs, this.timers);
    if ('hang' in reply) return; // never answered; closeServer() destroys the socket
    if ('raw' in reply) {
      sendJson(res, reply.status ?? 200, reply.raw);
      return;
    }
    if ('status' in reply) {
      sendError(res, reply.status, reply.message);
      return;
    }

    this.answered += 1;
    const answer: Answer = {
      id: `chatcmpl-fake${this.answered}`,
      created: Math.floor(Date.now() / 1000),
      model: typeof body.model === 'string' ? body.model : FAKE_MODEL_ID,
      text: 'text' in reply && reply.text !== undefined ? reply.text : null,
      toolCall:
        'toolCall' in reply
          ? { id: `call_fake${this.answered}`, name: reply.toolCall.name, arguments: JSON.stringify(reply.toolCall.arguments) }
          : undefined,
      usage: usageFor(body, reply),
    };
    if (body.stream === true && refusal === undefined) {
      const streamOptions = body.stream_options;
      recorded.stream = { textPieces: 0 };
      await streamAnswer(res, answer, isRecord(streamOptions) && streamOptions.include_usage === true, {
        pace: this.streamPace,
        timers: this.timers,
        record: recorded.stream,
        notify: () => this.waiters.notify(),
      });
    } else {
      sendJson(res, 200, completionBody(answer), { 'x-request-id': `req_fake${this.answered}` });
    }
  }
}

/** What one successful answer says, before it is shaped as a completion or as chunks. */
interface Answer {
  id: string;
  created: number;
  model: string;
  text: string | null;
  toolCall: { id: string; name: string; arguments: string } | undefined;
  usage: Record<string, unknown>;
}

function completionBody(answer: Answer): Record<string, unknown> {
  return {
    id: answer.id,
    object: 'chat.completion',
    created: answer.created,
    model: answer.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: answer.text,
          refusal: null,
          annotations: [],
          ...(answer.toolCall === undefined
            ? {}
            : {
                tool_calls: [
                  {
                    id: answer.toolCall.id,
                    type: 'function',
                    function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments },
                  },
                ],
              }),
        },
        logprobs: null,
        finish_reason: answer.toolCall === undefined ? 'stop' : 'tool_calls',
      },
    ],
    usage: answer.usage,
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
}

/**
 * Writes the answer as `chat.completion.chunk` events: the role first, the text word by word,
 * the tool call (id and name, then its arguments in pieces), a last chunk with the
 * finish_reason, the usage chunk when asked for, and `data: [DONE]`.
 */
async function streamAnswer(res: ServerResponse, answer: Answer, includeUsage: boolean, options?: StreamOptions): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  const record = options?.record;
  const end = (endedBy: 'done' | 'client' | 'broken'): void => {
    if (record !== undefined && record.endedBy === undefined) record.endedBy = endedBy;
    options?.notify();
  };
  res.once('close', () => end(res.writableFinished ? 'done' : 'client'));
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> => ({
    id: answer.id,
    object: 'chat.completion.chunk',
    created: answer.created,
    model: answer.model,
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const events: Array<Record<string, unknown> & { [TEXT_PIECE]?: true }> = [
    chunk({ role: 'assistant', content: answer.text === null ? null : '', refusal: null }),
  ];
  for (const piece of splitText(answer.text ?? '')) events.push({ ...chunk({ content: piece }), [TEXT_PIECE]: true });
  if (answer.toolCall !== undefined) {
    const { id, name, arguments: args } = answer.toolCall;
    events.push(chunk({ tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }] }));
    for (const piece of splitEvenly(args, 3)) events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
  }
  events.push(chunk({}, answer.toolCall === undefined ? 'stop' : 'tool_calls'));
  if (includeUsage) {
    events.push({ id: answer.id, object: 'chat.completion.chunk', created: answer.created, model: answer.model, choices: [], usage: answer.usage });
  }
  const pace = options?.pace ?? {};
  let pieces = 0;
  for (const event of events) {
    if (res.destroyed) return;
    if (event[TEXT_PIECE] === true) {
      if (pace.breakAfterTokens !== undefined && pieces >= pace.breakAfterTokens) {
        end('broken');
        if (pace.breakHow === 'end') res.end();
        else res.destroy();
        return;
      }
      const wait = pieces === 0 ? (pace.firstTokenMs ?? 0) : pace.tokensPerSecond ? 1000 / pace.tokensPerSecond : 0;
      if (wait > 0 && options !== undefined) await delay(wait, options.timers);
      if (res.destroyed) return;
      pieces += 1;
      if (record !== undefined) record.textPieces = pieces;
    }
    const { [TEXT_PIECE]: _piece, ...data } = event;
    res.write(`data: ${JSON.stringify(data)}\n\n`);
    // Separate writes, so the client sees the events arrive in several pieces.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!res.destroyed) res.end('data: [DONE]\n\n');
}

/** Marks the chunks of {@link streamAnswer} that carry text, which the pace applies to. */
const TEXT_PIECE = Symbol('text piece');

/** What {@link streamAnswer} needs from the fake to pace, break and record a stream. */
interface StreamOptions {
  pace: StreamPace;
  timers: Set<NodeJS.Timeout>;
  record: NonNullable<RecordedRequest['stream']>;
  notify: () => void;
}

/** Words with their following whitespace: "Ответ: да" → ["Ответ: ", "да"]. */
function splitText(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function splitEvenly(text: string, parts: number): string[] {
  const chars = Array.from(text);
  const size = Math.max(1, Math.ceil(chars.length / parts));
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

/** A rough token count (4 characters a token), enough for code that logs or sums usage. */
function usageFor(body: Record<string, unknown>, reply: FakeReply): Record<string, unknown> {
  const promptChars = JSON.stringify(body.messages ?? []).length;
  const completionChars = ('text' in reply ? (reply.text ?? '').length : 0) + ('toolCall' in reply ? JSON.stringify(reply.toolCall).length : 0);
  const prompt_tokens = Math.ceil(promptChars / 4);
  const completion_tokens = Math.max(1, Math.ceil(completionChars / 4));
  return {
    prompt_tokens,
    completion_tokens,
    total_tokens: prompt_tokens + completion_tokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];

/** The checks of the real API that catch common bugs in building a conversation. */
function validateRequest(body: Record<string, unknown>): { message: string; param: string | null; code: string | null } | undefined {
  if (typeof body.model !== 'string' || body.model === '') {
    return { message: 'you must provide a model parameter', param: null, code: null };
  }
  const messages = body.messages;
  if (messages === undefined) {
    return { message: "Missing required parameter: 'messages'.", param: 'messages', code: 'missing_required_parameter' };
  }
  if (!Array.isArray(messages)) {
    return { message: "Invalid type for 'messages': expected an array.", param: 'messages', code: 'invalid_type' };
  }
  if (messages.length === 0) return { message: "[] is too short - 'messages'", param: 'messages', code: null };
  if (body.tools !== undefined && !Array.isArray(body.tools)) {
    return { message: "Invalid type for 'tools': expected an array.", param: 'tools', code: 'invalid_type' };
  }
  // Tool calls awaiting their `tool` answers, and where the assistant asked for them.
  let awaiting: { ids: Set<string>; index: number } | undefined;
  const unanswered = (pending: { ids: Set<string>; index: number }) => ({
    message:
      "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. " +
      `The following tool_call_ids did not have response messages: ${[...pending.ids].join(', ')}`,
    param: `messages.[${pending.index}].role`,
    code: null,
  });
  for (const [index, message] of messages.entries()) {
    if (!isRecord(message) || typeof message.role !== 'string' || !ROLES.includes(message.role)) {
      const role = isRecord(message) ? String(message.role) : String(message);
      return {
        message: `Invalid value: '${role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        param: `messages[${index}].role`,
        code: 'invalid_value',
      };
    }
    if (message.role === 'tool') {
      const id = typeof message.tool_call_id === 'string' ? message.tool_call_id : '';
      if (awaiting === undefined || !awaiting.ids.has(id)) {
        return {
          message: "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          param: `messages.[${index}].role`,
          code: null,
        };
      }
      awaiting.ids.delete(id);
      continue;
    }
    if (awaiting !== undefined && awaiting.ids.size > 0) return unanswered(awaiting);
    awaiting = undefined;
    if (message.role === 'assistant' && Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
      const ids = message.tool_calls.map((call: unknown) => (isRecord(call) && typeof call.id === 'string' ? call.id : ''));
      awaiting = { ids: new Set(ids), index };
    }
  }
  if (awaiting !== undefined && awaiting.ids.size > 0) return unanswered(awaiting);
  return undefined;
}

const ERROR_TYPES: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Bad request' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported' },
  404: { type: 'invalid_request_error', code: null, message: 'The model does not exist or you do not have access to it.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests. Please try again in 1s.' },
  500: { type: 'server_error', code: null, message: 'The server had an error while processing your request. Sorry about that!' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
};

function sendError(res: ServerResponse, status: number, message?: string, param: string | null = null, code?: string | null): void {
  const known = ERROR_TYPES[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null, message: 'Error' };
  sendJson(res, status, { error: { message: message ?? known.message, type: known.type, param, code: code === undefined ? known.code : code } });
}

function authorized(req: IncomingMessage): boolean {
  return /^Bearer \S+/.test(req.headers.authorization ?? '');
}

function missingKeyMessage(): string {
  return (
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth " +
    '(i.e. Authorization: Bearer YOUR_KEY).'
  );
}

/** The text of a message's content: a string, or the text parts of a content array. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => (isRecord(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('');
}
