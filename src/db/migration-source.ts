import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Reads `migrations/` and names each migration by its base name without the extension.
 *
 * Knex stores a migration's file name, extension included, so a database migrated from the
 * TypeScript sources (`npm run migrate` in development) would look unmigrated to the compiled
 * JavaScript build (the Docker image) and the other way round. Dropping the extension makes both
 * builds agree on what has run.
 */
export class ExtensionlessMigrationSource implements Knex.MigrationSource<string> {
  constructor(private readonly directory: string) {}

  async getMigrations(): Promise<string[]> {
    const ownExtension = path.extname(__filename); // '.ts' from sources, '.js' when compiled
    const files = await fs.promises.readdir(this.directory);
    return files
      .filter((f) => path.extname(f) === ownExtension && !f.endsWith('.d.ts') && /^\d/.test(f))
      .sort();
  }

  getMigrationName(file: string): string {
    return path.basename(file, path.extname(file));
  }

  async getMigration(file: string): Promise<MigrationModule> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(this.directory, file)) as MigrationModule;
  }
}
