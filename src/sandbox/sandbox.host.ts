/**
 * The sandbox inside the web process (README "Sandbox"): the Bot API emulator under
 * `/sandbox/bot<token>/<method>`, the demo responder under `/sandbox/llm/v1` (when no LLM is
 * configured) and `GET /sandbox/api/info`. The service's telegraf client reaches the emulator
 * through TELEGRAM_API_ROOT and registers its webhook there; the emulator delivers updates to
 * that webhook with the secret, as Telegram does. Worker processes reach all of it over HTTP at
 * SANDBOX_WEB_URL, so exactly one process (the web one) holds the emulator's world.
 *
 * The world is seeded with the operators' group as a forum supergroup, the bot its admin, and two
 * demo operators (Anna, Boris) as members. It lives in memory: a restart of the web process loses
 * the chats (the dialogs in PostgreSQL stay).
 */
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { jsonBody } from '../http/json-body.middleware';
import { BotApiEmulator } from './bot-api.emulator';
import { handleDemoLlm } from './demo.llm';
import { sendJson } from './http.body';
import { SandboxActions, SANDBOX_OPERATORS } from './sandbox.actions';

/** Which LLM answers in the sandbox, for the page. */
export type SandboxLlmInfo =
  | { kind: 'demo'; label: string }
  | { kind: 'configured'; model: string; host: string };

/** What `GET /sandbox/api/info` answers. */
export interface SandboxInfo {
  mode: 'sandbox';
  llm: SandboxLlmInfo;
  operatorChatId: number;
  operators: Array<{ id: number; name: string }>;
  bot: { id: number; username: string };
  /** Always false: the emulator's chats are lost when the web process restarts. */
  persistent: false;
}

/** Options of {@link SandboxHost.create}. */
export interface SandboxHostOptions {
  token: string;
  operatorChatId: number;
  /** The LLM the service talks to: the demo when `demo`, else its model and base URL. */
  llm: { demo: boolean; model: string; baseURL: string };
  /** Told about failed webhook deliveries. */
  log: { warn(obj: object, msg: string): void };
}

const DEMO_LLM_ROOT = '/sandbox/llm/v1';

/** The sandbox's parts in the web process; see the file comment. */
export class SandboxHost {
  private constructor(
    /** The Bot API emulator (its world: chats, topics, drafts). */
    readonly emulator: BotApiEmulator,
    /** The page's actions and views over the emulator. */
    readonly actions: SandboxActions,
    private readonly options: SandboxHostOptions,
  ) {}

  /** Builds the emulator and seeds its world; no I/O. */
  static create(options: SandboxHostOptions): SandboxHost {
    const emulator = new BotApiEmulator({
      token: options.token,
      basePath: '/sandbox',
      deliverByWebhook: true,
      longPollCapMs: 25_000,
      bot: { first_name: 'Support Bot (sandbox)', username: 'support_sandbox_bot' },
      onDeliveryError: (detail) => options.log.warn({ detail }, 'sandbox: the webhook did not take an update; delivering it again'),
    });
    const group = options.operatorChatId;
    emulator.setForum(group, true);
    emulator.setChatMember(group, emulator.world.botUser(options.token).id, 'administrator');
    for (const operator of SANDBOX_OPERATORS) emulator.setChatMember(group, operator.id, 'member');
    return new SandboxHost(emulator, new SandboxActions(emulator, group), options);
  }

  /** Which LLM answers, as the page shows it. */
  info(): SandboxInfo {
    const { llm, operatorChatId, token } = this.options;
    const bot = this.emulator.world.botUser(token);
    return {
      mode: 'sandbox',
      llm: llm.demo
        ? { kind: 'demo', label: 'Demo responder: quotes the best knowledge base entry (no LLM configured)' }
        : { kind: 'configured', model: llm.model, host: hostOf(llm.baseURL) },
      operatorChatId,
      operators: SANDBOX_OPERATORS.map((o) => ({ id: o.id, name: o.first_name ?? String(o.id) })),
      bot: { id: bot.id, username: bot.username ?? '' },
      persistent: false,
    };
  }

  /**
   * Koa middleware answering the emulator's and the demo responder's paths from the raw request
   * (they read their own bodies); other paths go on to the routers.
   */
  middleware(): Middleware {
    const { emulator } = this;
    const { demo } = this.options.llm;
    const { log } = this.options;
    return async function sandboxApis(ctx, next) {
      if (!ctx.path.startsWith('/sandbox/')) return next();
      ctx.respond = false;
      try {
        if (await emulator.handle(ctx.req, ctx.res)) return;
        if (demo && (await handleDemoLlm(ctx.req, ctx.res, DEMO_LLM_ROOT))) return;
      } catch (error) {
        // Koa's error boundary cannot answer once `respond` is off: answer here, as Telegram's 500 would look.
        log.warn({ err: error instanceof Error ? error.message : String(error), path: ctx.path }, 'sandbox: a request failed');
        if (!ctx.res.headersSent) sendJson(ctx.res, 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
        else ctx.res.destroy();
        return;
      }
      ctx.respond = true;
      return next();
    };
  }

  /**
   * The sandbox's JSON API, the page's first endpoints (the page adds its own beside them):
   * - `GET /sandbox/api/info`: which LLM answers, the operators, the bot;
   * - `POST /sandbox/api/chats/<userId>/messages` `{ text, first_name?, language_code? }`: that user
   *   writes to the bot (202: queued for the bot, as Telegram would deliver it);
   * - `GET /sandbox/api/chats/<chatId>/messages`: the chat's messages as {@link SandboxActions.messages} shows them.
   * No authentication: the sandbox is for trying the bot on your own machine, with made-up users.
   */
  router(): Router {
    const router = new Router();
    const chatIdOf = (raw: string): number => {
      const id = Number(raw);
      if (!Number.isSafeInteger(id) || id === 0) throw Object.assign(new Error('chat id must be a non-zero integer'), { status: 400, expose: true });
      return id;
    };
    router.get('/sandbox/api/info', (ctx) => {
      ctx.body = this.info();
    });
    router.post('/sandbox/api/chats/:id/messages', jsonBody('64kb'), (ctx) => {
      const userId = chatIdOf(ctx.params.id ?? '');
      const body = (ctx.request.body ?? {}) as { text?: unknown; first_name?: unknown; language_code?: unknown };
      if (userId < 0) ctx.throw(400, 'users have positive ids; operators write with their own endpoints', { code: 'NOT_A_USER' });
      if (typeof body.text !== 'string' || body.text.trim() === '') ctx.throw(400, 'text is required', { code: 'TEXT_REQUIRED' });
      this.actions.user({
        id: userId,
        first_name: typeof body.first_name === 'string' && body.first_name !== '' ? body.first_name : `User ${userId}`,
        ...(typeof body.language_code === 'string' ? { language_code: body.language_code } : {}),
      });
      this.actions.userSends(userId, body.text as string);
      ctx.status = 202;
      ctx.body = { ok: true };
    });
    router.get('/sandbox/api/chats/:id/messages', (ctx) => {
      ctx.body = { messages: this.actions.messages(chatIdOf(ctx.params.id ?? '')).map(({ raw: _raw, ...shown }) => shown) };
    });
    return router;
  }

  /** Ends the emulator's long polls and webhook retries. */
  stop(): void {
    this.emulator.stop();
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
