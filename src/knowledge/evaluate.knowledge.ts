import { KNOWLEDGE_LANGS, type KnowledgeLang, type Retrieval } from './knowledge.types';

/** One labelled question: `expected` is the entry id that answers it, or null when the base does not cover it. */
export interface KnowledgeEvalCase {
  question: string;
  lang: KnowledgeLang;
  expected: string | null;
  /** 1-based line in the file, for reports. */
  line: number;
}

/** A bad line in an evaluation file. */
export class KnowledgeEvalDatasetError extends Error {
  readonly code = 'KNOWLEDGE_EVAL_DATASET';
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`line ${line}: ${problem}; each line is {"question": "...", "lang": "ru"|"en", "expected": "<file>#<heading>" | null}`);
    this.name = 'KnowledgeEvalDatasetError';
  }
}

/** Parses the JSONL evaluation format (blank lines and lines starting with `//` are skipped). */
export function parseKnowledgeEval(content: string): KnowledgeEvalCase[] {
  const cases: KnowledgeEvalCase[] = [];
  content.split(/\r?\n/).forEach((raw, i) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('//')) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new KnowledgeEvalDatasetError(i + 1, 'not valid JSON');
    }
    const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    if (typeof record.question !== 'string' || record.question.trim() === '') throw new KnowledgeEvalDatasetError(i + 1, '"question" must be a non-empty string');
    if (typeof record.lang !== 'string' || !(record.lang in KNOWLEDGE_LANGS)) throw new KnowledgeEvalDatasetError(i + 1, `"lang" must be one of ${Object.keys(KNOWLEDGE_LANGS).join(', ')}`);
    if (record.expected !== null && typeof record.expected !== 'string') throw new KnowledgeEvalDatasetError(i + 1, '"expected" must be an entry id or null');
    cases.push({ question: record.question, lang: record.lang as KnowledgeLang, expected: record.expected, line: i + 1 });
  });
  return cases;
}

/** Scores of one language (or of all). */
export interface KnowledgeScores {
  questions: number;
  covered: number;
  notCoveredQuestions: number;
  /** Share of covered questions whose entry is the first retrieved. */
  hit1: number;
  /** Share of covered questions whose entry is among the first three retrieved. */
  hit3: number;
  /** Share of covered questions the bot would answer from the right entry: decided covered and the entry in the top three. */
  answered3: number;
  /** The "not covered" decision: precision (of the questions it called not covered, how many were) and recall (of the not-covered questions, how many it caught). */
  notCovered: { precision: number; recall: number; predicted: number; truePositives: number };
}

/** A question the ranking or the decision got wrong. */
export interface KnowledgeMiss {
  line: number;
  lang: KnowledgeLang;
  question: string;
  expected: string | null;
  decision: Retrieval['decision'];
  /** The retrieved entries (id and coverage), best first. */
  got: Array<{ id: string; coverage: number }>;
  /** `rank`: the entry is not in the top three; `false_not_covered`: a covered question called not covered; `false_covered`: the reverse. */
  kind: 'rank' | 'false_not_covered' | 'false_covered';
}

/** The whole evaluation, as `--json` prints it. */
export interface KnowledgeEvaluation {
  byLang: Partial<Record<KnowledgeLang, KnowledgeScores>>;
  overall: KnowledgeScores;
  misses: KnowledgeMiss[];
}

/** Scores retrievals against their labels. Pure. */
export function scoreKnowledge(results: ReadonlyArray<{ case: KnowledgeEvalCase; retrieval: Retrieval }>): KnowledgeEvaluation {
  const misses: KnowledgeMiss[] = [];
  for (const { case: c, retrieval: r } of results) {
    const ids = r.entries.map((e) => e.id);
    const got = r.entries.map((e) => ({ id: e.id, coverage: e.coverage }));
    const base = { line: c.line, lang: c.lang, question: c.question, expected: c.expected, decision: r.decision, got };
    if (c.expected === null) {
      if (r.decision !== 'not_covered') misses.push({ ...base, kind: 'false_covered' });
    } else if (!ids.slice(0, 3).includes(c.expected)) misses.push({ ...base, kind: 'rank' });
    else if (r.decision !== 'covered') misses.push({ ...base, kind: 'false_not_covered' });
  }
  const byLang: KnowledgeEvaluation['byLang'] = {};
  for (const lang of Object.keys(KNOWLEDGE_LANGS) as KnowledgeLang[]) {
    const slice = results.filter((x) => x.case.lang === lang);
    if (slice.length > 0) byLang[lang] = scores(slice);
  }
  return { byLang, overall: scores(results), misses };
}

function scores(results: ReadonlyArray<{ case: KnowledgeEvalCase; retrieval: Retrieval }>): KnowledgeScores {
  const covered = results.filter((x) => x.case.expected !== null);
  const notCovered = results.filter((x) => x.case.expected === null);
  const inTop = (x: { case: KnowledgeEvalCase; retrieval: Retrieval }, k: number) => x.retrieval.entries.slice(0, k).some((e) => e.id === x.case.expected);
  const predicted = results.filter((x) => x.retrieval.decision === 'not_covered');
  const truePositives = predicted.filter((x) => x.case.expected === null).length;
  const ratio = (n: number, d: number) => (d === 0 ? 1 : Math.round((n / d) * 1000) / 1000);
  return {
    questions: results.length,
    covered: covered.length,
    notCoveredQuestions: notCovered.length,
    hit1: ratio(covered.filter((x) => inTop(x, 1)).length, covered.length),
    hit3: ratio(covered.filter((x) => inTop(x, 3)).length, covered.length),
    answered3: ratio(covered.filter((x) => inTop(x, 3) && x.retrieval.decision === 'covered').length, covered.length),
    notCovered: { precision: ratio(truePositives, predicted.length), recall: ratio(truePositives, notCovered.length), predicted: predicted.length, truePositives },
  };
}

/** The human-readable report: a table per language and overall, then every miss. */
export function formatKnowledgeReport(evaluation: KnowledgeEvaluation): string {
  const row = (name: string, s: KnowledgeScores) =>
    `${name.padEnd(8)} ${String(s.questions).padStart(4)} ${String(s.covered).padStart(7)} ${s.hit1.toFixed(3).padStart(6)} ${s.hit3.toFixed(3).padStart(6)} ${s.answered3.toFixed(3).padStart(9)}   ${s.notCovered.precision.toFixed(3).padStart(6)} ${s.notCovered.recall.toFixed(3).padStart(6)}`;
  const lines = ['lang        n covered  hit@1  hit@3 answered@3   NC-P   NC-R'];
  for (const [lang, s] of Object.entries(evaluation.byLang)) lines.push(row(lang, s));
  lines.push(row('overall', evaluation.overall));
  lines.push('', `misses (${evaluation.misses.length}):`);
  for (const m of evaluation.misses) {
    const got = m.got.map((g) => `${g.id} (${g.coverage.toFixed(2)})`).join(', ') || 'nothing';
    lines.push(`  [${m.kind}] line ${m.line} ${m.lang}: ${m.question}\n      expected ${m.expected ?? 'not covered'}; decided ${m.decision}; got ${got}`);
  }
  return lines.join('\n');
}
