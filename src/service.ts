import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import type Router from '@koa/router';
import { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { OpenAiLlm } from './adapters/llm/openai.llm';
import { FloodWindow } from './adapters/redis/flood.window';
import { RatingCommentMarker } from './adapters/redis/rating-comment.marker';
import { InboxSignal } from './adapters/redis/inbox.signal';
import { RedisSnapshotStore } from './adapters/redis/snapshot.store';
import { TelegramClient } from './adapters/telegram/telegram.client';
import type { Config } from './config';
import { DialogEngine } from './core/dialog.engine';
import type { EffectHandlers } from './core/effects/effect.handlers';
import { llmEffects } from './core/effects/llm.effects';
import { operatorEffects } from './core/effects/operator.effects';
import { banEffects } from './core/effects/ban.effects';
import { dutyEffects } from './core/effects/duty.effects';
import { replyEffects } from './core/effects/reply.effects';
import { historyEffects } from './core/effects/history.effects';
import { editEffects } from './core/effects/edit.effects';
import { briefEffects } from './core/effects/brief.effects';
import { ratingEffects } from './core/effects/rating.effects';
import { hoursEffects } from './core/effects/hours.effects';
import { systemClock, type Clock } from './core/clock';
import { userEffects } from './core/effects/user.effects';
import { InboxWorker } from './core/inbox.worker';
import { IntentRouter } from './core/intent.router';
import { OutboxRunner } from './core/outbox.runner';
import { TimerPoller } from './core/timer.poller';
import { createDb } from './db/knex';
import { adminRouter } from './http/admin.route';
import { closeServer, createHttpApps, listen } from './http/app';
import { livenessRouter, readinessRouter } from './http/health.route';
import { metricsRouter } from './http/metrics.route';
import { webhookRouter } from './http/webhook.route';
import { startDialogInspector } from './inspect/dialog.inspector';
import { createLogger, type Logger } from './logger';
import { KnowledgeBase, OpenAiEmbeddings } from './knowledge';
import { Metrics } from './metrics';
import { SavedReplies } from './replies/saved.replies';
import { AdminStore } from './store/admin.store';
import { DialogStore } from './store/dialog.store';
import { BanStore } from './store/ban.store';
import { PairStore } from './store/pair.store';
import { DutyStore } from './store/duty.store';
import { HistoryStore } from './store/history.store';
import { RatingStore } from './store/rating.store';
import { StatsStore } from './store/stats.store';
import { Inbox, type ClaimedUpdate } from './store/inbox.store';
import { OutboxStore } from './store/outbox.store';
import { TimerStore } from './store/timer.store';
import { SandboxHost } from './sandbox/sandbox.host';
import { productionWarnings } from './config.warnings';
import { registerCommands } from './telegram/commands.menu';
import { startPolling } from './telegram/polling';
import { ALLOWED_UPDATES } from './telegram/update.types';
import { UpdateIntake } from './telegram/update.intake';
import { updateKind } from './telegram/update.schema';

/** A running service, as `main.ts` and the end-to-end tests hold it. */
export interface RunningService {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  /** Where the admin API, /metrics and /readyz answer: `url`, or the ADMIN_PORT listener's. */
  adminUrl: string;
  server: Server;
  db: Knex;
  redis: Redis;
  engine: DialogEngine;
  runner: OutboxRunner;
  metrics: Metrics;
  log: Logger;
  /** In sandbox mode, in the process that hosts it: the emulator and the page's actions (src/sandbox/sandbox.host.ts). */
  sandbox: SandboxHost | null;
  /** Graceful stop: no new requests, the work in hand finished, pools closed. */
  stop(): Promise<void>;
}

/** What callers may set beside the configuration: where logs go, poll intervals (shorter in tests). */
export interface ServiceOptions {
  log?: Logger;
  /** Poll intervals, shorter in tests. */
  timerPollMs?: number;
  /** How often the outbox runner looks for effects nobody started (retries due, work of a crashed process). Default 500 ms. */
  outboxPollMs?: number;
  /** How often idle workers look for work nobody told them about (default 250 ms). */
  inboxPollMs?: number;
  /** The clock every step, timer and working-hours decision reads (default the real one; tests set the time of day). */
  clock?: Clock;
}

/**
 * The composition root's body: builds every adapter from the configuration, wires them into the
 * dialog engine and the inbox workers, starts HTTP, and (in polling mode) the getUpdates loop.
 *
 * `SERVICE_ROLE` splits it in two (see {@link Config.role}): `web` processes store updates and
 * wake the workers over Redis ({@link InboxSignal}); `worker` processes claim and process them.
 * Apart, acknowledging Telegram never waits behind the workers' event loop.
 */
export async function startService(config: Config, options: ServiceOptions = {}): Promise<RunningService> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const serves = config.role !== 'worker'; // Telegram's updates in, the admin API
  const works = config.role !== 'web'; // the inbox workers, timers, the outbox
  if (config.role === 'worker' && config.workerNice > 0) {
    try {
      os.setPriority(Math.min(19, os.getPriority() + config.workerNice));
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not lower the worker\'s CPU priority');
    }
  }
  const systemPrompt = readSystemPrompt(config.llm.systemPromptFile);
  const instanceId = config.instanceId ?? `${os.hostname()}:${config.http.port}`;

  // A step holds a connection for one statement; LLM calls hold none. The webhook has its own pool.
  const db = createDb(config.databaseUrl, Math.min(24, config.workerConcurrency + 8), log);
  const ingestDb = createDb(config.databaseUrl, 4, log);
  // Redis is a cache here: while it is away a command fails at once (no offline queue) and the
  // step reads PostgreSQL instead; reconnection is tried every second at most, so it is used again
  // within a second of its return.
  const redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (times) => Math.min(times * 100, 1000) });
  redis.on('error', (error) => log.warn({ err: error.message }, 'redis connection error'));
  await redis.connect();

  const dialogs = DialogStore.create(db);
  const bans = BanStore.create(db);
  const duty = DutyStore.create(db);
  const history = HistoryStore.create(db);
  const ratings = RatingStore.create(db);
  const ratingComments = RatingCommentMarker.create(redis);
  const outbox = OutboxStore.create(db);
  const inbox = Inbox.create(db, ingestDb);
  const metrics = new Metrics({ openDialogsByState: () => dialogs.openDialogsByState(), inboxPending: () => inbox.pending() });
  const telegram = TelegramClient.create({
    token: config.telegram.token,
    apiRoot: config.telegram.apiRoot,
    onError: (method, code) => metrics.telegramError(method, code),
  });
  const llm = OpenAiLlm.create(config.llm);
  const { operatorChatId, operatorLang } = config.telegram;
  const replies = SavedReplies.create(config.repliesDir);

  // The company's knowledge base (KNOWLEDGE_DIR, `off` for none), indexed at start when its files changed.
  const knowledge = config.knowledge.dir === 'off' ? null : KnowledgeBase.create({
    db,
    dir: config.knowledge.dir,
    log,
    ranking: { minProbability: config.knowledge.minProbability },
    embeddings: config.knowledge.embeddingsModel
      ? OpenAiEmbeddings.create({ apiKey: config.llm.apiKey, baseURL: config.llm.baseURL, model: config.knowledge.embeddingsModel, timeoutMs: config.llm.timeoutMs, maxRetries: config.llm.maxRetries })
      : undefined,
  });
  if (knowledge) {
    const indexed = await knowledge.ensureIndexed();
    log.info({ dir: config.knowledge.dir, entries: indexed.entries, reindexed: indexed.changed }, 'knowledge base ready');
  }

  const inspector = config.inspect.enabled && works ? await startDialogInspector(config.inspect.port) : null;
  if (inspector) log.info({ url: `http://localhost:${config.inspect.port}` }, 'Stately inspector: open this page to watch the dialogs');
  const engine = DialogEngine.create({
    store: dialogs,
    snapshots: RedisSnapshotStore.create(redis),
    settings: config.handoff,
    log,
    observers: [metrics, ...(inspector ? [inspector] : [])],
    instanceId,
    clock,
  });
  const handlers: EffectHandlers = {
    ...userEffects({ telegram, log }),
    ...operatorEffects({ store: dialogs, telegram, log, operatorChatId, operatorLang, duty: { store: duty, autoAssign: config.autoAssign } }),
    ...banEffects({ bans, telegram, operatorChatId, operatorLang }),
    ...dutyEffects({ duty, telegram, operatorChatId, operatorLang }),
    ...replyEffects({ replies, telegram, log, operatorChatId, operatorLang }),
    ...historyEffects({ history, telegram, operatorChatId, operatorLang }),
    ...editEffects({ pairs: PairStore.create(db), telegram, log, operatorChatId, operatorLang }),
    ...ratingEffects({ enabled: config.csat, ratings, comments: ratingComments, telegram, log, operatorChatId, operatorLang, observer: metrics, clock }),
    ...hoursEffects({ telegram }),
    ...briefEffects({ enabled: config.ticketBrief, store: dialogs, telegram, llm, log, operatorChatId, operatorLang }),
    ...llmEffects({
      store: dialogs,
      telegram,
      llm,
      log,
      historyMessages: config.llm.historyMessages,
      systemPrompt,
      streaming: config.streaming,
      knowledge: knowledge ? { base: knowledge, topK: config.knowledge.topK } : undefined,
      observer: metrics,
    }),
    scheduleTimer: async () => ({}),
    cancelTimer: async () => ({}),
    keepForTicket: async () => ({}),
    keepNote: async () => ({}),
  };
  const runner = OutboxRunner.create({
    outbox,
    store: dialogs,
    engine,
    handlers,
    log,
    instanceId,
    operatorChatId,
    sendConcurrency: config.sendConcurrency,
    llmConcurrency: config.llmConcurrency,
    pollMs: options.outboxPollMs ?? 500,
    observer: metrics,
  });
  const router = IntentRouter.create({ engine, store: dialogs, bans, replies, flood: FloodWindow.create(redis, config.userMessagesPerMinute), comments: ratingComments, ratings, clock, telegram, operatorChatId, operatorLang });

  const handle = async (claimed: ClaimedUpdate) => {
    const stopTimer = metrics.processing.startTimer();
    const kind = updateKind(claimed.payload);
    const routed = await router.route(claimed.payload, claimed.receivedAt);
    if (routed.result) void runner.accept(routed.result);
    else runner.poke(); // a reply to no dialog was queued, or nothing: cheap either way
    log.info({ updateId: claimed.updateId, kind, dialogId: routed.dialogId, state: routed.state }, 'update processed');
    stopTimer();
  };
  const worker = InboxWorker.create({
    inbox,
    handle,
    log,
    concurrency: config.workerConcurrency,
    pollMs: options.inboxPollMs,
    instanceId,
    // The operators hear once when a user's message could not be processed.
    noticeOf: (claimed) => {
      const chatId = Number(/^chat:(\d+)$/.exec(claimed.lane)?.[1]);
      return chatId > 0 ? { type: 'replyToOperator', params: { key: 'updateSetAside', place: {}, n: chatId } } : undefined;
    },
  });
  const timers = TimerPoller.create({ timers: TimerStore.create(db), engine, log, clock, onStep: (result) => void runner.accept(result) });
  // Who is told that an update was stored: the workers of this process, or those of the worker processes.
  const signal = config.role === 'web' ? InboxSignal.create(redis) : null;
  const onStored = () => (signal ? signal.notify() : worker.poke());

  const intake = UpdateIntake.create({ inbox, operatorChatId, onStored, log, observer: metrics });

  // Sandbox mode: this (web) process hosts the Bot API emulator and the demo LLM (README "Sandbox").
  const sandbox = config.sandbox && serves
    ? SandboxHost.create({ token: config.telegram.token, operatorChatId, llm: { demo: config.sandbox.demoLlm, model: config.llm.model, baseURL: config.llm.baseURL }, log })
    : null;
  const publicRouters: Router[] = [livenessRouter(), ...(sandbox ? [sandbox.router()] : [])];
  if (serves && config.telegram.mode === 'webhook') {
    publicRouters.push(webhookRouter({ path: config.telegram.webhookPath, secret: config.telegram.webhookSecret, intake }));
  }
  const adminRouters: Router[] = [
    readinessRouter([
      { name: 'postgres', check: () => dialogs.ping() },
      { name: 'redis', check: async () => void (await redis.ping()) },
    ]),
  ];
  if (serves) adminRouters.push(adminRouter({ admin: AdminStore.create(db), dialogs, bans, history, stats: StatsStore.create(db), clock, engine, runner, knowledge, adminToken: config.adminToken }));
  adminRouters.push(metricsRouter(metrics));
  const apps = createHttpApps({ public: publicRouters, admin: adminRouters, publicMiddleware: sandbox ? [sandbox.middleware()] : [] }, log, config.http.adminPort);
  const { server, url } = await listen(apps.public, config.http.port, config.http.host);
  const admin = apps.admin ? await listen(apps.admin, config.http.adminPort ?? 0, config.http.host) : null;
  const adminUrl = admin?.url ?? url;

  let pruner: NodeJS.Timeout | null = null;
  let signals: { close(): Promise<void> } | null = null;
  if (works) {
    // Claims a previous run of this instance held are void: its unfinished work is taken up at once.
    const released = { updates: await inbox.releaseInstance(instanceId), effects: await outbox.releaseInstance(instanceId) };
    if (released.updates || released.effects) log.info(released, 'took up work left by this instance before a restart');
    if (config.role === 'worker') {
      signals = await InboxSignal.subscribe(
        redis,
        () => worker.poke(),
        (error) => log.warn({ err: error.message }, 'lost the Redis subscription that wakes the workers; polling meanwhile'),
      );
    }
    worker.start();
    runner.start();
    timers.start(options.timerPollMs ?? 1000);
    pruner = setInterval(() => void inbox.prune().catch(() => undefined), 3600_000);
  }

  let polling: { stop(): Promise<void> } | null = null;
  // A worker process leaves Telegram to the web processes: no polling, no webhook registration.
  if (serves && config.telegram.mode === 'polling') {
    await telegram.deleteWebhook().catch((error: unknown) => log.warn({ err: String(error) }, 'deleteWebhook failed'));
    polling = startPolling({ telegram, intake, log });
  } else if (serves && config.telegram.webhookUrl) {
    try {
      await telegram.setWebhook(config.telegram.webhookUrl, config.telegram.webhookSecret, ALLOWED_UPDATES);
      log.info({ path: config.telegram.webhookPath }, 'webhook registered');
    } catch (error) {
      log.error({ err: error instanceof Error ? error.message : String(error) }, 'setWebhook failed: Telegram will not deliver updates until it succeeds');
    }
  }
  if (serves) {
    void registerCommands(telegram, operatorChatId, operatorLang).then((failures) => {
      for (const failure of failures) log.warn({ scope: failure.scope, err: failure.error }, 'setMyCommands failed');
    });
  }
  log.info({ url, adminUrl, mode: config.sandbox ? 'sandbox' : config.telegram.mode, role: config.role, instanceId }, 'service started');
  if (sandbox && config.sandbox) log.info({ llm: sandbox.info().llm.kind }, `open ${config.sandbox.pageUrl}; set BOT_TOKEN in .env to go live`);
  if (serves) for (const warning of productionWarnings(config)) log.warn(`production: ${warning}`);

  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      log.info('stopping: no new requests, finishing the work in hand');
      sandbox?.stop();
      await Promise.all([closeServer(server), admin ? closeServer(admin.server) : undefined]);
      await polling?.stop();
      await signals?.close();
      if (pruner) clearInterval(pruner);
      await worker.stop();
      await timers.stop();
      await runner.stop();
      await Promise.all([db.destroy(), ingestDb.destroy()]);
      await redis.quit().catch(() => redis.disconnect());
      inspector?.stop();
      log.info('stopped');
    })());

  return { url, adminUrl, server, db, redis, engine, runner, metrics, log, sandbox, stop };
}

function readSystemPrompt(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`SYSTEM_PROMPT_FILE "${file}" cannot be read: point it at a text file with the bot's instructions (default prompts/system.md)`);
  }
}
