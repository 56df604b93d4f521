import knex from 'knex';
import { createDb } from '../../src/db/knex';
import { assertTestDatabase, TEST_DATABASE_URL } from './env';

/** Creates the test database if needed and runs the real migrations once before all tests. */
export default async function globalSetup(): Promise<void> {
  assertTestDatabase(TEST_DATABASE_URL);
  const url = new URL(TEST_DATABASE_URL);
  const name = url.pathname.replace(/^\//, '');
  const adminUrl = new URL(TEST_DATABASE_URL);
  adminUrl.pathname = '/postgres';
  const admin = knex({ client: 'pg', connection: adminUrl.toString(), pool: { min: 0, max: 1 } });
  try {
    const exists = await admin.raw('SELECT 1 FROM pg_database WHERE datname = ?', [name]);
    if (exists.rowCount === 0) await admin.raw(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await admin.destroy();
  }
  const db = createDb(TEST_DATABASE_URL, 1);
  try {
    await db.migrate.latest();
  } finally {
    await db.destroy();
  }
}
