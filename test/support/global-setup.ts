import knex from 'knex';
import { createDb } from '../../src/db/knex';
import { assertTestDatabase, TEST_DATABASE_URL } from './env';

/** Creates the test database afresh and runs the real migrations once before all tests. */
export default async function globalSetup(): Promise<void> {
  assertTestDatabase(TEST_DATABASE_URL);
  const url = new URL(TEST_DATABASE_URL);
  const name = url.pathname.replace(/^\//, '');
  const adminUrl = new URL(TEST_DATABASE_URL);
  adminUrl.pathname = '/postgres';
  const admin = knex({ client: 'pg', connection: adminUrl.toString(), pool: { min: 0, max: 1 } });
  try {
    const quoted = `"${name.replace(/"/g, '')}"`;
    await admin.raw(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    await admin.raw(`CREATE DATABASE ${quoted}`);
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
