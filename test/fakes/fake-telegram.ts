/**
 * A fake Telegram Bot API server for end-to-end tests: the service under test points
 * `TELEGRAM_API_ROOT` at {@link FakeTelegram.apiRoot} and talks to it exactly as to
 * https://api.telegram.org (POST `/bot<token>/<method>` with JSON, urlencoded or multipart
 * bodies). It records every call, answers with the result shapes of the Bot API spec, and
 * can fail like Telegram does (429 with `retry_after`, blocked users, deleted topics,
 * unparsable HTML) so the service's error handling is tested against realistic answers.
 * Drafts (`sendMessageDraft`) are recorded with their arrival time ({@link FakeTelegram.draftsTo}),
 * can be refused like an old Bot API server ({@link FakeTelegram.refuseDrafts}) and flood-limited
 * per chat ({@link FakeTelegram.limitDrafts}).
 *
 * @example
 * const tg = await FakeTelegram.start({ token: '123456:TEST' });
 * tg.setForum(OPERATORS_CHAT, true);
 * // ... start the service with TELEGRAM_API_ROOT=tg.apiRoot, post an update ...
 * await tg.waitFor((calls) => tg.textsTo(1001).length > 0);
 * expect(tg.textsTo(1001)).toEqual(['Здравствуйте! Чем помочь?']);
 * await tg.close();
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ChatMember, ForumTopic, Message, PhotoSize, User } from 'telegraf/types';
import {
  closeServer,
  delay,
  isRecord,
  listenLocal,
  parseBody,
  readBody,
  sendJson,
  Waiters,
  type UploadedFile,
} from './http-server';
import { renderFormatted } from './telegram-format';
import { DEFAULT_TOPIC_ICON_COLOR, LocalChatHistory, supergroup, topicRootMessage, unixNow, type ChatHistory } from './updates';

/** One Bot API call as the fake received it. */
export interface RecordedCall {
  /** The method, spelled as in the Bot API (`sendMessage`) even if the client used other casing. */
  method: string;
  /** The token from the URL. */
  token: string;
  /** The parsed parameters, as sent: JSON numbers stay numbers, form fields stay strings. */
  params: Record<string, unknown>;
  /** `Date.now()` when the request arrived. */
  at: number;
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

/**
 * How the fake refuses `sendMessageDraft`, see {@link FakeTelegram.refuseDrafts}: `method_not_found`
 * is a Bot API server older than 9.3 (404 "Not Found: method not found"); `peer_invalid` is a
 * chat where drafts cannot be shown (400 "Bad Request: TEXTDRAFT_PEER_INVALID", what Telegram
 * answers for a chat that is not a private chat with the bot).
 */
export type DraftRefusal = 'method_not_found' | 'peer_invalid';

/**
 * A per-chat flood limit on drafts, see {@link FakeTelegram.limitDrafts}: a token bucket of
 * `burst` drafts (default 1), refilled one per `minIntervalMs`; a draft with no token left gets
 * 429 with `retry_after` `retryAfter` seconds (default 1).
 */
export interface DraftLimit {
  minIntervalMs: number;
  burst?: number;
  retryAfter?: number;
}

/** How long Telegram shows a draft that is not updated: "a temporary 30-second preview". */
export const DRAFT_PREVIEW_MS = 30_000;

/** The statuses a chat member can have in {@link FakeTelegram.setChatMember}. */
export type ChatMemberStatus = 'creator' | 'administrator' | 'member' | 'left' | 'kicked';

/** The bot's username answered by `getMe`. */
export const FAKE_BOT_USERNAME = 'support_test_bot';
/** The bot's id when the token does not start with one (Telegram tokens are `<bot id>:<secret>`). */
export const FAKE_BOT_ID = 7000000001;

const DEFAULT_WAIT_MS = 5000;
/** Long polls end after at most this long, whatever `timeout` asks, to keep tests fast. */
const LONG_POLL_CAP_MS = 1000;
const MAX_TEXT_LENGTH = 4096;
const MAX_CAPTION_LENGTH = 1024;

const DEFAULT_DESCRIPTIONS: Record<FakeFailure['status'], string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

/** A refusal answered as `{ ok: false, error_code, description, parameters? }`. */
class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    readonly description: string | null,
    readonly retryAfter?: number,
  ) {
    super(description ?? `error ${status}`);
  }

  body(): Record<string, unknown> {
    return {
      ok: false,
      error_code: this.status,
      ...(this.description === null ? {} : { description: this.description }),
      ...(this.retryAfter === undefined ? {} : { parameters: { retry_after: this.retryAfter } }),
    };
  }
}

const badRequest = (detail: string): ApiRefusal => new ApiRefusal(400, `Bad Request: ${detail}`);

type Params = Record<string, unknown>;
type MethodHandler = (params: Params, bot: User) => unknown;

/**
 * The fake Bot API server. Start one per test file with {@link FakeTelegram.start}, call
 * {@link FakeTelegram.reset} between tests and {@link FakeTelegram.close} at the end.
 *
 * Like Telegram, message ids grow per chat and are never reused (not even after `reset`),
 * and a topic's `message_thread_id` is the id of the message that opened it. It is also a
 * {@link ChatHistory}: pass it to `new UpdateFactory(start, tg)` so incoming messages share
 * those ids.
 */
export class FakeTelegram implements ChatHistory {
  /** Every call in arrival order, failed ones included (with `failedWith`). */
  readonly calls: RecordedCall[] = [];

  private readonly waiters = new Waiters();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly methods: Record<string, MethodHandler>;
  private readonly methodByLowerName: Map<string, string>;

  private failures = new Map<string, { failure: FakeFailure; left: number }[]>();
  private latencyMs = 0;
  private members = new Map<string, ChatMemberStatus>();
  private forums = new Map<number, boolean>();
  private deletedTopics = new Set<string>();
  private blocked = new Set<number>();
  private webhookUrl = '';
  private commands = new Map<string, unknown>();
  private updates: Record<string, unknown>[] = [];
  private pollers = new Set<{ wake: (refusal?: ApiRefusal) => void }>();
  private draftRefusal: DraftRefusal | undefined;
  private draftLimit: DraftLimit | undefined;
  private draftBuckets = new Map<number, { tokens: number; at: number }>();

  // Telegram's persistent state: survives reset().
  private readonly history = new LocalChatHistory();
  private readonly topics = new Map<string, { name: string; icon_color: number }>();
  /** Updates with a lower id were confirmed by an offset and can never be delivered again. */
  private confirmedBelow = 0;
  private fileCount = 0;

  private constructor(
    private readonly server: Server,
    /** The root to give the client, e.g. `http://127.0.0.1:PORT`; requests go to `${apiRoot}/bot<token>/<method>`. */
    readonly apiRoot: string,
    private readonly token: string | undefined,
  ) {
    this.methods = this.buildMethods();
    this.methodByLowerName = new Map(Object.keys(this.methods).map((name) => [name.toLowerCase(), name]));
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
    fake = new FakeTelegram(server, `http://127.0.0.1:${port}`, opts.token);
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
   * Refuses every `sendMessageDraft` as an old Bot API server (`method_not_found`) or a chat
   * without drafts (`peer_invalid`) would; `undefined` accepts drafts again.
   */
  refuseDrafts(refusal: DraftRefusal | undefined): void {
    this.draftRefusal = refusal;
  }

  /**
   * Answers 429 to drafts sent to one chat faster than the limit allows (a token bucket per chat);
   * `undefined` lifts it. Other methods are not limited.
   *
   * @example tg.limitDrafts({ minIntervalMs: 1000, burst: 2, retryAfter: 3 });
   */
  limitDrafts(limit: DraftLimit | undefined): void {
    this.draftLimit = limit;
    this.draftBuckets = new Map();
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

  /** What `getChatMember(chatId, userId)` answers; unknown members are 'left'. */
  setChatMember(chatId: number, userId: number, status: ChatMemberStatus): void {
    this.members.set(`${chatId}:${userId}`, status);
  }

  /**
   * Makes a supergroup a forum (or not): `getChat` answers `is_forum: true` (Telegram omits
   * the field when false) and `createForumTopic` works only in forums, failing otherwise with
   * 400 "Bad Request: the chat is not a forum". Chats are not forums until set.
   */
  setForum(chatId: number, isForum: boolean): void {
    this.forums.set(chatId, isForum);
  }

  /**
   * Deletes a topic as an operator would: later sends into it fail with 400
   * "Bad Request: message thread not found", topic edits with 400 "Bad Request: TOPIC_ID_INVALID".
   */
  deleteTopic(chatId: number, threadId: number): void {
    this.deletedTopics.add(`${chatId}:${threadId}`);
  }

  /**
   * The user blocks the bot: later sends to the chat fail with 403 "Forbidden: bot was blocked
   * by the user" (for a group id: "Forbidden: bot was kicked from the supergroup chat").
   */
  blockBy(chatId: number): void {
    this.blocked.add(chatId);
  }

  /**
   * Queues an update for `getUpdates` (polling mode) and wakes a pending long poll.
   * Without `update_id` the next id is given.
   *
   * @throws Error when `update_id` was already confirmed by a `getUpdates` offset: the bot would never see it
   */
  pushUpdate(update: object): void {
    const copy: Record<string, unknown> = { ...update };
    const lastId = Math.max(this.confirmedBelow - 1, ...this.updates.map((u) => Number(u.update_id)));
    if (typeof copy.update_id !== 'number') copy.update_id = lastId + 1;
    const id = copy.update_id as number;
    if (id < this.confirmedBelow) {
      throw new Error(
        `pushUpdate: update_id ${id} was already confirmed (the bot asked for offset ${this.confirmedBelow}), ` +
          `so Telegram would never deliver it: build updates with new UpdateFactory(${this.confirmedBelow}, tg) or above`,
      );
    }
    this.updates.push(copy);
    this.updates.sort((a, b) => Number(a.update_id) - Number(b.update_id));
    for (const poller of [...this.pollers]) poller.wake();
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
    this.members = new Map();
    this.forums = new Map();
    this.deletedTopics = new Set();
    this.blocked = new Set();
    this.webhookUrl = '';
    this.commands = new Map();
    this.updates = [];
    this.draftRefusal = undefined;
    this.draftLimit = undefined;
    this.draftBuckets = new Map();
  }

  /** Ends pending long polls (they answer `[]`), rejects pending waits and stops the server. */
  async close(): Promise<void> {
    for (const poller of [...this.pollers]) poller.wake();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiters.rejectAll('FakeTelegram was closed while waiting');
    await new Promise((resolve) => setImmediate(resolve));
    await closeServer(this.server);
  }

  /** @inheritdoc */
  nextMessageId(chatId: number): number {
    return this.history.nextMessageId(chatId);
  }

  /** @inheritdoc */
  findMessage(chatId: number, messageId: number): Message | undefined {
    return this.history.findMessage(chatId, messageId);
  }

  /** @inheritdoc */
  remember(message: Message): void {
    this.history.remember(message);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.apiRoot);
    const file = /^\/file\/bot[^/]+\/(.+)$/.exec(url.pathname);
    if (file !== null) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(`fake file ${file[1] ?? ''}`);
      return;
    }
    const route = /^\/bot([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
    if (route === null) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const token = decodeURIComponent(route[1] ?? '');
    const requested = route[2] ?? '';
    const method = this.methodByLowerName.get(requested.toLowerCase());
    let params: Params = Object.fromEntries(url.searchParams);
    let parseError: string | undefined;
    try {
      params = { ...params, ...parseBody(req.headers['content-type'], await readBody(req)) };
    } catch (error) {
      parseError = error instanceof Error ? error.message : String(error);
    }
    const call: RecordedCall = { method: method ?? requested, token, params, at: Date.now() };
    this.calls.push(call);

    let answer: { status: number; body: unknown };
    try {
      // Decided synchronously, so that a call is marked failed as soon as it is recorded.
      if (this.token !== undefined && token !== this.token) throw new ApiRefusal(401, 'Unauthorized');
      if (method === undefined) throw new ApiRefusal(404, 'Not Found: method not found');
      if (parseError !== undefined) throw badRequest(`can't parse request body: ${parseError}`);
      const failure = this.takeFailure(method);
      if (failure !== undefined) throw failure;
      const handler = this.methods[method] as MethodHandler;
      const pending = handler(params, botUser(token));
      this.waiters.notify();
      const result: unknown = await pending;
      call.result = result;
      answer = { status: 200, body: { ok: true, result } };
    } catch (error) {
      if (!(error instanceof ApiRefusal)) throw error;
      call.failedWith = error.status;
      answer = { status: error.status, body: error.body() };
    }
    this.waiters.notify();
    await delay(this.latencyMs, this.timers);
    sendJson(res, answer.status, answer.body);
  }

  private takeFailure(method: string): ApiRefusal | undefined {
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

  private canonical(method: string): string {
    return this.methodByLowerName.get(method.toLowerCase()) ?? method;
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

  // ---- the Bot API methods ----

  private buildMethods(): Record<string, MethodHandler> {
    const ok = (): true => true;
    return {
      getMe: (_params, bot) => ({
        ...bot,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
        can_connect_to_business: false,
        has_main_web_app: false,
      }),
      setWebhook: (params) => {
        const url = typeof params.url === 'string' ? params.url : '';
        if (url !== '' && !/^https?:\/\//.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
        this.webhookUrl = url;
        return true;
      },
      deleteWebhook: (params) => {
        this.webhookUrl = '';
        if (truthy(params.drop_pending_updates)) this.updates = [];
        return true;
      },
      getWebhookInfo: () => ({
        url: this.webhookUrl,
        has_custom_certificate: false,
        pending_update_count: this.webhookUrl === '' ? 0 : this.updates.length,
      }),
      setMyCommands: (params) => {
        const commands = jsonParam(params.commands);
        if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required');
        this.commands.set(commandsKey(params), commands);
        return true;
      },
      getMyCommands: (params) => this.commands.get(commandsKey(params)) ?? [],
      deleteMyCommands: (params) => {
        this.commands.delete(commandsKey(params));
        return true;
      },
      answerCallbackQuery: (params) => {
        if (params.callback_query_id === undefined) throw badRequest('query is too old and response timeout expired or query ID is invalid');
        return true;
      },
      sendChatAction: (params) => {
        this.guardSend(params);
        if (params.action === undefined) throw badRequest('wrong parameter action in request');
        return true;
      },
      sendMessageDraft: (params) => this.sendMessageDraft(params),
      sendMessage: (params, bot) => {
        const chatId = this.guardSend(params);
        const text = renderChecked(params.text, params.parse_mode, 'text');
        return this.store({ ...this.messageBase(chatId, params, bot), text });
      },
      sendPhoto: (params, bot) => {
        const chatId = this.guardSend(params);
        if (params.photo === undefined || params.photo === '') throw badRequest('there is no photo in the request');
        return this.store({ ...this.messageBase(chatId, params, bot), photo: this.photoSizes(), ...this.caption(params) });
      },
      sendDocument: (params, bot) => {
        const chatId = this.guardSend(params);
        const document = params.document;
        if (document === undefined || document === '') throw badRequest('there is no document in the request');
        this.fileCount += 1;
        const upload = isUpload(document) ? document : undefined;
        return this.store({
          ...this.messageBase(chatId, params, bot),
          document: {
            file_id: typeof document === 'string' ? document : `document-${this.fileCount}`,
            file_unique_id: `udocument-${this.fileCount}`,
            file_name: upload?.filename ?? 'document',
            ...(upload?.contentType === undefined ? {} : { mime_type: upload.contentType }),
            ...(upload === undefined ? {} : { file_size: upload.size }),
          },
          ...this.caption(params),
        });
      },
      copyMessage: (params, bot) => {
        const chatId = this.guardSend(params);
        const messageId = requireInt(params.message_id, 'message_id');
        requireChat(params.from_chat_id, 'from_chat_id');
        return { message_id: this.copyInto(chatId, params, messageId, bot) };
      },
      copyMessages: (params, bot) => {
        const chatId = this.guardSend(params);
        requireChat(params.from_chat_id, 'from_chat_id');
        const ids = jsonParam(params.message_ids);
        if (!Array.isArray(ids) || ids.length === 0) throw badRequest('message identifiers are not specified');
        return ids.map((id) => ({ message_id: this.copyInto(chatId, params, requireInt(id, 'message_ids'), bot) }));
      },
      editMessageText: (params, bot) => {
        const text = renderChecked(params.text, params.parse_mode, 'text');
        return this.edit(params, bot, (old) => {
          const same = isRecord(old) && old.text === text && sameMarkup(old.reply_markup, params.reply_markup);
          return { same, changes: { text } };
        });
      },
      editMessageReplyMarkup: (params, bot) =>
        this.edit(params, bot, (old) => ({ same: isRecord(old) && sameMarkup(old.reply_markup, params.reply_markup), changes: {} })),
      deleteMessage: (params) => {
        const chatId = requireChat(params.chat_id, 'chat_id');
        this.history.forget(chatId, requireInt(params.message_id, 'message_id'));
        return true;
      },
      deleteMessages: (params) => {
        const chatId = requireChat(params.chat_id, 'chat_id');
        const ids = jsonParam(params.message_ids);
        if (Array.isArray(ids)) for (const id of ids) this.history.forget(chatId, Number(id));
        return true;
      },
      pinChatMessage: ok,
      unpinChatMessage: ok,
      setMessageReaction: ok,
      createForumTopic: (params, bot) => {
        const chatId = requireChat(params.chat_id, 'chat_id');
        const name = typeof params.name === 'string' ? params.name : '';
        if (name === '') throw badRequest('TOPIC_NAME_EMPTY');
        if (name.length > 128) throw badRequest('TOPIC_NAME_INVALID');
        if (this.forums.get(chatId) !== true) throw badRequest('the chat is not a forum');
        const iconColor = intOf(params.icon_color) ?? DEFAULT_TOPIC_ICON_COLOR;
        const threadId = this.nextMessageId(chatId);
        const topic = { name, icon_color: iconColor };
        this.topics.set(`${chatId}:${threadId}`, topic);
        this.remember(topicRootMessage(supergroup(chatId, true), threadId, topic, bot));
        const result: ForumTopic = { message_thread_id: threadId, ...topic };
        return result;
      },
      editForumTopic: (params) => {
        const key = this.guardTopic(params);
        const topic = this.topics.get(key);
        if (topic !== undefined && typeof params.name === 'string') topic.name = params.name;
        return true;
      },
      closeForumTopic: (params) => (this.guardTopic(params), true),
      reopenForumTopic: (params) => (this.guardTopic(params), true),
      deleteForumTopic: (params) => {
        this.deletedTopics.add(this.guardTopic(params));
        return true;
      },
      getChatMember: (params) => {
        const chatId = requireChat(params.chat_id, 'chat_id');
        const userId = requireInt(params.user_id, 'user_id');
        return chatMember(this.members.get(`${chatId}:${userId}`) ?? 'left', userId);
      },
      getChat: (params) => {
        const chatId = requireChat(params.chat_id, 'chat_id');
        const common = { accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: noGifts() };
        return chatId > 0
          ? { id: chatId, type: 'private', first_name: `User ${chatId}`, ...common }
          : { ...supergroup(chatId, this.forums.get(chatId) === true), ...common };
      },
      getFile: (params) => {
        const fileId = typeof params.file_id === 'string' ? params.file_id : '';
        if (fileId === '') throw badRequest('invalid file_id');
        return { file_id: fileId, file_unique_id: `u${fileId}`, file_size: 1024, file_path: `files/${fileId}` };
      },
      getUpdates: (params) => this.getUpdates(params),
    };
  }

  /**
   * `sendMessageDraft` (Bot API 9.3; `can_stop` and `keep_on_stop` since 10.3): only in private
   * chats, `draft_id` non-zero, `text` 0–4096 characters after entity parsing ('' shows
   * "Thinking…"). Honours {@link FakeTelegram.refuseDrafts} and {@link FakeTelegram.limitDrafts}.
   */
  private sendMessageDraft(params: Params): true {
    if (this.draftRefusal === 'method_not_found') throw new ApiRefusal(404, 'Not Found: method not found');
    const chatId = this.guardSend(params);
    if (this.draftRefusal === 'peer_invalid' || chatId < 0) throw badRequest('TEXTDRAFT_PEER_INVALID');
    const draftId = intOf(params.draft_id);
    // The fake's wording: the Bot API documents the rule ("must be non-zero"), not its error text.
    if (draftId === undefined || draftId === 0) throw badRequest('draft_id must be non-zero');
    const rendered = renderFormatted(params.text === undefined ? '' : String(params.text), params.parse_mode);
    if (!rendered.ok) throw new ApiRefusal(400, rendered.description);
    if (rendered.text.length > MAX_TEXT_LENGTH) throw badRequest('message is too long');
    this.takeDraftToken(chatId);
    return true;
  }

  /** The flood limit of {@link FakeTelegram.limitDrafts}: takes a token or throws 429. */
  private takeDraftToken(chatId: number): void {
    const limit = this.draftLimit;
    if (limit === undefined) return;
    const burst = Math.max(1, limit.burst ?? 1);
    const now = Date.now();
    const bucket = this.draftBuckets.get(chatId) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / limit.minIntervalMs);
    bucket.at = now;
    this.draftBuckets.set(chatId, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = limit.retryAfter ?? 1;
      throw new ApiRefusal(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);
    }
    bucket.tokens -= 1;
  }

  /** Checks the target of a send; returns the chat id. */
  private guardSend(params: Params): number {
    const chatId = requireChat(params.chat_id, 'chat_id');
    if (this.blocked.has(chatId)) {
      throw new ApiRefusal(
        403,
        chatId > 0 ? 'Forbidden: bot was blocked by the user' : 'Forbidden: bot was kicked from the supergroup chat',
      );
    }
    const thread = intOf(params.message_thread_id);
    if (thread !== undefined && this.deletedTopics.has(`${chatId}:${thread}`)) {
      throw badRequest('message thread not found');
    }
    checkButtons(params.reply_markup);
    return chatId;
  }

  private guardTopic(params: Params): string {
    const chatId = requireChat(params.chat_id, 'chat_id');
    const key = `${chatId}:${requireInt(params.message_thread_id, 'message_thread_id')}`;
    if (this.deletedTopics.has(key)) throw badRequest('TOPIC_ID_INVALID');
    return key;
  }

  /** The fields every message the bot sends has: id, sender, chat, date, topic, reply, buttons. */
  private messageBase(chatId: number, params: Params, bot: User): Record<string, unknown> & { message_id: number } {
    const isForum = this.forums.get(chatId) === true;
    const base: Record<string, unknown> & { message_id: number } = {
      message_id: this.nextMessageId(chatId),
      from: bot,
      chat: chatId > 0 ? { id: chatId, type: 'private', first_name: `User ${chatId}` } : supergroup(chatId, isForum),
      date: unixNow(),
    };
    const thread = intOf(params.message_thread_id);
    if (thread !== undefined) {
      base.message_thread_id = thread;
      if (isForum) base.is_topic_message = true;
    }
    const replyParameters = jsonParam(params.reply_parameters);
    const replyTo = intOf(params.reply_to_message_id) ?? (isRecord(replyParameters) ? intOf(replyParameters.message_id) : undefined);
    const replied =
      replyTo !== undefined
        ? this.findMessage(chatId, replyTo)
        : isForum && thread !== undefined
          ? this.findMessage(chatId, thread)
          : undefined;
    if (replied !== undefined) {
      const { reply_to_message: _nested, ...flat } = replied as Message & { reply_to_message?: unknown };
      base.reply_to_message = flat;
    }
    const markup = jsonParam(params.reply_markup);
    if (isRecord(markup) && Array.isArray(markup.inline_keyboard)) base.reply_markup = markup;
    return base;
  }

  private store(message: Record<string, unknown> & { message_id: number }): Message {
    // Built field by field from the Bot API spec above; typegram's Message union is too narrow to build directly.
    const typed = message as unknown as Message;
    this.remember(typed);
    return typed;
  }

  private caption(params: Params): { caption?: string } {
    if (params.caption === undefined) return {};
    return { caption: renderChecked(params.caption, params.parse_mode, 'caption') };
  }

  private photoSizes(): PhotoSize[] {
    this.fileCount += 1;
    const n = this.fileCount;
    return [
      { file_id: `sent-photo-${n}-s`, file_unique_id: `usent-photo-${n}-s`, width: 90, height: 90, file_size: 1200 },
      { file_id: `sent-photo-${n}-x`, file_unique_id: `usent-photo-${n}-x`, width: 1280, height: 1280, file_size: 120000 },
    ];
  }

  /** Copies a message into `chatId` and returns the copy's id; the copy is remembered when its source is known. */
  private copyInto(chatId: number, params: Params, messageId: number, bot: User): number {
    const base = this.messageBase(chatId, params, bot);
    const source = this.findMessage(requireChat(params.from_chat_id, 'from_chat_id'), messageId);
    if (source !== undefined) {
      const { message_id: _id, chat: _chat, from: _from, date: _date, reply_to_message: _reply, ...content } =
        source as Message & { from?: User; reply_to_message?: unknown };
      const caption = params.caption === undefined ? {} : this.caption(params);
      this.store({ ...content, ...base, ...caption });
    }
    return base.message_id;
  }

  private edit(
    params: Params,
    bot: User,
    diff: (old: Message | undefined) => { same: boolean; changes: Record<string, unknown> },
  ): unknown {
    checkButtons(params.reply_markup);
    if (params.inline_message_id !== undefined) return true;
    const chatId = requireChat(params.chat_id, 'chat_id');
    const messageId = requireInt(params.message_id, 'message_id');
    const old = this.findMessage(chatId, messageId);
    const { same, changes } = diff(old);
    if (same) {
      throw badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    const markup = jsonParam(params.reply_markup);
    const { reply_markup: _oldMarkup, ...kept } = (old ?? {
      message_id: messageId,
      from: bot,
      chat: chatId > 0 ? { id: chatId, type: 'private', first_name: `User ${chatId}` } : supergroup(chatId, false),
      date: unixNow(),
    }) as Record<string, unknown>;
    return this.store({
      ...kept,
      ...changes,
      message_id: messageId,
      edit_date: unixNow(),
      ...(isRecord(markup) && Array.isArray(markup.inline_keyboard) ? { reply_markup: markup } : {}),
    });
  }

  private getUpdates(params: Params): Promise<unknown[]> {
    if (this.webhookUrl !== '') {
      throw new ApiRefusal(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    // Only one long poll at a time, as in Telegram: a new one ends the one in progress.
    for (const poller of [...this.pollers]) {
      poller.wake(new ApiRefusal(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    }
    const offset = intOf(params.offset) ?? 0;
    if (offset > 0) {
      this.confirmedBelow = Math.max(this.confirmedBelow, offset);
      this.updates = this.updates.filter((u) => Number(u.update_id) >= offset);
    } else if (offset < 0) {
      this.updates = this.updates.slice(offset);
    }
    const limit = Math.min(Math.max(intOf(params.limit) ?? 100, 1), 100);
    const timeoutMs = Math.min((intOf(params.timeout) ?? 0) * 1000, LONG_POLL_CAP_MS);
    const take = (): unknown[] => this.updates.filter((u) => Number(u.update_id) >= this.confirmedBelow).slice(0, limit);
    if (take().length > 0 || timeoutMs <= 0) return Promise.resolve(take());
    return new Promise((resolve, reject) => {
      const poller = {
        wake: (refusal?: ApiRefusal): void => {
          clearTimeout(timer);
          this.timers.delete(timer);
          this.pollers.delete(poller);
          if (refusal === undefined) resolve(take());
          else reject(refusal);
        },
      };
      const timer = setTimeout(() => poller.wake(), timeoutMs);
      this.timers.add(timer);
      this.pollers.add(poller);
    });
  }
}

/** The bot answering: its id is the number before ':' in the token, like in Telegram. */
function botUser(token: string): User {
  const id = /^(\d+):/.exec(token)?.[1];
  return { id: id === undefined ? FAKE_BOT_ID : Number(id), is_bot: true, first_name: 'Support Test Bot', username: FAKE_BOT_USERNAME };
}

function chatMember(status: ChatMemberStatus, userId: number): ChatMember {
  const user: User = { id: userId, is_bot: false, first_name: `User ${userId}` };
  switch (status) {
    case 'creator':
      return { status, user, is_anonymous: false };
    case 'administrator':
      return {
        status,
        user,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: true,
        can_manage_video_chats: true,
        can_restrict_members: true,
        can_promote_members: false,
        can_change_info: true,
        can_invite_users: true,
        can_post_stories: false,
        can_edit_stories: false,
        can_delete_stories: false,
        can_pin_messages: true,
        can_manage_topics: true,
      };
    case 'member':
      return { status, user };
    case 'left':
      return { status, user };
    case 'kicked':
      return { status, user, until_date: 0 };
  }
}

function noGifts(): Record<string, boolean> {
  return { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false, gifts_from_channels: false };
}

/** A chat id as a number; form bodies send it as a string. `@username` ids are not supported. */
function chatIdOf(value: unknown): number | undefined {
  return intOf(value);
}

function intOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

function requireChat(value: unknown, name: string): number {
  if (value === undefined || value === '') throw badRequest(`${name} is empty`);
  const id = chatIdOf(value);
  if (id === undefined) throw badRequest('chat not found');
  return id;
}

function requireInt(value: unknown, name: string): number {
  const n = intOf(value);
  if (n === undefined) throw badRequest(`${name} is empty`);
  return n;
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Parameters that are objects in JSON bodies arrive as JSON strings in form bodies. */
function jsonParam(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function isUpload(value: unknown): value is UploadedFile {
  return isRecord(value) && typeof value.filename === 'string' && typeof value.size === 'number';
}

function commandsKey(params: Params): string {
  return JSON.stringify([jsonParam(params.scope) ?? { type: 'default' }, params.language_code ?? '']);
}

function sameMarkup(old: unknown, next: unknown): boolean {
  return JSON.stringify(old ?? null) === JSON.stringify(jsonParam(next) ?? null);
}

/** Checks `text` or a caption like Telegram does and returns what the reader will see. */
function renderChecked(raw: unknown, parseMode: unknown, kind: 'text' | 'caption'): string {
  const source = raw === undefined || raw === null ? '' : String(raw);
  const rendered = renderFormatted(source, parseMode);
  if (!rendered.ok) throw new ApiRefusal(400, rendered.description);
  const text = rendered.text;
  if (kind === 'text' && text.trim() === '') throw badRequest('message text is empty');
  if (kind === 'text' && text.length > MAX_TEXT_LENGTH) throw badRequest('message is too long');
  if (kind === 'caption' && text.length > MAX_CAPTION_LENGTH) throw badRequest('message caption is too long');
  return text;
}

/** Inline buttons: `callback_data` must be 1–64 bytes. */
function checkButtons(replyMarkup: unknown): void {
  const markup = jsonParam(replyMarkup);
  if (!isRecord(markup) || !Array.isArray(markup.inline_keyboard)) return;
  for (const row of markup.inline_keyboard) {
    if (!Array.isArray(row)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
    for (const button of row) {
      if (!isRecord(button) || typeof button.text !== 'string' || button.text === '') throw badRequest('BUTTON_TEXT_INVALID');
      const data = button.callback_data;
      if (data !== undefined && (typeof data !== 'string' || data === '' || Buffer.byteLength(data, 'utf8') > 64)) {
        throw badRequest('BUTTON_DATA_INVALID');
      }
    }
  }
}
