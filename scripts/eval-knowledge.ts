/**
 * Measures the knowledge base's retrieval against a labelled JSONL file.
 *
 * Usage: npm run --silent eval:knowledge -- [--kb DIR] <file.jsonl> [--json]
 *
 * Indexes DIR (default: KNOWLEDGE_DIR, else `knowledge`) into DATABASE_URL inside a transaction
 * it rolls back, so the live index is never touched (the knowledge migration must have run).
 * Text ranking only: embeddings are not called, so the figures are the ones without them.
 * Prints hit@1, hit@3 and the "not covered" decision's precision and recall per language and
 * overall, then every miss; with --json one object
 * `{byLang: {ru, en}, overall: {hit1, hit3, notCovered: {precision, recall}, …}, misses}`.
 * Exit codes: 0 after a report, 1 when the file or the base cannot be read, 2 on wrong usage.
 */
import { readFileSync } from 'node:fs';
import { knowledgeScriptConfig } from './lib/knowledge.config';
import { createDb } from '../src/db/knex';
import { formatKnowledgeReport, KnowledgeBase, KnowledgeEvalDatasetError, parseKnowledgeEval, scoreKnowledge } from '../src/knowledge';
import type { Retrieval } from '../src/knowledge';

const USAGE = 'usage: npm run --silent eval:knowledge -- [--kb DIR] <file.jsonl> [--json]\n  e.g. npm run --silent eval:knowledge -- data/knowledge.eval.jsonl';

async function main(argv: readonly string[]): Promise<number> {
  const args = [...argv];
  const json = args.includes('--json');
  let dir: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '--json') continue;
    if (arg === '--kb') {
      dir = args[(i += 1)];
      if (!dir) return usage('--kb needs a folder');
    } else if (arg.startsWith('--')) return usage(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length !== 1) return usage();
  const file = files[0] as string;
  const config = knowledgeScriptConfig();
  if (!config) return 1;
  const kbDir = dir ?? config.knowledge.dir;
  let cases;
  try {
    cases = parseKnowledgeEval(readFileSync(file, 'utf8'));
  } catch (error) {
    process.stderr.write(`${file}: ${error instanceof KnowledgeEvalDatasetError || error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const db = createDb(config.databaseUrl, 1);
  const trx = await db.transaction();
  try {
    const kb = KnowledgeBase.create({ db, dir: kbDir, ranking: { minProbability: config.knowledge.minProbability } }).withTransaction(trx);
    await kb.reindex({ force: true });
    const results: Array<{ case: (typeof cases)[number]; retrieval: Retrieval }> = [];
    for (const c of cases) results.push({ case: c, retrieval: await kb.retrieve({ text: c.question, lang: c.lang }) });
    const evaluation = scoreKnowledge(results);
    process.stdout.write(json ? `${JSON.stringify(evaluation, null, 2)}\n` : `${file} against ${kbDir}\n${formatKnowledgeReport(evaluation)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await trx.rollback();
    await db.destroy();
  }
}

function usage(problem?: string): number {
  process.stderr.write(`${problem ? `${problem}\n` : ''}${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
