/**
 * A fake Telegram Bot API server for end-to-end tests: the sandbox's Bot API emulator
 * (src/sandbox/bot-api.emulator.ts) on a local port, plus what only tests need. The service
 * under test points `TELEGRAM_API_ROOT` at {@link FakeTelegram.apiRoot} and talks to it exactly
 * as to https://api.telegram.org. The fake records every call ({@link FakeTelegram.calls}),
 * can fail like Telegram does (429 with `retry_after`, 5xx; the emulator itself refuses blocked
 * users, deleted topics and unparsable HTML) and can answer slowly. Drafts (`sendMessageDraft`)
 * are recorded with their arrival time ({@link FakeTelegram.draftsTo}).
 *
 * @example
 * const tg = await FakeTelegram.start({ token: '123456:TEST' });
 * tg.setForum(OPERATORS_CHAT, true);
 * // ... start the service with TELEGRAM_API_ROOT=tg.apiRoot, post an update ...
 * await tg.waitFor((calls) => tg.textsTo(1001).length > 0);
 * expect(tg.textsTo(1001)).toEqual(['Здравствуйте! Чем помочь?']);
 * await tg.close();
 */
import type { Server } from 'node:http';
import { chatIdOf, intOf, truthy, ApiRefusal } from '../../src/sandbox/api.refusal';
import { BotApiEmulator, type ApiOutcome, type ApiRequest } from '../../src/sandbox/bot-api.emulator';
import { DRAFT_PREVIEW_MS } from '../../src/sandbox/emulator.world';
import { renderFormatted } from '../../src/sandbox/telegram.format';
import { closeServer, delay, isRecord, listenLocal, Waiters } from './http-server';

export {
  DRAFT_PREVIEW_MS,
  FAKE_BOT_ID,
  FAKE_BOT_USERNAME,
  type ChatMemberStatus,
  type DraftLimit,
  type DraftRefusal,
} from '../../src/sandbox/emulator.world';

/** One Bot API call as the fake received it. */
export interface RecordedCall extends ApiRequest {
  /** The HTTP status of the error answer, when the call failed. */
  failedWith?: number;
  /** The `result` answered, when the call succeeded (for `getUpdates`, once the long poll ends). */
  result?: unknown;
}

/** A failure to answer instead of the next call(s) to a method; see {@link FakeTelegram.failNext}. */
export interface FakeFailure {
  status: 429 | 400 | 403 | 500 | 502;
  /**
   * Defaults to Telegram's wording for the status, e.g. "Too Many Requests: retry after 1".
   * `null` answers without a `description` at all (the field is optional in the Bot API).
   */
  description?: string | null;
  /** Seconds, answered as `parameters.retry_after`; defaults to 1 for 429. */
  retryAfter?: number;
  /** How many calls in a row fail; default 1. */
  times?: number;
}

/** One draft as the user saw it, from {@link FakeTelegram.draftsTo}. */
export interface RecordedDraft {
  /** `Date.now()` when the draft arrived. */
  at: number;
  draftId: number;
  /** The visible text (markup removed, as `textsTo`); '' is Telegram's "Thinking…" placeholder. */
  text: string;
  parseMode?: string;
  canStop: boolean;
  keepOnStop: boolean;
  threadId?: number;
}

const DEFAULT_WAIT_MS = 5000;

const DEFAULT_DESCRIPTIONS: Record<FakeFailure['status'], string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

/**
 * The fake Bot API server. Start one per test file with {@link FakeTelegram.start}, call
 * {@link FakeTelegram.reset} between tests and {@link FakeTelegram.close} at the end.
 *
 * Like Telegram, message ids grow per chat and are never reused (not even after `reset`),
 * and a topic's `message_thread_id` is the id of the message that opened it. It is also a
 * `ChatHistory`: pass it to `new UpdateFactory(start, tg)` so incoming messages share those ids.
 */
export class FakeTelegram extends BotApiEmulator {
  /** Every call in arrival order, failed ones included (with `failedWith`). */
  readonly calls: RecordedCall[] = [];

  private readonly waiters = new Waiters();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly recorded = new WeakMap<ApiRequest, RecordedCall>();
  private failures = new Map<string, { failure: FakeFailure; left: number }[]>();
  private latencyMs = 0;
  private server: Server | undefined;

  private constructor(
    /** The root to give the client, e.g. `http://127.0.0.1:PORT`; requests go to `${apiRoot}/bot<token>/<method>`. */
    readonly apiRoot: string,
    token: string | undefined,
  ) {
    super(token === undefined ? {} : { token });
    this.onChange(() => this.waiters.notify());
  }

  /**
   * Starts the fake on 127.0.0.1 on a free port.
   *
   * @param opts.token when given, calls with another token fail 401 "Unauthorized"; otherwise any token works
   */
  static async start(opts: { token?: string } = {}): Promise<FakeTelegram> {
    let fake: FakeTelegram | undefined;
    const { server, port } = await listenLocal(async (req, res) => {
      if (fake === undefined) throw new Error('FakeTelegram is not ready yet');
      await fake.handle(req, res);
    });
    fake = new FakeTelegram(`http://127.0.0.1:${port}`, opts.token);
    fake.server = server;
    return fake;
  }

  /** Successful calls to `method`, in arrival order. */
  callsTo(method: string): RecordedCall[] {
    const name = this.canonical(method);
    return this.calls.filter((call) => call.method === name && call.failedWith === undefined);
  }

  /**
   * The text of every message successfully sent to `chatId` by `sendMessage`, in order, as the
   * user sees it: with `parse_mode` HTML or Markdown the markup is removed and entities decoded.
   * Copies (`copyMessage`), photos and documents are not included: see `callsTo` for those.
   */
  textsTo(chatId: number): string[] {
    return this.callsTo('sendMessage')
      .filter((call) => chatIdOf(call.params.chat_id) === chatId)
      .map((call) => (isRecord(call.result) && typeof call.result.text === 'string' ? call.result.text : ''));
  }

  /**
   * The drafts (`sendMessageDraft`) Telegram accepted for `chatId`, in order, with their arrival
   * time: refused ones (429, a refusal) are in `calls` with `failedWith`.
   */
  draftsTo(chatId: number): RecordedDraft[] {
    return this.callsTo('sendMessageDraft')
      .filter((call) => chatIdOf(call.params.chat_id) === chatId)
      .map((call) => {
        const rendered = renderFormatted(call.params.text === undefined ? '' : String(call.params.text), call.params.parse_mode);
        const thread = intOf(call.params.message_thread_id);
        return {
          at: call.at,
          draftId: intOf(call.params.draft_id) ?? 0,
          text: rendered.ok ? rendered.text : '',
          ...(typeof call.params.parse_mode === 'string' ? { parseMode: call.params.parse_mode } : {}),
          canStop: truthy(call.params.can_stop),
          keepOnStop: truthy(call.params.keep_on_stop),
          ...(thread === undefined ? {} : { threadId: thread }),
        };
      });
  }

  /**
   * The draft the user sees in `chatId` at `now` (default: now), or undefined: the last accepted
   * draft, unless it is older than {@link DRAFT_PREVIEW_MS} or a message was sent to the chat
   * after it (the answer replaces the preview).
   */
  visibleDraft(chatId: number, now = Date.now()): RecordedDraft | undefined {
    const last = this.draftsTo(chatId).at(-1);
    if (last === undefined || now - last.at > DRAFT_PREVIEW_MS) return undefined;
    const answered = this.callsTo('sendMessage').some((call) => chatIdOf(call.params.chat_id) === chatId && call.at >= last.at);
    return answered ? undefined : last;
  }

  /**
   * Makes the next call(s) to `method` fail with `failure`, answered like Telegram:
   * `{ ok: false, error_code, description, parameters: { retry_after } }` with that HTTP status.
   * Several failures queue up in order.
   *
   * @example tg.failNext('sendMessage', { status: 429, retryAfter: 3 });
   */
  failNext(method: string, failure: FakeFailure): void {
    const name = this.canonical(method);
    const queue = this.failures.get(name) ?? [];
    queue.push({ failure, left: failure.times ?? 1 });
    this.failures.set(name, queue);
  }

  /** Ends the failures queued by {@link FakeTelegram.failNext} (for `method`, or all): Telegram is back. */
  stopFailing(method?: string): void {
    if (method === undefined) this.failures.clear();
    else this.failures.delete(this.canonical(method));
  }

  /** Delays every answer by `ms` (0 turns it off). */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /**
   * Resolves once `predicate(calls)` is true, checked as each call arrives and as it is answered;
   * rejects after `timeoutMs` (default 5000) with an Error listing the methods called so far
   * (with chat ids and failure statuses, never texts). A call counts on arrival: with latency
   * set, the client may not have its answer yet when this resolves.
   */
  async waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    await this.waiters.wait(
      () => (predicate(this.calls) ? true : undefined),
      timeoutMs,
      () => `FakeTelegram.waitFor: condition not met within ${timeoutMs} ms. Calls so far: ${this.describeCalls()}`,
    );
  }

  /**
   * Waits for `count` successful calls to `method` (default timeout 5000 ms) and returns the
   * first `count` of them.
   */
  waitForCalls(method: string, count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedCall[]> {
    return this.waiters.wait(
      () => {
        const calls = this.callsTo(method);
        return calls.length >= count ? calls.slice(0, count) : undefined;
      },
      timeoutMs,
      () =>
        `FakeTelegram.waitForCalls: expected ${count} successful ${method} call(s) within ${timeoutMs} ms, ` +
        `got ${this.callsTo(method).length}. Calls so far: ${this.describeCalls()}`,
    );
  }

  /**
   * Forgets what a test set up or caused: calls, queued failures, latency, chat members, forums,
   * deleted topics, blocks, the webhook, commands and queued updates. Message ids, sent messages
   * and created topics stay, as they would in Telegram.
   */
  reset(): void {
    this.calls.length = 0;
    this.failures = new Map();
    this.latencyMs = 0;
    this.resetSettings();
  }

  /** Ends pending long polls (they answer `[]`), rejects pending waits and stops the server. */
  async close(): Promise<void> {
    this.stop();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiters.rejectAll('FakeTelegram was closed while waiting');
    await new Promise((resolve) => setImmediate(resolve));
    if (this.server !== undefined) await closeServer(this.server);
  }

  protected override async answer(request: ApiRequest, known: boolean, parseError?: string): Promise<ApiOutcome> {
    const outcome = await super.answer(request, known, parseError);
    await delay(this.latencyMs, this.timers);
    return outcome;
  }

  protected override arrived(request: ApiRequest): void {
    const call: RecordedCall = { method: request.method, token: request.token, params: request.params, at: request.at };
    this.recorded.set(request, call);
    this.calls.push(call);
  }

  protected override answered(request: ApiRequest, outcome: ApiOutcome): void {
    const call = this.recorded.get(request);
    if (call === undefined) return;
    if (outcome.status === 200) call.result = outcome.result;
    else call.failedWith = outcome.status;
  }

  protected override injectedRefusal(method: string): ApiRefusal | undefined {
    const queue = this.failures.get(method);
    const next = queue?.[0];
    if (queue === undefined || next === undefined) return undefined;
    next.left -= 1;
    if (next.left <= 0) queue.shift();
    const { status, retryAfter } = next.failure;
    const wait = retryAfter ?? (status === 429 ? 1 : undefined);
    const description =
      next.failure.description === undefined
        ? status === 429
          ? `Too Many Requests: retry after ${wait ?? 1}`
          : DEFAULT_DESCRIPTIONS[status]
        : next.failure.description;
    return new ApiRefusal(status, description, wait);
  }

  private describeCalls(): string {
    if (this.calls.length === 0) return '(none)';
    const labels = this.calls.map((call) => {
      const chat = call.params.chat_id;
      const target = chat === undefined ? '' : `(chat ${String(chat)})`;
      return `${call.method}${target}${call.failedWith === undefined ? '' : ` failed ${call.failedWith}`}`;
    });
    // Collapse runs (a polling bot calls getUpdates over and over).
    const parts: string[] = [];
    let i = 0;
    while (i < labels.length) {
      let j = i;
      while (j + 1 < labels.length && labels[j + 1] === labels[i]) j += 1;
      parts.push(j > i ? `${labels[i]} ×${j - i + 1}` : (labels[i] as string));
      i = j + 1;
    }
    return parts.join(', ');
  }
}
