import type { HandoffEvaluation, HandoffLayersEvaluation, HandoffScores, HandoffSliceScores } from './evaluate.handoff';

/**
 * Renders an evaluation as the plain-text report `npm run eval:handoff` prints: a table of
 * precision, recall and F1 for the rules and the baseline per language and overall, then every
 * mistake of the rules with its reason code and the blockers that fired.
 */
export function formatHandoffReport(evaluation: HandoffEvaluation): string {
  const langs = Object.keys(evaluation.byLang).sort();
  const lines = [
    'slice      predictor  precision  recall  f1     tp   fp   fn   tn',
    ...langs.flatMap((lang) => rows(lang, evaluation, evaluation.baseline, lang)),
    ...rows('overall', evaluation, evaluation.baseline),
    '',
    `mistakes of the rules: ${evaluation.mistakes.length}`,
    ...evaluation.mistakes.map(
      (m) =>
        `  ${m.kind === 'false_positive' ? 'FP' : 'FN'} [${m.lang}] ${JSON.stringify(m.text)}  reason=${m.reason ?? '-'}` +
        (m.blockedBy.length > 0 ? `  blockedBy=${m.blockedBy.join(',')}` : ''),
    ),
  ];
  return lines.join('\n');
}

/**
 * Renders {@link compareHandoffLayers} as the table `npm run eval:handoff -- --with-llm` prints:
 * rules only, LLM only and both, per language and overall, on the lines the LLM answered.
 */
export function formatLayersReport(layers: HandoffLayersEvaluation): string {
  const langs = Object.keys(layers.rules.byLang).sort();
  const pick = (s: HandoffSliceScores, lang?: string): HandoffScores | undefined => (lang === undefined ? s.overall : s.byLang[lang]);
  const block = (label: string, lang?: string): string[] => [
    row(label, 'rules', pick(layers.rules, lang)),
    row('', 'llm', pick(layers.llm, lang)),
    row('', 'both', pick(layers.both, lang)),
  ];
  return [
    `rules only, LLM only (transfer_to_human) and both, on the ${layers.answered} lines the LLM answered` +
      (layers.failed > 0 ? ` (it failed on ${layers.failed}, left out of every row)` : ''),
    'slice      predictor  precision  recall  f1     tp   fp   fn   tn',
    ...langs.flatMap((lang) => block(lang, lang)),
    ...block('overall'),
  ].join('\n');
}

function rows(label: string, rules: HandoffSliceScores, baseline: HandoffSliceScores, lang?: string): string[] {
  const pick = (s: HandoffSliceScores): HandoffScores | undefined => (lang === undefined ? s.overall : s.byLang[lang]);
  return [row(label, 'rules', pick(rules)), row('', 'baseline', pick(baseline))];
}

function row(label: string, predictor: string, s: HandoffScores | undefined): string {
  if (s === undefined) return `${label.padEnd(10)} ${predictor.padEnd(10)} (no data)`;
  const n = (x: number): string => String(x).padStart(4);
  return `${label.padEnd(10)} ${predictor.padEnd(10)} ${s.precision.toFixed(3).padStart(9)}  ${s.recall.toFixed(3).padStart(6)}  ${s.f1.toFixed(3)}  ${n(s.tp)} ${n(s.fp)} ${n(s.fn)} ${n(s.tn)}`;
}
