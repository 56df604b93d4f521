/**
 * Where the tests find PostgreSQL and Redis. The database name must contain "test": the suite
 * truncates tables and flushes its Redis database.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/support_bot_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379/15';

/** Refuses to touch a database whose name lacks "test". */
export function assertTestDatabase(url: string): void {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!name.includes('test')) {
    throw new Error(`refusing to run tests against database "${name}": its name must contain "test" (set TEST_DATABASE_URL)`);
  }
}
