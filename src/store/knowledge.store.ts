import type { Knex } from 'knex';
import { KnowledgeSchemaError } from '../knowledge/knowledge.errors';
import { KNOWLEDGE_LANGS, type KnowledgeEntry, type KnowledgeLang } from '../knowledge/knowledge.types';
import { knowledgeWords } from '../knowledge/tokens.knowledge';

/** An entry as the store lists it (admin API, `npm run knowledge:index`). */
export interface StoredKnowledgeEntry {
  id: string;
  file: string;
  heading: string;
  lang: KnowledgeLang;
  tags: string[];
  body: string;
  hasEmbedding: boolean;
  indexedAt: Date;
}

/** An entry to index, with its optional embedding. */
export interface IndexableEntry extends KnowledgeEntry {
  contentHash: string;
  embedding?: number[];
}

/** What the store knows about a query word (see {@link KnowledgeStore.resolveWords}). */
export interface WordResolution {
  /** The word as given. */
  word: string;
  /** Its lexemes in the language's configuration (none for a stop word), each with its document frequency (0: not in the base). */
  lexemes: Array<{ lexeme: string; df: number }>;
  /**
   * Lexemes of the base that start with the same 5 letters as one of the word's lexemes
   * (`открыва` / `открыт`, `deliv` / `deliveri`, `рекламн` / `реклам`); the ranking decides
   * which of them are the same word's relatives.
   */
  relatives: Array<{ lexeme: string; df: number }>;
  /** The base's words closest by trigram distance (at most 4), when the word's lexemes are not in the base. */
  neighbours: Array<{ word: string; lexeme: string; df: number }>;
  /** Lexemes of the base in a synonym group with one of the word's lexemes. */
  synonyms: Array<{ lexeme: string; df: number }>;
}

/** One alternative of a query term for {@link KnowledgeStore.candidates}: match `lexeme`, credit `strength`. */
export interface TermAlternative {
  term: number;
  lexeme: string;
  strength: number;
  /** The term's weight (query weight × IDF): used to pre-rank candidates in SQL. */
  weight: number;
}

/** A candidate entry with the query terms it contains. */
export interface KnowledgeCandidate {
  id: string;
  title: string;
  text: string;
  /** Best strength per term index found anywhere in the entry. */
  hits: Map<number, number>;
  /** Best strength per term index found in the title. */
  titleHits: Map<number, number>;
  /** ts_rank_cd of the alternatives in the entry, normalised by length (0–1). */
  rank: number;
  embedding: number[] | null;
}

/** The index's bookkeeping row. */
export interface KnowledgeIndexState {
  sourceHash: string;
  entries: number;
  indexedAt: Date;
}

const INDEX_NAME = 'default';
/** Relatives of a lexeme share at least this many first letters (the text_pattern_ops index finds them). */
const RELATIVE_PREFIX = 5;
const RELATIVES = 12;
const NEIGHBOURS = 4;

/**
 * Every SQL statement on the knowledge tables (`knowledge_entries`, `knowledge_terms`,
 * `knowledge_words`, `knowledge_index`). Works on a Knex pool or inside a transaction (the
 * evaluation indexes a base and queries it in a transaction it rolls back).
 */
export class KnowledgeStore {
  private constructor(private readonly db: Knex) {}

  /** A store over a Knex pool or transaction; no I/O until the first call. */
  static create(db: Knex): KnowledgeStore {
    return new KnowledgeStore(db);
  }

  /** The same store inside `trx`. */
  withTransaction(trx: Knex.Transaction): KnowledgeStore {
    return new KnowledgeStore(trx);
  }

  /** The hash and size of the last indexing, or null before the first one. */
  async indexState(): Promise<KnowledgeIndexState | null> {
    const row = await this.guard(() =>
      this.db('knowledge_index').where({ name: INDEX_NAME }).first<{ source_hash: string; entries: number; indexed_at: Date } | undefined>(),
    );
    return row ? { sourceHash: row.source_hash, entries: row.entries, indexedAt: row.indexed_at } : null;
  }

  /**
   * Replaces the whole index with `entries` in one transaction, under an advisory lock so two
   * processes starting at once do not index twice: the second finds the hash already stored
   * and returns false.
   *
   * @returns false when `sourceHash` was already indexed (nothing written).
   */
  async reindex(entries: readonly IndexableEntry[], sourceHash: string, synonyms: Partial<Record<KnowledgeLang, readonly string[]>> = {}): Promise<boolean> {
    const run = async (trx: Knex.Transaction | Knex) => {
      await trx.raw("SELECT pg_advisory_xact_lock(hashtext('knowledge_index'))");
      const state = await trx('knowledge_index').where({ name: INDEX_NAME }).first<{ source_hash: string } | undefined>();
      if (state?.source_hash === sourceHash) return false;
      await trx.raw('DELETE FROM knowledge_synonyms');
      await trx.raw('DELETE FROM knowledge_words');
      await trx.raw('DELETE FROM knowledge_terms');
      await trx.raw('DELETE FROM knowledge_entries');
      for (let i = 0; i < entries.length; i += 200) await this.insertEntries(trx, entries.slice(i, i + 200));
      for (const [lang, config] of Object.entries(KNOWLEDGE_LANGS)) {
        await trx.raw(
          `INSERT INTO knowledge_terms (lang, lexeme, df)
           SELECT ?, t.lexeme, count(*) FROM knowledge_entries e, unnest(tsvector_to_array(e.tsv)) AS t(lexeme)
           WHERE e.lang = ? GROUP BY t.lexeme`,
          [lang, lang],
        );
        await trx.raw(
          `INSERT INTO knowledge_words (lang, word, lexeme)
           SELECT DISTINCT ?, w.word, l.lexeme
           FROM (SELECT DISTINCT w.word FROM knowledge_entries e, unnest(regexp_split_to_array(e.search_words, ' ')) AS w(word)
                 WHERE e.lang = ? AND length(w.word) > 1) w,
                unnest(tsvector_to_array(to_tsvector(?::regconfig, w.word))) AS l(lexeme)`,
          [lang, lang, config],
        );
      }
      for (const [lang, groups] of Object.entries(synonyms)) {
        if (!groups || groups.length === 0) continue;
        const words: string[] = [];
        const ids: number[] = [];
        groups.forEach((group, i) => {
          for (const word of knowledgeWords(group)) {
            words.push(word);
            ids.push(i + 1);
          }
        });
        await trx.raw(
          `INSERT INTO knowledge_synonyms (lang, grp, lexeme)
           SELECT DISTINCT ?, g.grp, l.lexeme FROM unnest(?::text[], ?::int[]) AS g(word, grp),
             unnest(tsvector_to_array(to_tsvector(?::regconfig, g.word))) AS l(lexeme)`,
          [lang, words, ids, KNOWLEDGE_LANGS[lang as KnowledgeLang]],
        );
      }
      await trx.raw(
        `INSERT INTO knowledge_index (name, source_hash, entries, indexed_at) VALUES (?, ?, ?, now())
         ON CONFLICT (name) DO UPDATE SET source_hash = excluded.source_hash, entries = excluded.entries, indexed_at = now()`,
        [INDEX_NAME, sourceHash, entries.length],
      );
      return true;
    };
    return this.guard(() => (this.db.isTransaction ? run(this.db) : this.db.transaction(run)));
  }

  private async insertEntries(trx: Knex.Transaction | Knex, batch: readonly IndexableEntry[]): Promise<void> {
    if (batch.length === 0) return;
    const values: Knex.RawBinding[] = [];
    const rows = batch.map((e) => {
      const config = KNOWLEDGE_LANGS[e.lang];
      const title = knowledgeWords(e.heading).join(' ');
      const tags = knowledgeWords(e.tags.join(' ')).join(' ');
      const body = knowledgeWords(e.body).join(' ');
      values.push(e.id, e.file, e.heading, e.lang, [...e.tags], e.body, e.position, `${title} ${tags} ${body}`);
      values.push(config, title, config, tags, config, body);
      values.push(e.embedding ?? null, e.contentHash);
      return `(?, ?, ?, ?, ?::text[], ?, ?, ?,
        setweight(to_tsvector(?::regconfig, ?), 'A') || setweight(to_tsvector(?::regconfig, ?), 'B') || setweight(to_tsvector(?::regconfig, ?), 'C'),
        ?::real[], ?)`;
    });
    await trx.raw(
      `INSERT INTO knowledge_entries (id, file, heading, lang, tags, body, position, search_words, tsv, embedding, content_hash)
       VALUES ${rows.join(', ')}`,
      values,
    );
  }

  /** Every entry, ordered by file and position; `lang` narrows it to one language. */
  async listEntries(options: { lang?: KnowledgeLang } = {}): Promise<StoredKnowledgeEntry[]> {
    const rows = await this.guard(() => {
      const query = this.db('knowledge_entries')
        .select('id', 'file', 'heading', 'lang', 'tags', 'body', 'indexed_at')
        .select(this.db.raw('embedding IS NOT NULL AS has_embedding'))
        .orderBy([{ column: 'file' }, { column: 'position' }]);
      if (options.lang) query.where({ lang: options.lang });
      return query;
    });
    return (rows as Array<Record<string, unknown>>).map((r) => ({
      id: r.id as string,
      file: r.file as string,
      heading: r.heading as string,
      lang: r.lang as KnowledgeLang,
      tags: r.tags as string[],
      body: r.body as string,
      hasEmbedding: r.has_embedding as boolean,
      indexedAt: r.indexed_at as Date,
    }));
  }

  /**
   * Looks up query words in one statement: each word's lexemes and their document frequency
   * and, for a word whose lexemes the base lacks, the base's lexemes sharing its prefix and its
   * nearest words by trigram distance (the pg_trgm GiST index's KNN). Also returns how many
   * entries the language has, for IDF.
   */
  async resolveWords(lang: KnowledgeLang, words: readonly string[]): Promise<{ entries: number; words: WordResolution[] }> {
    if (words.length === 0) {
      const [row] = (await this.guard(() => this.db.raw('SELECT count(*)::int AS n FROM knowledge_entries WHERE lang = ?', [lang]))).rows as Array<{ n: number }>;
      return { entries: row?.n ?? 0, words: [] };
    }
    const result = await this.guard(() =>
      this.db.raw(
        `WITH w AS (SELECT word, ord FROM unnest(?::text[]) WITH ORDINALITY AS t(word, ord)),
         l AS (SELECT w.ord, x.lexeme, coalesce(t.df, 0) AS df
               FROM w CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector(?::regconfig, w.word))) AS x(lexeme)
               LEFT JOIN knowledge_terms t ON t.lang = ? AND t.lexeme = x.lexeme),
         missing AS (SELECT w.ord, w.word FROM w WHERE NOT EXISTS (SELECT 1 FROM l WHERE l.ord = w.ord AND l.df > 0))
         SELECT w.ord, w.word,
           (SELECT count(*)::int FROM knowledge_entries WHERE lang = ?) AS entries,
           coalesce((SELECT json_agg(json_build_object('lexeme', l.lexeme, 'df', l.df)) FROM l WHERE l.ord = w.ord), '[]') AS lexemes,
           coalesce((SELECT json_agg(json_build_object('lexeme', r.lexeme, 'df', r.df)) FROM (
              SELECT DISTINCT t.lexeme, t.df FROM l JOIN knowledge_terms t
                ON t.lang = ? AND length(l.lexeme) >= ${RELATIVE_PREFIX} AND t.lexeme LIKE left(l.lexeme, ${RELATIVE_PREFIX}) || '%' AND t.lexeme <> l.lexeme
              WHERE l.ord = w.ord LIMIT ${RELATIVES}) r), '[]') AS relatives,
           coalesce((SELECT json_agg(json_build_object('word', n.word, 'lexeme', n.lexeme, 'df', coalesce(t.df, 0)))
              FROM (SELECT kw.word, kw.lexeme FROM knowledge_words kw WHERE kw.lang = ? AND w.ord IN (SELECT ord FROM missing)
                    ORDER BY kw.word <-> w.word LIMIT ${NEIGHBOURS}) n
              LEFT JOIN knowledge_terms t ON t.lang = ? AND t.lexeme = n.lexeme), '[]') AS neighbours,
           coalesce((SELECT json_agg(json_build_object('lexeme', x.lexeme, 'df', x.df)) FROM (
              SELECT DISTINCT t.lexeme, t.df FROM l
                JOIN knowledge_synonyms s1 ON s1.lang = ? AND s1.lexeme = l.lexeme
                JOIN knowledge_synonyms s2 ON s2.lang = s1.lang AND s2.grp = s1.grp AND s2.lexeme <> l.lexeme
                JOIN knowledge_terms t ON t.lang = s1.lang AND t.lexeme = s2.lexeme
              WHERE l.ord = w.ord) x), '[]') AS synonyms
         FROM w ORDER BY w.ord`,
        [[...words], KNOWLEDGE_LANGS[lang], lang, lang, lang, lang, lang, lang],
      ),
    );
    const rows = result.rows as Array<{ word: string; entries: number; lexemes: WordResolution['lexemes']; relatives: WordResolution['relatives']; neighbours: WordResolution['neighbours']; synonyms: WordResolution['synonyms'] }>;
    return {
      entries: rows[0]?.entries ?? 0,
      words: rows.map((r) => ({ word: r.word, lexemes: r.lexemes, relatives: r.relatives, neighbours: r.neighbours, synonyms: r.synonyms })),
    };
  }

  /**
   * Entries of `lang` that contain any alternative, with the terms each contains (anywhere and
   * in the title) and ts_rank_cd; pre-ranked in SQL by the summed weight of the terms they
   * contain, at most `limit` of them. The GIN index on `tsv` finds them.
   */
  async candidates(lang: KnowledgeLang, alternatives: readonly TermAlternative[], limit: number): Promise<KnowledgeCandidate[]> {
    if (alternatives.length === 0) return [];
    const lexemes = [...new Set(alternatives.map((a) => a.lexeme))];
    const any = lexemes.map(quoteLexeme).join(' | ');
    const result = await this.guard(() =>
      this.db.raw(
        `WITH q AS (SELECT term, lexeme, strength, weight,
                           quote_literal(lexeme)::tsquery AS tq,
                           (quote_literal(lexeme) || ':AB')::tsquery AS tqa
                    FROM unnest(?::int[], ?::text[], ?::real[], ?::real[]) AS t(term, lexeme, strength, weight)),
         c AS (SELECT e.id, e.heading, e.body, e.embedding, ts_rank_cd(e.tsv, query, 1) AS rank, e.tsv
               FROM knowledge_entries e, CAST(? AS tsquery) AS query
               WHERE e.lang = ? AND e.tsv @@ query),
         h AS (SELECT c.id, q.term, max(q.strength) AS s, max(q.strength) FILTER (WHERE c.tsv @@ q.tqa) AS ts, max(q.weight * q.strength) AS w
               FROM c JOIN q ON c.tsv @@ q.tq GROUP BY c.id, q.term)
         SELECT c.id, c.heading, c.body, c.embedding, c.rank,
                json_agg(json_build_array(h.term, h.s, h.ts)) AS hits, sum(h.w) AS prerank
         FROM c JOIN h ON h.id = c.id
         GROUP BY c.id, c.heading, c.body, c.embedding, c.rank
         ORDER BY prerank DESC, c.rank DESC LIMIT ?`,
        [
          alternatives.map((a) => a.term),
          alternatives.map((a) => a.lexeme),
          alternatives.map((a) => a.strength),
          alternatives.map((a) => a.weight),
          any,
          lang,
          limit,
        ],
      ),
    );
    return (result.rows as Array<{ id: string; heading: string; body: string; embedding: number[] | null; rank: number; hits: Array<[number, number, number | null]> }>).map((r) => {
      const hits = new Map<number, number>();
      const titleHits = new Map<number, number>();
      for (const [term, strength, titleStrength] of r.hits) {
        hits.set(term, strength);
        if (titleStrength !== null) titleHits.set(term, titleStrength);
      }
      return { id: r.id, title: r.heading, text: r.body, hits, titleHits, rank: r.rank, embedding: r.embedding };
    });
  }

  /** Embeddings of every entry of `lang` that has one (for the optional semantic score). */
  async embeddings(lang: KnowledgeLang): Promise<Array<{ id: string; title: string; text: string; embedding: number[] }>> {
    const rows = await this.guard(() => this.db('knowledge_entries').select('id', 'heading', 'body', 'embedding').where({ lang }).whereNotNull('embedding'));
    return (rows as Array<{ id: string; heading: string; body: string; embedding: number[] }>).map((r) => ({ id: r.id, title: r.heading, text: r.body, embedding: r.embedding }));
  }

  /** Content hashes and embeddings already stored, so a reindex re-embeds only changed entries. */
  async storedEmbeddings(): Promise<Map<string, number[]>> {
    const rows = await this.guard(() => this.db('knowledge_entries').select('content_hash', 'embedding').whereNotNull('embedding'));
    return new Map((rows as Array<{ content_hash: string; embedding: number[] }>).map((r) => [r.content_hash, r.embedding]));
  }

  /** Turns "relation does not exist" into a {@link KnowledgeSchemaError} that says to migrate. */
  private async guard<T>(work: () => PromiseLike<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '42P01') throw new KnowledgeSchemaError();
      throw error;
    }
  }
}

/** A lexeme as a tsquery operand: quoted, with quotes and backslashes escaped. */
function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
