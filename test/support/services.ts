import { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { createDb } from '../../src/db/knex';
import { assertTestDatabase, TEST_DATABASE_URL, TEST_REDIS_URL } from './env';

const TABLES = ['dialog_timers', 'outbox', 'inbox_updates', 'dialog_transitions', 'message_links', 'messages', 'dialogs', 'operators', 'users'];

/** Real PostgreSQL and Redis connections for one test file, with a reset between tests. */
export interface TestServices {
  db: Knex;
  redis: Redis;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Opens the test database and Redis database; call `reset()` in `beforeEach` and `close()` in `afterAll`. */
export function openTestServices(): TestServices {
  assertTestDatabase(TEST_DATABASE_URL);
  const db = createDb(TEST_DATABASE_URL, 10);
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 2 });
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
