import { loadDatabaseUrl, loadDotEnv } from '../config';
import { createDb } from './knex';

/**
 * `npm run migrate`: applies every pending migration (and `-- down` rolls the last batch back).
 * Runs from the TypeScript sources in development and as compiled JavaScript in the image.
 */
async function main(): Promise<void> {
  loadDotEnv();
  const db = createDb(loadDatabaseUrl(process.env), 1);
  try {
    if (process.argv.includes('down')) {
      const [batch, names] = await db.migrate.rollback();
      process.stdout.write(`rolled back batch ${batch}: ${names.join(', ') || 'nothing'}\n`);
    } else {
      const [batch, names] = await db.migrate.latest();
      process.stdout.write(names.length ? `migrated (batch ${batch}): ${names.join(', ')}\n` : 'database is up to date\n');
    }
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
