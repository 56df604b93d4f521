/**
 * Times one knowledge retrieval (`KnowledgeBase.retrieve`: the word look-up and the candidate
 * query in PostgreSQL, plus the ranking) against a synthetic base of 1,000 entries.
 *
 * Usage: npm run bench:knowledge [-- --entries 1000 --rounds 3]
 *
 * The base is the example base (knowledge/) plus generated entries in both languages, each
 * a product-specific variant made of the example base's own sentences and headings, so the
 * vocabulary and the overlap between entries are those of a real shop's base, only larger.
 * It is written to a temporary folder, indexed into DATABASE_URL inside a transaction that is
 * rolled back at the end (the live index is never touched), and queried with every question of
 * data/knowledge.eval.jsonl `rounds` times after a warm-up round. Every call is timed alone;
 * mean, p50, p99 and max go to stdout and bench/knowledge-results.json. Target: p99 ≤ 5 ms.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDotEnv, loadKnowledgeScriptConfig } from '../src/config';
import { createDb } from '../src/db/knex';
import { KnowledgeBase, parseKnowledgeEval, parseKnowledgeFile, type KnowledgeEntry, type KnowledgeLang } from '../src/knowledge';
import { fig, percentile } from './lib/stats';

const TARGET_P99_MS = 5;
const PRODUCTS: Record<KnowledgeLang, string[]> = {
  ru: ['смартфона', 'ноутбука', 'телевизора', 'пылесоса', 'холодильника', 'наушников', 'планшета', 'кофемашины', 'монитора', 'роутера', 'часов', 'колонки', 'принтера', 'фотоаппарата', 'чайника'],
  en: ['smartphone', 'laptop', 'TV', 'vacuum cleaner', 'fridge', 'headphones', 'tablet', 'coffee machine', 'monitor', 'router', 'watch', 'speaker', 'printer', 'camera', 'kettle'],
};
const BRANDS = ['Aster', 'Borea', 'Cirrus', 'Dorado', 'Elara', 'Fenix', 'Gemma', 'Helio', 'Iris', 'Juno', 'Kappa', 'Lyra', 'Mira', 'Nova', 'Orion'];

function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const at = argv.indexOf(name);
    const value = at >= 0 ? Number(argv[at + 1]) : fallback;
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
    return value;
  };
  return run(option('--entries', 1000), option('--rounds', 3));
}

async function run(total: number, rounds: number): Promise<void> {
  loadDotEnv();
  const config = loadKnowledgeScriptConfig(process.env);
  const root = join(__dirname, '..');
  const dir = mkdtempSync(join(tmpdir(), 'knowledge-bench-'));
  const example = readdirSync(join(root, 'knowledge'))
    .filter((f) => f.endsWith('.md'))
    .flatMap((f) => parseKnowledgeFile(f, readFileSync(join(root, 'knowledge', f), 'utf8')));
  for (const f of readdirSync(join(root, 'knowledge')).filter((name) => name.endsWith('.md'))) {
    writeFileSync(join(dir, f), readFileSync(join(root, 'knowledge', f)));
  }
  const generated = total - example.length;
  for (const lang of ['ru', 'en'] as const) writeFileSync(join(dir, `generated.${lang}.md`), synthetic(example.filter((e) => e.lang === lang), lang, Math.ceil(generated / 2)));

  const questions = parseKnowledgeEval(readFileSync(join(root, 'data/knowledge.eval.jsonl'), 'utf8'));
  const db = createDb(config.databaseUrl, 1);
  const trx = await db.transaction();
  try {
    const kb = KnowledgeBase.create({ db, dir }).withTransaction(trx);
    const indexStart = process.hrtime.bigint();
    const { entries } = await kb.reindex({ force: true });
    const indexMs = Number(process.hrtime.bigint() - indexStart) / 1e6;
    await trx.raw('ANALYZE knowledge_entries, knowledge_terms, knowledge_words, knowledge_synonyms');
    for (const q of questions) await kb.retrieve({ text: q.question, lang: q.lang }); // warm-up
    const times: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      for (const q of questions) {
        const start = process.hrtime.bigint();
        await kb.retrieve({ text: q.question, lang: q.lang });
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    const p99 = percentile(times, 99) ?? Number.NaN;
    const result = {
      entries,
      questions: questions.length,
      samples: times.length,
      indexing: fig(indexMs, 'ms', 0),
      mean: fig(mean, 'ms', 3),
      p50: fig(percentile(times, 50), 'ms', 3),
      p99: fig(p99, 'ms', 3),
      max: fig(Math.max(...times), 'ms', 3),
      targetP99: fig(TARGET_P99_MS, 'ms'),
      met: p99 <= TARGET_P99_MS,
      at: new Date().toISOString(),
    };
    writeFileSync(join(__dirname, 'knowledge-results.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      `knowledge retrieval, ${entries} entries, ${times.length} calls: mean ${result.mean.value} ms, p50 ${result.p50.value} ms, p99 ${result.p99.value} ms, max ${result.max.value} ms (target p99 ≤ ${TARGET_P99_MS} ms: ${result.met ? 'met' : 'NOT met'}); indexing ${result.indexing.value} ms\n`,
    );
  } finally {
    await trx.rollback();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `count` entries in one Markdown file: product-specific variants of the example entries. */
function synthetic(entries: readonly KnowledgeEntry[], lang: KnowledgeLang, count: number): string {
  let seed = lang === 'ru' ? 7 : 11;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const sentences = entries.flatMap((e) => e.body.split(/(?<=[.!?])\s+|\n/).filter((s) => s.trim().length > 20));
  const lines = ['---', `lang: ${lang}`, '---', ''];
  for (let i = 0; i < count; i += 1) {
    const base = pick(entries);
    const product = `${pick(PRODUCTS[lang])} ${pick(BRANDS)} ${100 + i}`;
    lines.push(`## ${base.heading}: ${product}`);
    lines.push(`${lang === 'ru' ? 'Теги' : 'Tags'}: ${product}, ${base.tags.slice(0, 3).join(', ')}`);
    for (let s = 0; s < 4 + Math.floor(random() * 3); s += 1) lines.push(pick(sentences));
    lines.push('');
  }
  return lines.join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
