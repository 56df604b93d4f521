import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { KnowledgeStore, type StoredKnowledgeEntry, type WordResolution } from '../store/knowledge.store';
import type { EmbeddingsPort } from './embeddings.knowledge';
import { cosine } from './embeddings.knowledge';
import type { KnowledgeLang, KnowledgeQuery, Retrieval, RetrievedEntry } from './knowledge.types';
import { buildTerms, DEFAULT_RANKING, decideCoverage, candidateQuery, rankCandidates, type RankedEntry, type RankingParams } from './rank.knowledge';
import { entryHash, readKnowledgeDir } from './source.knowledge';
import { contentWords, isSmallTalk } from './tokens.knowledge';
import { unknownWordWeight, WEAK_WEIGHT, WEAK_WORDS } from './weak.knowledge';
import { WordCache } from './word.cache';

/** Where the knowledge base reports indexing (a pino logger fits). */
export interface KnowledgeLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** What {@link KnowledgeBase.ensureIndexed} and {@link KnowledgeBase.reindex} did. */
export interface IndexResult {
  /** True when the index was rebuilt; false when it already held these files. */
  changed: boolean;
  /** Entries in the index now. */
  entries: number;
}

/** Options of {@link KnowledgeBase.create}. */
export interface KnowledgeBaseOptions {
  db: Knex;
  /** The folder of Markdown files (KNOWLEDGE_DIR). */
  dir: string;
  log?: KnowledgeLog;
  /** Optional semantic scoring (OPENAI_EMBEDDINGS_MODEL); everything works without it. */
  embeddings?: EmbeddingsPort;
  /** Overrides of {@link DEFAULT_RANKING}. */
  ranking?: Partial<RankingParams>;
}

/** Candidates fetched from PostgreSQL before the final ranking. */
const CANDIDATES = 10;
/** Earlier turns of the dialog that take part in a retrieval. */
const CONTEXT_TURNS = 2;
/** How long a process trusts its cached entry embeddings before reloading them. */
const EMBEDDINGS_CACHE_MS = 60_000;

/**
 * The knowledge base port: indexes the Markdown files of KNOWLEDGE_DIR into PostgreSQL and
 * retrieves the entries that answer a question, saying whether they cover it.
 *
 * @example
 * const kb = KnowledgeBase.create({ db, dir: config.knowledge.dir, log });
 * await kb.ensureIndexed();                       // at start-up: reindexes only when the files changed
 * const r = await kb.retrieve({ text: 'сколько стоит доставка?', lang: 'ru', context: previousUserTexts });
 * if (r.decision === 'covered') system += '\n\n' + knowledgePrompt(r, 'ru');
 */
export class KnowledgeBase {
  private readonly words = new WordCache();
  private embeddingsCache: { at: number; byLang: Map<KnowledgeLang, Array<{ id: string; title: string; text: string; embedding: number[] }>> } | undefined;

  private constructor(
    private readonly store: KnowledgeStore,
    private readonly dir: string,
    private readonly params: RankingParams,
    private readonly log?: KnowledgeLog,
    private readonly embeddings?: EmbeddingsPort,
  ) {}

  /** Builds the port; no I/O until the first call. */
  static create(options: KnowledgeBaseOptions): KnowledgeBase {
    return new KnowledgeBase(KnowledgeStore.create(options.db), options.dir, { ...DEFAULT_RANKING, ...options.ranking }, options.log, options.embeddings);
  }

  /** The same knowledge base working inside `trx` (the evaluation's rolled-back transaction). */
  withTransaction(trx: Knex.Transaction): KnowledgeBase {
    return new KnowledgeBase(this.store.withTransaction(trx), this.dir, this.params, this.log, this.embeddings);
  }

  /**
   * Reads the files and rebuilds the index when their content hash (with the embeddings model's
   * name) differs from the one indexed: cheap when nothing changed, so call it at start-up.
   */
  async ensureIndexed(): Promise<IndexResult> {
    return this.reindex();
  }

  /**
   * Reads the files and rebuilds the index if they changed (`force`: even if not). For
   * `npm run knowledge:index` and the admin API.
   *
   * @throws KnowledgeDirError, KnowledgeParseError (bad files: the old index stays), KnowledgeSchemaError.
   */
  async reindex(options: { force?: boolean } = {}): Promise<IndexResult> {
    const source = await readKnowledgeDir(this.dir);
    const hash = createHash('sha256').update(`${source.hash}:${this.embeddings?.model ?? ''}`).digest('hex');
    const state = await this.store.indexState();
    if (!options.force && state?.sourceHash === hash) return { changed: false, entries: state.entries };
    const known = this.embeddings ? await this.store.storedEmbeddings() : new Map<string, number[]>();
    const entries = source.entries.map((entry) => ({ ...entry, contentHash: entryHash(entry), embedding: undefined as number[] | undefined }));
    if (this.embeddings) {
      const missing = entries.filter((e) => !known.has(e.contentHash));
      const vectors = missing.length > 0 ? await this.embeddings.embed(missing.map((e) => `${e.heading}\n${e.body}`)) : [];
      missing.forEach((e, i) => known.set(e.contentHash, vectors[i] as number[]));
      for (const e of entries) e.embedding = known.get(e.contentHash);
    }
    const changed = await this.store.reindex(entries, options.force ? `${hash}:forced:${Date.now()}` : hash, source.synonyms);
    this.embeddingsCache = undefined;
    this.words.clear();
    if (changed) this.log?.info({ entries: entries.length, files: source.files.length, dir: this.dir }, 'knowledge base indexed');
    return { changed, entries: entries.length };
  }

  /** The indexed entries, for the admin API. */
  listEntries(options: { lang?: KnowledgeLang } = {}): Promise<StoredKnowledgeEntry[]> {
    return this.store.listEntries(options);
  }

  /**
   * Finds the entries for a question and decides whether the base covers it: `small_talk`
   * (greetings, thanks, nothing to look up), `covered` or `not_covered`. Two SQL statements
   * (word look-up, then candidates; one when every word is in the process's {@link WordCache}),
   * plus one embeddings call when those are on.
   */
  async retrieve(query: KnowledgeQuery, retried = false): Promise<Retrieval> {
    const limit = query.limit ?? 3;
    const { lang } = query;
    const result = (decision: Retrieval['decision'], entries: RetrievedEntry[] = []): Retrieval => ({
      decision,
      covered: decision === 'covered',
      smallTalk: decision === 'small_talk',
      entries: entries.slice(0, limit).map(({ id, title, text, score, coverage }) => ({ id, title, text, score, coverage })),
      lang,
    });
    if (isSmallTalk(query.text)) return result('small_talk');
    const questionWords = contentWords(query.text, lang);
    const contextWords = (query.context ?? [])
      .slice(-CONTEXT_TURNS)
      .flatMap((turn) => contentWords(turn, lang))
      .filter((w) => !questionWords.includes(w));
    const words = [...new Set(questionWords)].map((w) => ({ w, weight: wordWeight(w, lang), unknown: unknownWordWeight(w, lang) }));
    for (const w of new Set(contextWords)) {
      words.push({ w, weight: this.params.contextWeight * wordWeight(w, lang), unknown: this.params.contextWeight * unknownWordWeight(w, lang) });
    }
    if (words.length === 0) return result('small_talk');

    const resolved = await this.resolveWords(lang, words.map((x) => x.w));
    const terms = buildTerms(
      resolved.words.map((resolution, i) => ({ resolution, weight: (words[i] as (typeof words)[number]).weight, unknownWeight: (words[i] as (typeof words)[number]).unknown })),
      resolved.entries,
      this.params,
    );
    if (terms.length === 0) return result('small_talk');
    // Only general words and numbers, and no earlier turns to lean on: nothing names a topic.
    const topical = terms.some((t) => t.weight >= 1);
    const { candidates, indexVersion } = await this.store.candidates(lang, candidateQuery(terms, resolved.entries), CANDIDATES);
    // Another process reindexed since the cached words were looked up: look them up again.
    if (this.words.observe(indexVersion) && resolved.cached && !retried) return this.retrieve(query, true);
    let ranked = rankCandidates(terms, candidates, this.params);
    let decision = topical || contextWords.length > 0 ? decideCoverage(ranked, this.params) : 'not_covered';
    if (this.embeddings) {
      const semantic = await this.semantic(query, lang);
      if (semantic) {
        ranked = blend(ranked, semantic, this.params);
        if (decision === 'not_covered' && (semantic[0]?.similarity ?? 0) >= this.params.minSimilarity) decision = 'covered';
      }
    }
    return result(decision, ranked);
  }

  /** The store's look-up of `words`, from the cache where it can. */
  private async resolveWords(lang: KnowledgeLang, words: readonly string[]): Promise<{ words: WordResolution[]; entries: number; cached: boolean }> {
    const { found, entries } = this.words.lookup(lang, words);
    const missing = words.filter((_, i) => found[i] === undefined);
    if (missing.length === 0 && entries !== undefined) return { words: found as WordResolution[], entries, cached: true };
    const fresh = await this.store.resolveWords(lang, missing);
    this.words.store(lang, fresh.words, fresh.entries);
    const byWord = new Map(fresh.words.map((r) => [r.word, r]));
    return { words: words.map((w, i) => found[i] ?? (byWord.get(w) as WordResolution)), entries: fresh.entries, cached: missing.length < words.length };
  }

  /** Cosine similarity of the question to every entry with an embedding, best first; null when unavailable. */
  private async semantic(query: KnowledgeQuery, lang: KnowledgeLang): Promise<Array<{ id: string; title: string; text: string; similarity: number }> | null> {
    const embeddings = this.embeddings as EmbeddingsPort;
    try {
      if (!this.embeddingsCache || Date.now() - this.embeddingsCache.at > EMBEDDINGS_CACHE_MS) {
        this.embeddingsCache = { at: Date.now(), byLang: new Map() };
      }
      let entries = this.embeddingsCache.byLang.get(lang);
      if (!entries) {
        entries = await this.store.embeddings(lang);
        this.embeddingsCache.byLang.set(lang, entries);
      }
      if (entries.length === 0) return null;
      const [vector] = await embeddings.embed([[...(query.context ?? []).slice(-1), query.text].join('\n')]);
      if (!vector) return null;
      return entries.map((e) => ({ id: e.id, title: e.title, text: e.text, similarity: cosine(vector, e.embedding) })).sort((a, b) => b.similarity - a.similarity);
    } catch (error) {
      this.log?.warn({ code: (error as { code?: unknown }).code ?? 'EMBEDDINGS_FAILED' }, 'knowledge embeddings unavailable, text ranking only');
      return null;
    }
  }
}

const WEAK = { ru: new Set(WEAK_WORDS.ru.split(' ')), en: new Set(WEAK_WORDS.en.split(' ')) };

/** 1 for a content word; {@link WEAK_WEIGHT} for a general word or a number. */
export function wordWeight(word: string, lang: KnowledgeLang): number {
  return WEAK[lang].has(word) || /^\d+$/.test(word) ? WEAK_WEIGHT : 1;
}

/** Adds `embeddingWeight × similarity` to each text score; entries found only semantically join with coverage 0. */
function blend(ranked: RankedEntry[], semantic: ReadonlyArray<{ id: string; title: string; text: string; similarity: number }>, params: RankingParams): RankedEntry[] {
  const byId = new Map(ranked.map((r) => [r.id, { ...r }]));
  for (const s of semantic.slice(0, CANDIDATES)) {
    const entry = byId.get(s.id) ?? { id: s.id, title: s.title, text: s.text, score: 0, coverage: 0, features: { coverage: 0, topic: 0, matched: 0, unknown: 1 } };
    entry.score = Math.round((entry.score + params.embeddingWeight * s.similarity) * 10_000) / 10_000;
    byId.set(s.id, entry);
  }
  return [...byId.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}
