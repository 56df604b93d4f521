/**
 * Starts the real service from the environment, in its own process, for the benchmark:
 * `startService(loadConfig(process.env))`, exactly as `src/main.ts` does, then prints
 * `SERVICE_URL=<url>` on stdout and, when started by `bench/run.ts`, sends it over IPC.
 *
 * Usage (by hand): `DATABASE_URL=… REDIS_URL=… npx tsx bench/serve.ts`
 *
 * `BENCH_MODE=webhook-only` starts only the HTTP layer with the webhook route over the real
 * inbox (no workers, no timers): a diagnostic that separates the webhook's own cost from the
 * workers it shares the process with.
 *
 * IPC requests: `memory` (process.memoryUsage(), after a full GC when Node runs with
 * --expose-gc); `stats` (SQL statements sent, event-loop delay and the Knex pool's queue since the previous `stats`:
 * how long callbacks waited for the event loop, and how many queries waited for a connection,
 * sampled every 5 ms). SIGTERM or a lost parent stops it gracefully; a CPU profile (--cpu-prof)
 * is written on that exit.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Knex } from 'knex';
import { loadConfig } from '../src/config';
import { Inbox } from '../src/store/inbox.store';
import { createDb } from '../src/db/knex';
import { createHttpApp } from '../src/http/app';
import { webhookRouter } from '../src/http/webhook.route';
import { UpdateIntake } from '../src/telegram/update.intake';
import { createLogger } from '../src/logger';
import { startService } from '../src/service';
import { serveIpc } from './lib/children';

/** What the pool sampler reads: tarn's pool behind Knex. */
interface PoolGauge {
  numUsed(): number;
  numPendingAcquires(): number;
}

/** Samples event-loop delay and the pool's queue; `take()` returns and resets the figures. */
function startGauges(db: Knex) {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const pool = (db.client as { pool?: PoolGauge }).pool;
  let queries = 0;
  db.on('query', () => {
    queries += 1;
  });
  let samples = 0;
  let pendingSum = 0;
  let pendingMax = 0;
  let usedSum = 0;
  const timer = setInterval(() => {
    if (!pool) return;
    const pending = pool.numPendingAcquires();
    samples += 1;
    pendingSum += pending;
    pendingMax = Math.max(pendingMax, pending);
    usedSum += pool.numUsed();
  }, 5);
  timer.unref();
  // The histogram records the time between the sampler's ticks (every 5 ms); the lag is the excess.
  const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - 5) * 100) / 100);
  return {
    take() {
      const figures = {
        sqlStatements: queries,
        eventLoopLag: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max), unit: 'ms' },
        pool: {
          waitingForConnectionMean: samples ? Math.round((pendingSum / samples) * 10) / 10 : 0,
          waitingForConnectionMax: pendingMax,
          connectionsInUseMean: samples ? Math.round((usedSum / samples) * 10) / 10 : 0,
          size: (db.client as { config?: { pool?: { max?: number } } }).config?.pool?.max ?? null,
        },
      };
      loop.reset();
      queries = 0;
      samples = 0;
      pendingSum = 0;
      pendingMax = 0;
      usedSum = 0;
      return figures;
    },
  };
}

async function startWebhookOnly(): Promise<{ url: string; db: Knex; stop(): Promise<void> }> {
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  // A pool as large as the workers' (20): this diagnostic measures the route, not pool contention.
  const db = createDb(config.databaseUrl, Math.max(10, config.workerConcurrency + 4));
  const app = createHttpApp(
    [
      webhookRouter({
        path: config.telegram.webhookPath,
        secret: config.telegram.webhookSecret,
        intake: UpdateIntake.create({ inbox: Inbox.create(db), operatorChatId: config.telegram.operatorChatId, onStored: () => undefined, log }),
      }),
    ],
    log,
  );
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.http.port, config.http.host, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.http.host}:${port}`,
    db,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await db.destroy();
    },
  };
}

async function main(): Promise<void> {
  const service =
    process.env.BENCH_MODE === 'webhook-only' ? await startWebhookOnly() : await startService(loadConfig(process.env));
  process.stdout.write(`SERVICE_URL=${service.url}\n`);
  const gauges = startGauges(service.db);

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      try {
        await service.stop();
      } finally {
        process.exit(0);
      }
    })();
    return stopping;
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());

  const gc = (globalThis as { gc?: () => void }).gc;
  serveIpc({
    memory: () => {
      gc?.();
      return { memory: process.memoryUsage(), gc: gc !== undefined };
    },
    stats: () => gauges.take(),
  });
  process.removeAllListeners('disconnect');
  process.on('disconnect', () => void stop());
  process.send?.({ type: 'ready', url: service.url, pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/serve.ts failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
