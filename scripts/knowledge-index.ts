/**
 * `npm run knowledge:index [-- --force] [--list]`: indexes KNOWLEDGE_DIR into DATABASE_URL when
 * its files changed (content hash), or always with --force; --list prints the indexed entries.
 * With OPENAI_EMBEDDINGS_MODEL set it embeds the entries that changed. Exit codes: 0 done,
 * 1 on a bad file, a missing database table or a configuration problem, 2 on wrong usage.
 */
import { knowledgeScriptConfig } from './lib/knowledge.config';
import { createDb } from '../src/db/knex';
import { KnowledgeBase, OpenAiEmbeddings } from '../src/knowledge';

const USAGE = 'usage: npm run knowledge:index [-- --force] [--list]';

async function main(argv: readonly string[]): Promise<number> {
  const unknown = argv.filter((arg) => arg !== '--force' && arg !== '--list');
  if (unknown.length > 0) {
    process.stderr.write(`unknown option ${unknown.join(' ')}\n${USAGE}\n`);
    return 2;
  }
  const config = knowledgeScriptConfig();
  if (!config) return 1;
  const db = createDb(config.databaseUrl, 2);
  try {
    const kb = KnowledgeBase.create({
      db,
      dir: config.knowledge.dir,
      embeddings: config.embeddings ? OpenAiEmbeddings.create(config.embeddings) : undefined,
    });
    const result = await kb.reindex({ force: argv.includes('--force') });
    process.stdout.write(`${config.knowledge.dir}: ${result.changed ? 'indexed' : 'unchanged, index up to date'}, ${result.entries} entries\n`);
    if (argv.includes('--list')) {
      for (const entry of await kb.listEntries()) process.stdout.write(`${entry.lang}  ${entry.id}${entry.hasEmbedding ? '  [embedded]' : ''}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
