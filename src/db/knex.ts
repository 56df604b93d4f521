import path from 'node:path';
import knex, { type Knex } from 'knex';
import { ExtensionlessMigrationSource } from './migration-source';

/** The folder with the migrations, next to `src/` in both the sources and the compiled `dist/`. */
export const MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'migrations');

/** Knex settings shared by the app, `knexfile.ts`, the migrate script and the tests. */
export function knexConfig(databaseUrl: string, poolMax = 10): Knex.Config {
  return {
    client: 'pg',
    connection: databaseUrl,
    pool: { min: 0, max: poolMax },
    migrations: {
      tableName: 'knex_migrations',
      migrationSource: new ExtensionlessMigrationSource(MIGRATIONS_DIR),
    },
  };
}

/** Opens a Knex pool (no I/O until the first query). */
export function createDb(databaseUrl: string, poolMax?: number): Knex {
  return knex(knexConfig(databaseUrl, poolMax));
}
