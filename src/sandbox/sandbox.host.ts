/**
 * The sandbox inside the web process (README "Sandbox"): the Bot API emulator under
 * `/sandbox/bot<token>/<method>`, the demo responder under `/sandbox/llm/v1` (when no LLM is
 * configured), and the page with its JSON API (src/sandbox/sandbox.route.ts). The service's telegraf client reaches the emulator
 * through TELEGRAM_API_ROOT and registers its webhook there; the emulator delivers updates to
 * that webhook with the secret, as Telegram does. Worker processes reach all of it over HTTP at
 * SANDBOX_WEB_URL, so exactly one process (the web one) holds the emulator's world.
 *
 * The world is seeded with the operators' group as a forum supergroup, the bot its admin, and two
 * demo operators (Anna, Boris) as members. It lives in memory: a restart of the web process loses
 * the chats (the dialogs in PostgreSQL stay).
 */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import { BotApiEmulator } from './bot-api.emulator';
import { handleDemoLlm } from './demo.llm';
import { sendJson } from './http.body';
import { SandboxActions, SANDBOX_OPERATORS } from './sandbox.actions';
import { SandboxPage } from './sandbox.page';
import { sandboxRouter, type SandboxInfo } from './sandbox.route';

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
    /** The /sandbox page's model: its users, the screen, the long poll (src/sandbox/sandbox.page.ts). */
    readonly page: SandboxPage = SandboxPage.create(emulator, actions),
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

  /** The page and the sandbox's JSON API under `/sandbox` (src/sandbox/sandbox.route.ts). */
  router(): Router {
    return sandboxRouter({ page: this.page, info: () => this.info() });
  }

  /** Ends the emulator's long polls and webhook retries, and the page's long polls. */
  stop(): void {
    this.page.close();
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
