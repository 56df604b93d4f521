import type { KnowledgeEntry } from '../knowledge/knowledge.types';

/* The records the knowledge store reads and writes (src/store/knowledge.store.ts). */

/** An entry as the store lists it (admin API, `npm run knowledge:index`). */
export interface StoredKnowledgeEntry extends Omit<KnowledgeEntry, 'position'> {
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
  /**
   * The base's words most similar by trigrams (pg_trgm similarity ≥ 0.2, at most 6) among
   * those that start with the same letter and differ in length by at most 2, when the word's
   * lexemes are not in the base and it has 5 letters or more.
   */
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
  /** Whether an entry containing this lexeme is a candidate (false for very common terms). */
  selects: boolean;
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
