import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { createDb } from '../../src/db/knex';
import { KnowledgeBase, type KnowledgeBaseOptions } from '../../src/knowledge';
import { assertTestDatabase, TEST_DATABASE_URL } from '../support/env';

/** The shipped example base. */
export const EXAMPLE_DIR = join(__dirname, '..', '..', 'knowledge');

/** A knowledge folder of its own for one test: a copy of the example base, or the given files. */
export function knowledgeDir(files?: Record<string, string>): { dir: string; write(name: string, content: string): void; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kb-test-'));
  if (files) for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  else cpSync(EXAMPLE_DIR, dir, { recursive: true });
  return { dir, write: (name, content) => writeFileSync(join(dir, name), content), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The test database, and a way to run a test's knowledge base in a transaction that is rolled
 * back: the knowledge index is one set of tables, and test files run at the same time.
 */
export function knowledgeDb(): { db: Knex; inTransaction<T>(options: Omit<KnowledgeBaseOptions, 'db'>, work: (kb: KnowledgeBase, trx: Knex.Transaction) => Promise<T>): Promise<T> } {
  assertTestDatabase(TEST_DATABASE_URL);
  const db = createDb(TEST_DATABASE_URL, 4);
  return {
    db,
    async inTransaction(options, work) {
      const trx = await db.transaction();
      try {
        return await work(KnowledgeBase.create({ ...options, db }).withTransaction(trx), trx);
      } finally {
        await trx.rollback();
      }
    },
  };
}
