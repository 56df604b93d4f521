import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import type Router from '@koa/router';
import { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { OpenAiLlm } from './adapters/llm/openai.llm';
import { InboxSignal } from './adapters/redis/inbox.signal';
import { RedisSnapshotStore } from './adapters/redis/snapshot.store';
import { TelegramClient } from './adapters/telegram/telegram.client';
import type { Config } from './config';
import { DialogEngine } from './core/dialog.engine';
import { TelegramEffectRunner } from './core/effects.runner';
import { Inbox, InboxWorker, type ClaimedUpdate } from './core/inbox';
import { TimerPoller } from './core/timer.poller';
import { ALLOWED_UPDATES, UpdateProcessor } from './core/update.processor';
import { createDb } from './db/knex';
import { adminRouter } from './http/admin.route';
import { closeServer, createHttpApps, listen } from './http/app';
import { livenessRouter, readinessRouter } from './http/health.route';
import { metricsRouter } from './http/metrics.route';
import { webhookRouter, updateKind } from './http/webhook.route';
import { startDialogInspector } from './inspect/dialog.inspector';
import { createLogger, type Logger } from './logger';
import { Metrics } from './metrics';
import { registerCommands } from './telegram/commands.menu';
import { startPolling } from './telegram/polling';
import { UpdateIntake } from './telegram/update.intake';

/** A running service, as `main.ts` and the end-to-end tests hold it. */
export interface RunningService {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  /** Where the admin API, /metrics and /readyz answer: `url` unless ADMIN_PORT is set. */
  adminUrl: string;
  server: Server;
  db: Knex;
  redis: Redis;
  engine: DialogEngine;
  metrics: Metrics;
  log: Logger;
  /** Graceful stop: no new requests, the work in hand finished, pools closed. */
  stop(): Promise<void>;
}

/** What callers may set beside the configuration: where logs go, poll intervals (shorter in tests). */
export interface ServiceOptions {
  log?: Logger;
  /** Poll intervals, shorter in tests. */
  timerPollMs?: number;
  outboxResumeMs?: number;
  /** How often idle workers look for work nobody told them about (default 250 ms). */
  inboxPollMs?: number;
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

  // Connections are held only inside a step's short transaction (never across an LLM call), so
  // the workers' pool can be much smaller than their number; the webhook has its own.
  const db = createDb(config.databaseUrl, Math.min(20, config.workerConcurrency + 4), log);
  const ingestDb = createDb(config.databaseUrl, 4, log);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  redis.on('error', (error) => log.warn({ err: error.message }, 'redis connection error'));
  await redis.connect();
  const metrics = new Metrics(db);

  const telegram = TelegramClient.create({
    token: config.telegram.token,
    apiRoot: config.telegram.apiRoot,
    onError: (method, code) => metrics.telegramError(method, code),
  });
  const llm = OpenAiLlm.create(config.llm);
  const runner = TelegramEffectRunner.create({
    db,
    telegram,
    llm,
    log,
    operatorChatId: config.telegram.operatorChatId,
    operatorLang: config.telegram.operatorLang,
    historyMessages: config.llm.historyMessages,
    systemPrompt,
    observer: metrics,
  });
  const inspector = config.inspect.enabled && works ? await startDialogInspector(config.inspect.port) : null;
  if (inspector) log.info({ url: `http://localhost:${config.inspect.port}` }, 'Stately inspector: open this page to watch the dialogs');
  const engine = DialogEngine.create({
    db,
    snapshots: RedisSnapshotStore.create(redis),
    settings: config.handoff,
    log,
    runner,
    observers: [metrics, runner, ...(inspector ? [inspector] : [])],
    instanceId,
  });
  const processor = UpdateProcessor.create({
    db,
    engine,
    telegram,
    log,
    operatorChatId: config.telegram.operatorChatId,
    operatorLang: config.telegram.operatorLang,
  });
  const inbox = Inbox.create(db, ingestDb);

  const handle = async (claimed: ClaimedUpdate) => {
    const stopTimer = metrics.processing.startTimer();
    const kind = updateKind(claimed.payload as unknown as Record<string, unknown>);
    if (claimed.applied) {
      // A worker died after committing this update's step: only its effects are left to do.
      const row = await db('dialogs').where({ id: claimed.applied.dialogId }).first('chat_id');
      if (row) await engine.resumeDialog(Number(row.chat_id), claimed.applied.dialogId);
      log.info({ updateId: claimed.updateId, dialogId: claimed.applied.dialogId, kind }, 'update resumed after a crash');
    } else {
      const result = await processor.process(claimed.payload);
      log.info({ updateId: claimed.updateId, kind, dialogId: result.dialogId, state: result.state }, 'update processed');
    }
    stopTimer();
  };
  const worker = InboxWorker.create({ inbox, handle, log, concurrency: config.workerConcurrency, pollMs: options.inboxPollMs, instanceId });
  const timers = TimerPoller.create({ db, engine, log });
  // Who is told that an update was stored: the workers of this process, or those of the worker processes.
  const signal = config.role === 'web' ? InboxSignal.create(redis) : null;
  const onStored = () => (signal ? signal.notify() : worker.poke());
  const intake = UpdateIntake.create({ inbox, operatorChatId: config.telegram.operatorChatId, onStored, log, observer: metrics });

  const publicRouters: Router[] = [livenessRouter()];
  if (serves && config.telegram.mode === 'webhook') {
    publicRouters.push(webhookRouter({ path: config.telegram.webhookPath, secret: config.telegram.webhookSecret, intake }));
  }
  const adminRouters: Router[] = [
    readinessRouter([
      { name: 'postgres', check: async () => void (await db.raw('SELECT 1')) },
      { name: 'redis', check: async () => void (await redis.ping()) },
    ]),
  ];
  if (serves) adminRouters.push(adminRouter({ db, engine, telegram, adminToken: config.adminToken }));
  adminRouters.push(metricsRouter(metrics));
  const apps = createHttpApps({ public: publicRouters, admin: adminRouters }, log, config.http.adminPort);
  const { server, url } = await listen(apps.public, config.http.port, config.http.host);
  const admin = apps.admin ? await listen(apps.admin, config.http.adminPort ?? 0, config.http.host) : null;
  const adminUrl = admin?.url ?? url;

  const released = await engine.releaseOwnLeases();
  if (released.updates || released.effects) log.info(released, 'took up work left by this instance before a restart');
  let resuming: Promise<unknown> = Promise.resolve();
  let resumer: NodeJS.Timeout | null = null;
  let pruner: NodeJS.Timeout | null = null;
  let signals: { close(): Promise<void> } | null = null;
  if (works) {
    if (config.role === 'worker') {
      signals = await InboxSignal.subscribe(
        redis,
        () => worker.poke(),
        (error) => log.warn({ err: error.message }, 'lost the Redis subscription that wakes the workers; polling meanwhile'),
      );
    }
    worker.start();
    timers.start(options.timerPollMs ?? 1000);
    const resumeEvery = options.outboxResumeMs ?? 10_000;
    const resumeLater = () => {
      resumer = setTimeout(() => {
        resuming = engine
          .resumeOutbox()
          .catch((error: unknown) => log.error({ err: String(error) }, 'outbox resume failed'))
          .finally(() => {
            if (resumer) resumeLater();
          });
      }, resumeEvery);
    };
    resumeLater();
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
    void registerCommands(telegram, config.telegram.operatorChatId).then((failures) => {
      for (const failure of failures) log.warn({ scope: failure.scope, err: failure.error }, 'setMyCommands failed');
    });
  }
  log.info({ url, adminUrl, mode: config.telegram.mode, role: config.role, instanceId }, 'service started');

  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= (async () => {
      log.info('stopping: no new requests, finishing the work in hand');
      await Promise.all([closeServer(server), admin ? closeServer(admin.server) : undefined]);
      await polling?.stop();
      await signals?.close();
      if (resumer) clearTimeout(resumer);
      resumer = null;
      if (pruner) clearInterval(pruner);
      await worker.stop();
      await timers.stop();
      await resuming;
      await Promise.all([db.destroy(), ingestDb.destroy()]);
      await redis.quit().catch(() => redis.disconnect());
      inspector?.stop();
      log.info('stopped');
    })());

  return { url, adminUrl, server, db, redis, engine, metrics, log, stop };
}

function readSystemPrompt(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`SYSTEM_PROMPT_FILE "${file}" cannot be read: point it at a text file with the bot's instructions (default prompts/system.md)`);
  }
}
