import { baselineHandoff } from './baseline.handoff';
import type { LabelledMessage } from './dataset.handoff';
import { explainHandoff } from './detect.handoff';

/** Counts and scores of one predictor on one slice of the data. */
export interface HandoffScores {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Scores overall and per language. */
export interface HandoffSliceScores {
  overall: HandoffScores;
  byLang: Record<string, HandoffScores>;
}

/** A message the rules got wrong, with what they said and which blockers fired. */
export interface HandoffMistake {
  kind: 'false_positive' | 'false_negative';
  text: string;
  lang: string;
  /** The reason code of the signal (false positives), or null when no signal was given. */
  reason: string | null;
  /** Blocker codes that masked part of the text (a common cause of false negatives). */
  blockedBy: string[];
}

/** What `npm run eval:handoff -- <file> --json` prints. */
export interface HandoffEvaluation extends HandoffSliceScores {
  baseline: HandoffSliceScores;
  mistakes: HandoffMistake[];
}

/** A yes/no prediction for one labelled message. */
export type HandoffPredictor = (message: LabelledMessage) => boolean;

/**
 * Scores a predictor against labels. A slice with nothing predicted positive has precision 0,
 * one with no positive labels has recall 0, and F1 is 0 when both are 0: empty slices never
 * look perfect.
 *
 * @example scoreHandoff(messages, (m) => baselineHandoff(m.text)).overall.f1
 */
export function scoreHandoff(messages: readonly LabelledMessage[], predict: HandoffPredictor): HandoffSliceScores {
  const overall = emptyCounts();
  const byLang: Record<string, Counts> = {};
  for (const message of messages) {
    const predicted = predict(message);
    const slice = (byLang[message.lang] ??= emptyCounts());
    count(overall, message.handoff, predicted);
    count(slice, message.handoff, predicted);
  }
  return {
    overall: toScores(overall),
    byLang: Object.fromEntries(Object.entries(byLang).map(([lang, counts]) => [lang, toScores(counts)])),
  };
}

/**
 * Evaluates the rules path the way the bot uses it (a message counts as predicted handoff
 * when {@link detectHandoff} returns any signal, high or medium) beside the keyword baseline,
 * and lists every mistake of the rules.
 */
export function evaluateHandoff(messages: readonly LabelledMessage[]): HandoffEvaluation {
  const mistakes: HandoffMistake[] = [];
  const rules = scoreHandoff(messages, (message) => {
    const { signal, blockedBy } = explainHandoff({ text: message.text, lang: message.lang });
    const predicted = signal !== null;
    if (predicted !== message.handoff) {
      mistakes.push({
        kind: predicted ? 'false_positive' : 'false_negative',
        text: message.text,
        lang: message.lang,
        reason: signal?.reason ?? null,
        blockedBy,
      });
    }
    return predicted;
  });
  return { ...rules, baseline: scoreHandoff(messages, (message) => baselineHandoff(message.text)), mistakes };
}

/** The LLM layer's answer to one labelled line: it called `transfer_to_human`, it answered, or it failed. */
export type LlmVerdict = 'transfer' | 'reply' | 'error';

/** Rules only, LLM only and both together, scored on the lines the LLM answered. */
export interface HandoffLayersEvaluation {
  rules: HandoffSliceScores;
  llm: HandoffSliceScores;
  /** Handoff when either the rules give any signal or the LLM calls its tool: what the bot does. */
  both: HandoffSliceScores;
  /** Lines the LLM answered (with a reply or the tool), the lines all three rows are scored on. */
  answered: number;
  /** Lines the LLM failed on (timeout, refusal, no text); left out of all three rows. */
  failed: number;
}

/**
 * Compares the layers on the same lines: the rules as {@link evaluateHandoff} counts them, the
 * LLM by its verdicts (`verdicts[i]` belongs to `messages[i]`), and both, which is what the bot
 * does (a rules signal hands off or asks first; otherwise the LLM may call its tool). Lines the
 * LLM failed on are left out of all three rows, so the rows stay comparable.
 *
 * @example compareHandoffLayers(messages, verdicts).both.byLang.ru?.recall
 */
export function compareHandoffLayers(messages: readonly LabelledMessage[], verdicts: readonly LlmVerdict[]): HandoffLayersEvaluation {
  if (verdicts.length !== messages.length) throw new RangeError(`compareHandoffLayers: ${verdicts.length} verdicts for ${messages.length} messages; give one per message`);
  const answered: { message: LabelledMessage; transfer: boolean }[] = [];
  messages.forEach((message, i) => {
    const verdict = verdicts[i];
    if (verdict !== 'error' && verdict !== undefined) answered.push({ message, transfer: verdict === 'transfer' });
  });
  const lines = answered.map((a) => a.message);
  const transfer = new Map(answered.map((a) => [a.message, a.transfer]));
  const rulesSay = (m: LabelledMessage): boolean => explainHandoff({ text: m.text, lang: m.lang }).signal !== null;
  return {
    rules: scoreHandoff(lines, rulesSay),
    llm: scoreHandoff(lines, (m) => transfer.get(m) === true),
    both: scoreHandoff(lines, (m) => transfer.get(m) === true || rulesSay(m)),
    answered: lines.length,
    failed: messages.length - lines.length,
  };
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

function emptyCounts(): Counts {
  return { tp: 0, fp: 0, fn: 0, tn: 0 };
}

function count(counts: Counts, actual: boolean, predicted: boolean): void {
  if (actual && predicted) counts.tp += 1;
  else if (!actual && predicted) counts.fp += 1;
  else if (actual && !predicted) counts.fn += 1;
  else counts.tn += 1;
}

function toScores({ tp, fp, fn, tn }: Counts): HandoffScores {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn, tn };
}
