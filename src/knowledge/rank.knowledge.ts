import type { KnowledgeCandidate, TermAlternative, WordResolution } from '../store/knowledge.store';
import type { KnowledgeDecision, RetrievedEntry } from './knowledge.types';
import { isTypoOf } from './typo.knowledge';

/**
 * The ranking and the "covered" decision, as pure functions of what the store returned (see
 * docs/knowledge.md for why each feature is there and how the constants were chosen).
 */

/** The knobs of the ranking. {@link DEFAULT_RANKING} holds the shipped values. */
export interface RankingParams {
  /** Weights of the logistic "covered" model ({@link coverageProbability}). */
  decision: { bias: number; coverage: number; topic: number; matched: number; unknown: number };
  /** The best entry covers the question when the model's probability reaches this. */
  minProbability: number;
  /** The least share of the question a covering entry's title and tags must hold. */
  minTopic: number;
  /** How many of the first entries may cover the question (the ones the LLM gets). */
  decisionDepth: number;
  /** Weight of the share of the question found in the entry's title, added to the coverage for ranking. */
  titleWeight: number;
  /** Weight of ts_rank_cd (length-normalised), a tie-breaker. */
  rankWeight: number;
  /** Weight of a word from the dialog's earlier turns, relative to a word of the question (1). */
  contextWeight: number;
  /** Credit for a lexeme that is only a relative of the base's (`открыва` / `открыт`, see {@link areRelatives}). */
  prefixStrength: number;
  /** Credit for a word that is a typo of one of the base's words. */
  typoStrength: number;
  /** Credit for a word of the same synonym group (src/knowledge/synonyms.knowledge.ts). */
  synonymStrength: number;
  /** With embeddings on: weight of the cosine similarity added to the text score. */
  embeddingWeight: number;
  /** With embeddings on: a question the text ranking calls not covered is covered when its best entry is at least this similar. */
  minSimilarity: number;
}

/** The shipped ranking parameters. */
export const DEFAULT_RANKING: RankingParams = {
  decision: { bias: -1.55, coverage: 1.53, topic: 1.76, matched: 1.88, unknown: -1.25 },
  minProbability: 0.5,
  minTopic: 0.05,
  decisionDepth: 3,
  titleWeight: 0.5,
  rankWeight: 0.1,
  contextWeight: 0.35,
  prefixStrength: 0.7,
  typoStrength: 0.8,
  synonymStrength: 0.9,
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
 * point (the base does not talk about it), at `unknownWeight` when given (a product name or a
 * verb form weighs less than a noun the base lacks). Repeated lexemes count once, at their
 * highest weight.
 */
export function buildTerms(
  words: ReadonlyArray<{ resolution: WordResolution; weight: number; unknownWeight?: number }>,
  entries: number,
  params: RankingParams = DEFAULT_RANKING,
): QueryTerm[] {
  const terms: QueryTerm[] = [];
  const byKey = new Map<string, QueryTerm>();
  for (const { resolution, weight: given, unknownWeight } of words) {
    if (resolution.lexemes.length === 0) continue; // a stop word
    const known = resolution.lexemes.filter((l) => l.df > 0);
    let alternatives: QueryTerm['alternatives'];
    let df: number;
    const own = resolution.lexemes.map((l) => l.lexeme);
    const relatives = resolution.relatives.filter((r) => !own.includes(r.lexeme) && own.some((lexeme) => areRelatives(lexeme, r.lexeme)));
    if (known.length > 0) {
      alternatives = known.map((l) => ({ lexeme: l.lexeme, strength: 1 }));
      for (const r of relatives) alternatives.push({ lexeme: r.lexeme, strength: params.prefixStrength });
      df = Math.max(...known.map((l) => l.df));
    } else {
      const typos = resolution.neighbours.filter((n) => n.df > 0 && isTypoOf(resolution.word, n.word));
      const found = new Map<string, { strength: number; df: number }>();
      for (const r of relatives) found.set(r.lexeme, { strength: params.prefixStrength, df: r.df });
      for (const t of typos) {
        const before = found.get(t.lexeme);
        if (!before || before.strength < params.typoStrength) found.set(t.lexeme, { strength: params.typoStrength, df: t.df });
      }
      alternatives = [...found].map(([lexeme, v]) => ({ lexeme, strength: v.strength }));
      df = alternatives.length > 0 ? Math.max(...[...found.values()].map((v) => v.df)) : 0;
    }
    for (const synonym of resolution.synonyms) {
      if (!alternatives.some((a) => a.lexeme === synonym.lexeme)) alternatives.push({ lexeme: synonym.lexeme, strength: params.synonymStrength });
      if (known.length === 0) df = Math.max(df, synonym.df);
    }
    // A word the base never uses weighs what its kind says (a product, a verb: see unknownWordWeight).
    const weight = alternatives.length === 0 && unknownWeight !== undefined ? Math.min(given, unknownWeight) : given;
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

/** A term in more than this share of the entries, and in more than {@link COMMON_MIN} of them, does not select candidates by itself. */
export const COMMON_SHARE = 0.2;
/** Below this many entries no term is too common to select candidates: a small base needs no pruning. */
export const COMMON_MIN = 50;

/** The alternatives to look for, and how entries are selected as candidates. */
export interface CandidateQuery {
  alternatives: TermAlternative[];
  /**
   * True when a candidate must contain two of the question's terms, not one: in a large base
   * when every term is common (an entry with one of them covers too little to matter, and there
   * would be hundreds).
   */
  pairwise: boolean;
}

/**
 * The alternatives of every term, flat, as {@link KnowledgeStore.candidates} takes them. In a
 * large base, terms found in more than {@link COMMON_SHARE} of the entries (and more than
 * {@link COMMON_MIN}: `заказ`, `order`) are marked as not selecting: an entry that has only them
 * cannot cover much of a question that also has rarer words, and with 1,000 entries they would
 * make hundreds of candidates. When every term is that common, all of them select, but two at
 * a time ({@link CandidateQuery.pairwise}).
 */
export function candidateQuery(terms: readonly QueryTerm[], entries: number): CandidateQuery {
  const floor = idf(Math.max(COMMON_SHARE * entries, COMMON_MIN), entries);
  const found = terms.filter((t) => t.alternatives.length > 0);
  const anyRare = found.some((t) => t.idf >= floor);
  const alternatives = terms.flatMap((t) =>
    t.alternatives.map((a) => ({ term: t.index, lexeme: a.lexeme, strength: a.strength, weight: t.weight * t.idf, selects: !anyRare || t.idf >= floor })),
  );
  return { alternatives, pairwise: !anyRare && found.length >= 2 && entries * COMMON_SHARE > COMMON_MIN };
}

/** What the "covered" decision reads about a question and an entry. */
export interface CoverageFeatures {
  /** IDF-weighted share of the question's terms the entry contains (each at its alternative's credit). */
  coverage: number;
  /** The same share counted in the entry's title and tags only: does the question hit what the entry is about? */
  topic: number;
  /** Share of the question's terms the entry contains, each counted once whatever its IDF. */
  matched: number;
  /** IDF-weighted share of the question's terms the base never uses. */
  unknown: number;
}

/** A ranked entry with the features of the decision. */
export interface RankedEntry extends RetrievedEntry {
  features: CoverageFeatures;
}

/**
 * Scores candidates: coverage (the IDF-weighted share of the question's terms the entry
 * contains), plus `titleWeight` × the share found in its title and tags, plus `rankWeight` ×
 * ts_rank_cd as a tie-breaker. Best first.
 */
export function rankCandidates(terms: readonly QueryTerm[], candidates: readonly KnowledgeCandidate[], params: RankingParams = DEFAULT_RANKING): RankedEntry[] {
  const total = terms.reduce((sum, t) => sum + t.weight * t.idf, 0);
  const count = terms.reduce((sum, t) => sum + t.weight, 0);
  if (total <= 0) return [];
  const unknown = terms.reduce((sum, t) => sum + (t.alternatives.length === 0 ? t.weight * t.idf : 0), 0) / total;
  const share = (hits: Map<number, number>) => terms.reduce((sum, t) => sum + t.weight * t.idf * (hits.get(t.index) ?? 0), 0) / total;
  return candidates
    .map((c) => {
      const coverage = share(c.hits);
      const topic = share(c.titleHits);
      const matched = terms.reduce((sum, t) => sum + (c.hits.has(t.index) ? t.weight : 0), 0) / count;
      const score = coverage + params.titleWeight * topic + params.rankWeight * c.rank;
      return { id: c.id, title: c.title, text: c.text, score: round(score), coverage: round(coverage), features: { coverage, topic, matched, unknown } };
    })
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/**
 * The probability that the best entry covers the question: a logistic model over
 * {@link CoverageFeatures} (weights in {@link RankingParams.decision}; see docs/knowledge.md for
 * how they were fitted).
 */
export function coverageProbability(features: CoverageFeatures, params: RankingParams = DEFAULT_RANKING): number {
  const w = params.decision;
  const z = w.bias + w.coverage * features.coverage + w.topic * features.topic + w.matched * features.matched + w.unknown * features.unknown;
  return 1 / (1 + Math.exp(-z));
}

/**
 * `covered` when one of the first `decisionDepth` entries (the ones the LLM will see) passes
 * the gate and the model: the question touches what the entry is about (some of it is in the
 * entry's title or tags, `topic` ≥ `minTopic`: a body that merely mentions the words is not
 * enough), and {@link coverageProbability} reaches `minProbability`. Otherwise `not_covered`.
 */
export function decideCoverage(ranked: readonly RankedEntry[], params: RankingParams = DEFAULT_RANKING): Exclude<KnowledgeDecision, 'small_talk'> {
  const covering = ranked
    .slice(0, params.decisionDepth)
    .some((entry) => entry.features.topic >= params.minTopic && coverageProbability(entry.features, params) >= params.minProbability);
  return covering ? 'covered' : 'not_covered';
}

/**
 * Two lexemes are relatives (one word's derivations the stemmer left apart: `открыва` /
 * `открыт`, `отслед` / `отслежив`, `достав` / `доставщик`) when they share a prefix of at least
 * 5 letters and at least 70 % of the shorter one. `карт` / `картридж` and `стоит` / `стоимост`
 * are not.
 */
export function areRelatives(a: string, b: string): boolean {
  const shorter = Math.min(a.length, b.length);
  let common = 0;
  while (common < shorter && a[common] === b[common]) common += 1;
  return common >= Math.max(5, Math.ceil(0.7 * shorter));
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
