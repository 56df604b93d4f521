/**
 * A Bot API emulator: it answers `POST <root>/bot<token>/<method>` (JSON, urlencoded or multipart
 * bodies) the way https://api.telegram.org does, with the result shapes of the Bot API spec and
 * Telegram's refusals, over an in-memory world of chats, messages, forum topics and drafts
 * ({@link EmulatorWorld}), and it delivers updates by long polling or webhook
 * ({@link UpdateDelivery}). The sandbox mounts it inside the web process (src/sandbox/sandbox.host.ts)
 * so the service's telegraf client talks to it through `TELEGRAM_API_ROOT`, exactly as to Telegram;
 * the tests start it on a port of their own (test/fakes/fake-telegram.ts adds recorded calls and
 * failure injection).
 *
 * @example
 * const emulator = new BotApiEmulator({ basePath: '/sandbox', deliverByWebhook: true });
 * emulator.setForum(OPERATORS_CHAT, true);
 * http.createServer((req, res) => void emulator.handle(req, res));
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Message } from 'telegraf/types';
import { ApiRefusal, badRequest, type Params } from './api.refusal';
import type { ChatHistory } from './chat.history';
import { EmulatorWorld, type BotProfile, type ChatMemberStatus, type DraftLimit, type DraftRefusal } from './emulator.world';
import { parseBody, readBody, sendJson } from './http.body';
import { chatMethods } from './methods.chats';
import { draftMethods } from './methods.drafts';
import { messageMethods, type MethodHandler } from './methods.messages';
import { UpdateDelivery } from './update.delivery';

/** Options of {@link BotApiEmulator}. */
export interface EmulatorOptions {
  /** When given, calls with another token fail 401 "Unauthorized"; otherwise any token works. */
  token?: string;
  /** The path the API is served under ('' by default; the sandbox uses '/sandbox'). */
  basePath?: string;
  /** Long polls end after at most this long (default 1000 ms, which keeps tests fast). */
  longPollCapMs?: number;
  /** POST queued updates to the webhook the bot registers (default false: tests post updates themselves). */
  deliverByWebhook?: boolean;
  /** The bot's name and username (default "Support Test Bot", {@link FAKE_BOT_USERNAME}). */
  bot?: BotProfile;
  /** Told about a failed webhook delivery (never the update's content). */
  onDeliveryError?: (detail: string) => void;
}

/** One Bot API request as the emulator received it. */
export interface ApiRequest {
  /** The method, spelled as in the Bot API (`sendMessage`) when known, else as requested. */
  method: string;
  /** The token from the URL. */
  token: string;
  /** The parsed parameters, as sent: JSON numbers stay numbers, form fields stay strings. */
  params: Params;
  /** `Date.now()` when the request arrived. */
  at: number;
}

/** How a request was answered: the HTTP status and body, and the `result` when it succeeded. */
export interface ApiOutcome {
  status: number;
  body: unknown;
  result?: unknown;
}

/** The emulator; see the file comment. Its world is in memory: a restart loses it. */
export class BotApiEmulator implements ChatHistory {
  /** The chats, messages, topics and settings. */
  readonly world: EmulatorWorld;
  protected readonly delivery: UpdateDelivery;
  private readonly methods: Record<string, MethodHandler>;
  private readonly methodByLowerName: Map<string, string>;
  private readonly listeners = new Set<() => void>();
  private readonly basePath: string;

  constructor(private readonly options: EmulatorOptions = {}) {
    this.world = new EmulatorWorld(options.bot);
    this.basePath = (options.basePath ?? '').replace(/\/$/, '');
    this.delivery = new UpdateDelivery({
      longPollCapMs: options.longPollCapMs ?? 1000,
      deliverByWebhook: options.deliverByWebhook ?? false,
      changed: () => this.changed(),
      ...(options.onDeliveryError === undefined ? {} : { onDeliveryError: options.onDeliveryError }),
    });
    this.methods = { ...chatMethods(this.world), ...messageMethods(this.world), ...draftMethods(this.world), ...this.delivery.methods() };
    this.methodByLowerName = new Map(Object.keys(this.methods).map((name) => [name.toLowerCase(), name]));
  }

  /**
   * Calls `listener` after every change (a call answered, an update queued or delivered); returns
   * the unsubscribe function. The sandbox page's event stream listens here.
   */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What `getChatMember(chatId, userId)` answers; unknown members are 'left'. */
  setChatMember(chatId: number, userId: number, status: ChatMemberStatus): void {
    this.world.setChatMember(chatId, userId, status);
  }

  /**
   * Makes a supergroup a forum (or not): `getChat` answers `is_forum: true` (Telegram omits the
   * field when false) and `createForumTopic` works only in forums, failing otherwise with 400
   * "Bad Request: the chat is not a forum". Chats are not forums until set.
   */
  setForum(chatId: number, isForum: boolean): void {
    this.world.forums.set(chatId, isForum);
  }

  /**
   * Deletes a topic as an operator would: later sends into it fail with 400
   * "Bad Request: message thread not found", topic edits with 400 "Bad Request: TOPIC_ID_INVALID".
   */
  deleteTopic(chatId: number, threadId: number): void {
    this.world.deletedTopics.add(`${chatId}:${threadId}`);
  }

  /**
   * The user blocks the bot: later sends to the chat fail with 403 "Forbidden: bot was blocked
   * by the user" (for a group id: "Forbidden: bot was kicked from the supergroup chat").
   */
  blockBy(chatId: number): void {
    this.world.blocked.add(chatId);
  }

  /**
   * Refuses every `sendMessageDraft` as an old Bot API server (`method_not_found`) or a chat
   * without drafts (`peer_invalid`) would; `undefined` accepts drafts again.
   */
  refuseDrafts(refusal: DraftRefusal | undefined): void {
    this.world.draftRefusal = refusal;
  }

  /**
   * Answers 429 to drafts sent to one chat faster than the limit allows (a token bucket per chat);
   * `undefined` lifts it. Other methods are not limited.
   *
   * @example tg.limitDrafts({ minIntervalMs: 1000, burst: 2, retryAfter: 3 });
   */
  limitDrafts(limit: DraftLimit | undefined): void {
    this.world.draftLimit = limit;
    this.world.draftBuckets = new Map();
  }

  /**
   * Queues an update for the bot (`getUpdates`, or the webhook when delivery by webhook is on).
   * Without `update_id` the next id is given.
   *
   * @throws Error when `update_id` was already confirmed by a `getUpdates` offset: the bot would never see it
   */
  pushUpdate(update: object): void {
    this.delivery.push(update);
    this.changed();
  }

  /** The registered webhook URL ('' in polling mode). */
  get webhookUrl(): string {
    return this.delivery.webhook;
  }

  /** @inheritdoc */
  nextMessageId(chatId: number): number {
    return this.world.history.nextMessageId(chatId);
  }

  /** @inheritdoc */
  findMessage(chatId: number, messageId: number): Message | undefined {
    return this.world.history.findMessage(chatId, messageId);
  }

  /** @inheritdoc */
  remember(message: Message): void {
    this.world.history.remember(message);
  }

  /** Forgets the settings a test made (see {@link EmulatorWorld.resetSettings}), the webhook and queued updates. */
  resetSettings(): void {
    this.world.resetSettings();
    this.delivery.reset();
  }

  /** Ends pending long polls and webhook retries. */
  stop(): void {
    this.delivery.close();
  }

  /**
   * Answers one HTTP request: `<basePath>/bot<token>/<method>` (any casing of the method) and
   * `<basePath>/file/bot<token>/<path>` (a small placeholder file). Returns false, answering
   * nothing, when the path is not the emulator's, so a host app can route it elsewhere.
   */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    if (this.basePath !== '' && !url.pathname.startsWith(`${this.basePath}/`)) return false;
    const path = url.pathname.slice(this.basePath.length);
    const file = /^\/file\/bot[^/]+\/(.+)$/.exec(path);
    if (file !== null) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(`sandbox file ${file[1] ?? ''}`);
      return true;
    }
    const route = /^\/bot([^/]+)\/([^/]+)\/?$/.exec(path);
    if (route === null) {
      if (this.basePath !== '') return false;
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return true;
    }
    const requested = route[2] ?? '';
    let params: Params = Object.fromEntries(url.searchParams);
    let parseError: string | undefined;
    try {
      params = { ...params, ...parseBody(req.headers['content-type'], await readBody(req)) };
    } catch (error) {
      parseError = error instanceof Error ? error.message : String(error);
    }
    const method = this.methodByLowerName.get(requested.toLowerCase());
    const request: ApiRequest = { method: method ?? requested, token: decodeURIComponent(route[1] ?? ''), params, at: Date.now() };
    const outcome = await this.answer(request, method !== undefined, parseError);
    sendJson(res, outcome.status, outcome.body);
    return true;
  }

  /** The method's canonical spelling (`sendmessage` → `sendMessage`), or `method` itself when unknown. */
  protected canonical(method: string): string {
    return this.methodByLowerName.get(method.toLowerCase()) ?? method;
  }

  /** Runs one request. Subclasses wrap it (the tests' fake adds latency). */
  protected async answer(request: ApiRequest, known: boolean, parseError?: string): Promise<ApiOutcome> {
    this.arrived(request);
    try {
      // Decided synchronously up to the handler's first await, so a refused call is marked failed as soon as it is seen.
      if (this.options.token !== undefined && request.token !== this.options.token) throw new ApiRefusal(401, 'Unauthorized');
      if (!known) throw new ApiRefusal(404, 'Not Found: method not found');
      if (parseError !== undefined) throw badRequest(`can't parse request body: ${parseError}`);
      const injected = this.injectedRefusal(request.method);
      if (injected !== undefined) throw injected;
      const handler = this.methods[request.method] as MethodHandler;
      const pending = handler(request.params, this.world.botUser(request.token));
      this.changed();
      const result: unknown = await pending;
      return this.finish(request, { status: 200, body: { ok: true, result }, result });
    } catch (error) {
      if (!(error instanceof ApiRefusal)) throw error;
      return this.finish(request, { status: error.status, body: error.body() });
    }
  }

  /** Hook: a request arrived (before it is checked). */
  protected arrived(_request: ApiRequest): void {}

  /** Hook: a refusal to answer instead of running the method (the tests' failure injection). */
  protected injectedRefusal(_method: string): ApiRefusal | undefined {
    return undefined;
  }

  /** Hook: a request was answered. */
  protected answered(_request: ApiRequest, _outcome: ApiOutcome): void {}

  /** Tells the {@link BotApiEmulator.onChange} listeners. */
  protected changed(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private finish(request: ApiRequest, outcome: ApiOutcome): ApiOutcome {
    this.answered(request, outcome);
    this.changed();
    return outcome;
  }
}
