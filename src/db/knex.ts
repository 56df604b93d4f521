import path from 'node:path';
import knex, { type Knex } from 'knex';
import { ExtensionlessMigrationSource } from './migration-source';

/** The folder with the migrations, next to `src/` in both the sources and the compiled `dist/`. */
export const MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'migrations');

/** Where Knex's own warnings go (dropped connections and the like). */
export interface DbLog {
  warn(obj: object, msg: string): void;
}

/** Knex settings shared by the app, `knexfile.ts`, the migrate script and the tests. */
export function knexConfig(databaseUrl: string, poolMax = 10, log?: DbLog): Knex.Config {
  const forward = (message: unknown) => log?.warn({ detail: String(message) }, 'database');
  return {
    client: 'pg',
    connection: databaseUrl,
    pool: { min: 0, max: poolMax },
    log: { warn: forward, error: forward, deprecate: forward, debug: () => undefined },
    migrations: {
      tableName: 'knex_migrations',
      migrationSource: new ExtensionlessMigrationSource(MIGRATIONS_DIR),
    },
  };
}

/** Opens a Knex pool (no I/O until the first query). */
export function createDb(databaseUrl: string, poolMax?: number, log?: DbLog): Knex {
  return knex(knexConfig(databaseUrl, poolMax, log));
}
