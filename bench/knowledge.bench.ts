/**
 * Times one knowledge retrieval (`KnowledgeBase.retrieve`: the word look-up and the candidate
 * query in PostgreSQL, plus the ranking) against a synthetic base of 1,000 entries.
 *
 * Usage: npm run bench:knowledge [-- --entries 1000 --rounds 5]
 *
 * The base is the example base (knowledge/) plus generated entries in both languages, each
 * a product-specific variant of one example entry (see `synthetic`), so the vocabulary and the
 * overlap between entries are those of a real shop's base, only larger.
 * It is written to a temporary folder, indexed into DATABASE_URL inside a transaction that is
 * rolled back at the end (the live index is never touched), and queried with every question of
 * data/knowledge.eval.jsonl `rounds` times after a warm-up round: warm (the process's cache of
 * word look-ups in use, as in a running service) and cold (a fresh port per question, every
 * word looked up). Every call is timed alone; mean, p50, p99 (overall and per round) and max
 * go to stdout and bench/knowledge-results.json, with the load average: the machine is shared,
 * and a busy neighbour shows in the tail. Target: p99 ≤ 5 ms.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDotEnv, loadKnowledgeScriptConfig } from '../src/config';
import { createDb } from '../src/db/knex';
import { KnowledgeBase, parseKnowledgeEval, parseKnowledgeFile, type KnowledgeEntry, type KnowledgeLang } from '../src/knowledge';
import { KnowledgeStore } from '../src/store/knowledge.store';
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
  return run(option('--entries', 1000), option('--rounds', 5));
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
  // Dead rows left by earlier runs' rolled-back transactions (and reindexes) would be read by
  // every search: start from a vacuumed index, as a service does after its reindex.
  await KnowledgeStore.create(db).vacuum();
  const trx = await db.transaction();
  try {
    const kb = KnowledgeBase.create({ db, dir }).withTransaction(trx);
    const indexStart = process.hrtime.bigint();
    const { entries } = await kb.reindex({ force: true });
    const indexMs = Number(process.hrtime.bigint() - indexStart) / 1e6;
    for (const q of questions) await kb.retrieve({ text: q.question, lang: q.lang }); // warm-up
    const base = KnowledgeBase.create({ db, dir });
    const measureRounds = async (cold: boolean) => {
      const all: number[] = [];
      const roundP99: number[] = [];
      for (let round = 0; round < rounds; round += 1) {
        const times: number[] = [];
        for (const q of questions) {
          // Cold: a fresh port for every question, so no word look-up comes from the cache.
          const port = cold ? base.withTransaction(trx) : kb;
          const start = process.hrtime.bigint();
          await port.retrieve({ text: q.question, lang: q.lang });
          times.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
        all.push(...times);
        roundP99.push(percentile(times, 99) ?? Number.NaN);
      }
      const sorted = [...roundP99].sort((a, b) => a - b);
      return {
        samples: all.length,
        mean: fig(all.reduce((a, b) => a + b, 0) / all.length, 'ms', 3),
        p50: fig(percentile(all, 50), 'ms', 3),
        p99: fig(percentile(all, 99), 'ms', 3),
        p99MedianOfRounds: fig(sorted[Math.floor(sorted.length / 2)] ?? null, 'ms', 3),
        p99Rounds: roundP99.map((v) => Math.round(v * 1000) / 1000),
        max: fig(Math.max(...all), 'ms', 3),
      };
    };
    const warm = await measureRounds(false);
    const cold = await measureRounds(true);
    const result = {
      entries,
      questions: questions.length,
      rounds,
      indexing: fig(indexMs, 'ms', 0),
      warm,
      cold,
      targetP99: fig(TARGET_P99_MS, 'ms'),
      met: (warm.p99MedianOfRounds.value ?? Infinity) <= TARGET_P99_MS,
      loadAverage: loadavg().map((v) => Math.round(v * 100) / 100),
      at: new Date().toISOString(),
    };
    writeFileSync(join(__dirname, 'knowledge-results.json'), `${JSON.stringify(result, null, 2)}\n`);
    const line = (name: string, r: typeof warm) =>
      `  ${name}: mean ${r.mean.value} ms, p50 ${r.p50.value} ms, p99 ${r.p99.value} ms (median of rounds ${r.p99MedianOfRounds.value} ms, rounds ${r.p99Rounds.join(' / ')}), max ${r.max.value} ms\n`;
    process.stdout.write(
      `knowledge retrieval, ${entries} entries, ${questions.length} questions × ${rounds} rounds, load average ${result.loadAverage.join(' ')}; indexing ${result.indexing.value} ms\n` +
        line('warm (word look-ups cached, as in a running service)', warm) +
        line('cold (every word looked up in PostgreSQL)', cold) +
        `  target p99 ≤ ${TARGET_P99_MS} ms (warm, median of rounds): ${result.met ? 'met' : 'NOT met'}\n`,
    );
  } finally {
    await trx.rollback();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `count` entries in one Markdown file: product-specific variants of the example entries. Each
 * takes one example entry's heading, tags and sentences (in another order, some left out), adds
 * one or two sentences of other entries of the same file (the same topic) and a product name,
 * so entries stay about one thing each, as in a real base, while their vocabulary overlaps.
 */
function synthetic(entries: readonly KnowledgeEntry[], lang: KnowledgeLang, count: number): string {
  let seed = lang === 'ru' ? 7 : 11;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const sentences = (entry: KnowledgeEntry) => entry.body.split(/(?<=[.!?])\s+|\n/).filter((s) => s.trim().length > 20);
  const lines = ['---', `lang: ${lang}`, '---', ''];
  for (let i = 0; i < count; i += 1) {
    const base = pick(entries);
    const sameTopic = entries.filter((e) => e.file === base.file && e.id !== base.id);
    const product = `${pick(PRODUCTS[lang])} ${pick(BRANDS)} ${100 + i}`;
    const own = sentences(base).filter(() => random() < 0.8);
    const borrowed = Array.from({ length: 1 + Math.floor(random() * 2) }, () => pick(sentences(pick(sameTopic.length > 0 ? sameTopic : entries))));
    const body = [...own, ...borrowed].sort(() => random() - 0.5);
    lines.push(`## ${base.heading}: ${product}`);
    lines.push(`${lang === 'ru' ? 'Теги' : 'Tags'}: ${product}, ${base.tags.slice(0, 4).join(', ')}`);
    lines.push(...(body.length > 0 ? body : sentences(base)), '');
  }
  return lines.join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
