import { Redis } from 'ioredis';
import knex, { type Knex } from 'knex';
import { createDb } from '../../src/db/knex';
import { assertTestDatabase, TEST_DATABASE_URL, TEST_REDIS_URL } from './env';

const TABLES = ['operator_duty', 'dialog_timers', 'outbox', 'inbox_updates', 'rejected_updates', 'dialog_transitions', 'message_links', 'messages', 'dialogs', 'operators', 'users'];

/** Real PostgreSQL and Redis connections, with a reset to empty tables and an empty Redis database. */
export interface TestServices {
  db: Knex;
  redis: Redis;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Drops and creates a database whose name contains "test", and runs the real migrations in it. */
export async function recreateDatabase(databaseUrl: string): Promise<void> {
  assertTestDatabase(databaseUrl);
  const name = new URL(databaseUrl).pathname.replace(/^\//, '');
  const adminUrl = new URL(databaseUrl);
  adminUrl.pathname = '/postgres';
  const admin = knex({ client: 'pg', connection: adminUrl.toString(), pool: { min: 0, max: 1 } });
  try {
    const quoted = `"${name.replace(/"/g, '')}"`;
    await admin.raw(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    await admin.raw(`CREATE DATABASE ${quoted}`);
  } finally {
    await admin.destroy();
  }
  const db = createDb(databaseUrl, 1);
  try {
    await db.migrate.latest();
  } finally {
    await db.destroy();
  }
}

/** Connects to a test database and Redis database (the tests' own by default). */
export function openTestServices(databaseUrl = TEST_DATABASE_URL, redisUrl = TEST_REDIS_URL, poolMax = 10): TestServices {
  assertTestDatabase(databaseUrl);
  const db = createDb(databaseUrl, poolMax);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
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
