import { Redis } from 'ioredis';
import type { Knex } from 'knex';
import knex from 'knex';
import { createDb } from '../../src/db/knex';

/** The benchmark's own database and Redis database: never the tests' (support_bot_test, db 15). */
export const BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/support_bot_bench_test';
export const BENCH_REDIS_URL = 'redis://127.0.0.1:6379/14';
const ADMIN_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

const TABLES = ['dialog_timers', 'outbox', 'inbox_updates', 'dialog_transitions', 'message_links', 'messages', 'dialogs', 'operators', 'users'];

function databaseName(url: string): string {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!name.includes('test')) throw new Error(`refusing to benchmark against database "${name}": its name must contain "test"`);
  return name;
}

/** PostgreSQL and Redis as the runner uses them: to reset between parts and to read figures. */
export interface Stores {
  db: Knex;
  redis: Redis;
  /** Empties every table and the Redis database, so each part starts from the same state. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Drops and creates the benchmark database, runs the real migrations in it, flushes Redis db 14,
 * and returns connections to both.
 */
export async function prepareStores(): Promise<Stores> {
  const name = databaseName(BENCH_DATABASE_URL);
  const admin = knex({ client: 'pg', connection: ADMIN_DATABASE_URL, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.raw(`CREATE DATABASE ${name}`);
  } finally {
    await admin.destroy();
  }
  const db = createDb(BENCH_DATABASE_URL, 4);
  await db.migrate.latest();
  const redis = new Redis(BENCH_REDIS_URL, { maxRetriesPerRequest: 2 });
  await redis.flushdb();
  return {
    db,
    redis,
    async reset() {
      await db.raw(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY CASCADE`);
      await redis.flushdb();
    },
    async close() {
      await db.destroy();
      redis.disconnect();
    },
  };
}

/** Updates stored and not processed, and effects not done. */
export async function pendingWork(db: Knex): Promise<{ inbox: number; outbox: number }> {
  const result = await db.raw(
    `SELECT (SELECT count(*) FROM inbox_updates WHERE processed_at IS NULL) AS inbox,
            (SELECT count(*) FROM outbox WHERE done_at IS NULL) AS outbox`,
  );
  const row = result.rows[0] as { inbox: string; outbox: string };
  return { inbox: Number(row.inbox), outbox: Number(row.outbox) };
}

/** Rows of inbox_updates with update_id in [from, to], and how many of those are processed. */
export async function storedUpdates(db: Knex, from: number, to: number): Promise<{ stored: number; processed: number }> {
  const result = await db.raw(
    `SELECT count(*) AS stored, count(processed_at) AS processed FROM inbox_updates WHERE update_id BETWEEN ? AND ?`,
    [from, to],
  );
  const row = result.rows[0] as { stored: string; processed: string };
  return { stored: Number(row.stored), processed: Number(row.processed) };
}

/** How many updates are processed so far (all of them, whatever their update_id). */
export async function processedCount(db: Knex): Promise<number> {
  const result = await db.raw('SELECT count(processed_at) AS n FROM inbox_updates');
  return Number((result.rows[0] as { n: string }).n);
}
