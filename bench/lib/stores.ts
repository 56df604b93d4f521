import type { Knex } from 'knex';
import { openTestServices, recreateDatabase, type TestServices } from '../../test/support/services';

/** The benchmark's own database and Redis database: never the tests' (support_bot_test, db 15). */
export const BENCH_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/support_bot_bench_test';
export const BENCH_REDIS_URL = 'redis://127.0.0.1:6379/14';
/** PostgreSQL and Redis as the runner uses them: to reset between parts and to read figures. */
export type Stores = TestServices;

/**
 * Drops and creates the benchmark database, runs the real migrations in it, flushes Redis db 14,
 * and returns connections to both (the same helpers the tests use, on other databases).
 */
export async function prepareStores(): Promise<Stores> {
  await recreateDatabase(BENCH_DATABASE_URL);
  const stores = openTestServices(BENCH_DATABASE_URL, BENCH_REDIS_URL, 4);
  await stores.redis.flushdb();
  return stores;
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
