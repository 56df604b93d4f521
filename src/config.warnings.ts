import type { Config } from './config';

/**
 * The database password docker-compose.yml uses when POSTGRES_PASSWORD is not set, so that
 * `docker compose up` works on a fresh clone. Fine for the sandbox; in production it is warned about.
 */
export const COMPOSE_DEFAULT_DB_PASSWORD = 'sandbox-only-password';

/**
 * Defaults that are fine for trying the sandbox but not for production: in production mode (a
 * BOT_TOKEN is set) each one found is a line for the start-up log, saying how to fix it. Never
 * echoes a secret. Empty in sandbox mode.
 *
 * @example for (const w of productionWarnings(config)) log.warn(w);
 */
export function productionWarnings(config: Config): string[] {
  if (config.sandbox) return [];
  const warnings: string[] = [];
  if (passwordOf(config.databaseUrl) === COMPOSE_DEFAULT_DB_PASSWORD) {
    warnings.push(
      "the database password is docker-compose.yml's default (POSTGRES_PASSWORD is not set): set POSTGRES_PASSWORD in .env before the database holds real dialogs " +
        '(PostgreSQL takes it when its volume is created; for an existing volume also run ALTER USER support_bot PASSWORD ...)',
    );
  }
  if (!config.adminToken) {
    warnings.push('ADMIN_TOKEN is not set: the admin API (/api) refuses every request; generate one with `openssl rand -hex 32` to use it');
  }
  return warnings;
}

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
