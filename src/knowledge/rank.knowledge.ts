import type { KnowledgeCandidate, TermAlternative, WordResolution } from '../store/knowledge.store';
import type { KnowledgeDecision, RetrievedEntry } from './knowledge.types';
import { isTypoOf } from './typo.knowledge';

/**
 * The ranking and the "covered" decision, as pure functions of what the store returned (see
 * docs/knowledge.md for why each feature is there and how the constants were chosen).
 */

/** The knobs of the ranking. {@link DEFAULT_RANKING} holds the shipped values. */
export interface RankingParams {
  /** The best entry must contain at least this share of the question's IDF-weighted content to count as covering it. */
  minCoverage: number;
  /** Weight of the share of the question found in the entry's title, added to the coverage for ranking. */
  titleWeight: number;
  /** Weight of ts_rank_cd (length-normalised), a tie-breaker. */
  rankWeight: number;
  /** Weight of a word from the dialog's earlier turns, relative to a word of the question (1). */
  contextWeight: number;
  /** Credit for a lexeme that only shares a prefix with the base's (`достав` / `доставк`). */
  prefixStrength: number;
  /** Credit for a word that is a typo of one of the base's words. */
  typoStrength: number;
  /** With embeddings on: weight of the cosine similarity added to the text score. */
  embeddingWeight: number;
  /** With embeddings on: a question the text ranking calls not covered is covered when its best entry is at least this similar. */
  minSimilarity: number;
}

/** The shipped ranking parameters. */
export const DEFAULT_RANKING: RankingParams = {
  minCoverage: 0.5,
  titleWeight: 0.3,
  rankWeight: 0.1,
  contextWeight: 0.35,
  prefixStrength: 0.7,
  typoStrength: 0.8,
  embeddingWeight: 0.5,
  minSimilarity: 0.6,
};

/** One content word of the question (or of its context) as the ranking sees it. */
export interface QueryTerm {
  index: number;
  /** The word as typed (for explanations). */
  word: string;
  /** 1 for the question, {@link RankingParams.contextWeight} for the context. */
  weight: number;
  /** Inverse document frequency of what the word matched (or of an unseen word). */
  idf: number;
  /** The lexemes that count as this word in an entry, with the credit each earns. */
  alternatives: Array<{ lexeme: string; strength: number }>;
}

/** BM25's inverse document frequency: ln(1 + (N − df + 0.5) / (df + 0.5)); df 0 is a word the base never uses. */
export function idf(df: number, entries: number): number {
  return Math.log(1 + (Math.max(entries, 1) - df + 0.5) / (df + 0.5));
}

/**
 * Turns the store's word look-ups into query terms. A word whose lexeme the base knows matches
 * it exactly; otherwise its prefix relatives and the neighbours it is a typo of stand in for
 * it, with less credit. A stop word has no lexeme and is dropped. A word never seen in the base
 * keeps the IDF of an unseen word and no alternatives: it counts against coverage, which is the
 * point (the base does not talk about it). Repeated lexemes count once, at their highest weight.
 */
export function buildTerms(words: ReadonlyArray<{ resolution: WordResolution; weight: number }>, entries: number, params: RankingParams = DEFAULT_RANKING): QueryTerm[] {
  const terms: QueryTerm[] = [];
  const byKey = new Map<string, QueryTerm>();
  for (const { resolution, weight } of words) {
    if (resolution.lexemes.length === 0) continue; // a stop word
    const known = resolution.lexemes.filter((l) => l.df > 0);
    let alternatives: QueryTerm['alternatives'];
    let df: number;
    if (known.length > 0) {
      alternatives = known.map((l) => ({ lexeme: l.lexeme, strength: 1 }));
      df = Math.max(...known.map((l) => l.df));
    } else {
      const typos = resolution.neighbours.filter((n) => n.df > 0 && isTypoOf(resolution.word, n.word));
      const found = new Map<string, { strength: number; df: number }>();
      for (const p of resolution.prefixes) found.set(p.lexeme, { strength: params.prefixStrength, df: p.df });
      for (const t of typos) {
        const before = found.get(t.lexeme);
        if (!before || before.strength < params.typoStrength) found.set(t.lexeme, { strength: params.typoStrength, df: t.df });
      }
      alternatives = [...found].map(([lexeme, v]) => ({ lexeme, strength: v.strength }));
      df = alternatives.length > 0 ? Math.max(...[...found.values()].map((v) => v.df)) : 0;
    }
    const key = resolution.lexemes.map((l) => l.lexeme).sort().join('|');
    const existing = byKey.get(key);
    if (existing) {
      existing.weight = Math.max(existing.weight, weight);
      continue;
    }
    const term: QueryTerm = { index: terms.length, word: resolution.word, weight, idf: idf(df, entries), alternatives };
    byKey.set(key, term);
    terms.push(term);
  }
  return terms;
}

/** The alternatives of every term, flat, as {@link KnowledgeStore.candidates} takes them. */
export function termAlternatives(terms: readonly QueryTerm[]): TermAlternative[] {
  return terms.flatMap((t) => t.alternatives.map((a) => ({ term: t.index, lexeme: a.lexeme, strength: a.strength, weight: t.weight * t.idf })));
}

/**
 * Scores candidates: coverage (the IDF-weighted share of the question's terms the entry
 * contains, each at the credit of its best alternative), plus the share found in the title,
 * plus ts_rank_cd as a tie-breaker. Best first.
 */
export function rankCandidates(terms: readonly QueryTerm[], candidates: readonly KnowledgeCandidate[], params: RankingParams = DEFAULT_RANKING): RetrievedEntry[] {
  const total = terms.reduce((sum, t) => sum + t.weight * t.idf, 0);
  if (total <= 0) return [];
  const share = (hits: Map<number, number>) => terms.reduce((sum, t) => sum + t.weight * t.idf * (hits.get(t.index) ?? 0), 0) / total;
  return candidates
    .map((c) => {
      const coverage = share(c.hits);
      const score = coverage + params.titleWeight * share(c.titleHits) + params.rankWeight * c.rank;
      return { id: c.id, title: c.title, text: c.text, score: round(score), coverage: round(coverage) };
    })
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/** `covered` when the best entry covers enough of the question, else `not_covered`. */
export function decideCoverage(ranked: readonly RetrievedEntry[], params: RankingParams = DEFAULT_RANKING): Exclude<KnowledgeDecision, 'small_talk'> {
  const best = ranked[0];
  return best !== undefined && best.coverage >= params.minCoverage ? 'covered' : 'not_covered';
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
