/**
 * Types of the knowledge base: what the Markdown files hold, and what a retrieval returns.
 * Pure data; no I/O.
 */

/** Languages the knowledge base indexes, each with its PostgreSQL text search configuration. */
export const KNOWLEDGE_LANGS = { ru: 'russian', en: 'english' } as const;

/** A language of the knowledge base: `ru` or `en`. */
export type KnowledgeLang = keyof typeof KNOWLEDGE_LANGS;

/** One entry: a `##` section of a Markdown file. */
export interface KnowledgeEntry {
  /** `<file>#<heading>`, e.g. `delivery.ru.md#Сроки доставки`; stable as long as the heading is. */
  id: string;
  /** The file's path relative to the knowledge directory, with `/` separators. */
  file: string;
  /** The `##` heading: the entry's title. */
  heading: string;
  lang: KnowledgeLang;
  /** The file's front-matter tags, then the entry's own `Tags:` line, if any. */
  tags: string[];
  /** The section's Markdown text without its heading (and without its `Tags:` line). */
  body: string;
  /** 0-based order of the entry in its file. */
  position: number;
}

/** An entry a retrieval found, with how well it matches the question. */
export interface RetrievedEntry {
  id: string;
  title: string;
  text: string;
  /** The ranking score (higher is better; see docs/knowledge.md). */
  score: number;
  /**
   * Share of the question's content, IDF-weighted, that the entry contains (0–1): the feature
   * the "covered" decision reads.
   */
  coverage: number;
}

/**
 * What the base says about a question:
 * - `covered`: the top entries answer it; give them to the LLM;
 * - `not_covered`: a real question the base has nothing for; say so and offer a human;
 * - `small_talk`: a greeting, thanks, or a message with nothing to look up; no offer.
 */
export type KnowledgeDecision = 'covered' | 'not_covered' | 'small_talk';

/** The result of {@link KnowledgeBase.retrieve}. */
export interface Retrieval {
  decision: KnowledgeDecision;
  /** Convenience: `decision === 'covered'`. */
  covered: boolean;
  /** Convenience: `decision === 'small_talk'` (never offer a human for it). */
  smallTalk: boolean;
  /** The best entries, best first (at most `limit`); may be non-empty when not covered. */
  entries: RetrievedEntry[];
  lang: KnowledgeLang;
}

/** A question for {@link KnowledgeBase.retrieve}. */
export interface KnowledgeQuery {
  text: string;
  lang: KnowledgeLang;
  /** The last turns of the dialog (user's earlier messages), oldest first: they weigh less. */
  context?: readonly string[];
  /** How many entries to return. Default 3. */
  limit?: number;
}
