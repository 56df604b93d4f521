/**
 * Handoff detection: does the user want a human, or can the bot not help? Pure code, no I/O.
 *
 * Layer 1 (the `/operator` command and button) and layer 3 (the LLM's `transfer_to_human`
 * tool) live elsewhere; this module is layer 2 (rules) and the detection half of layer 4
 * (failure signals). See docs/handoff.md.
 */
export type { DetectInput, HandoffConfidence, HandoffLayer, HandoffReason, HandoffSignal } from './handoff.types';
export { HANDOFF_REASONS } from './handoff.types';
export { detectHandoff, explainHandoff } from './detect.handoff';
export type { HandoffExplanation } from './detect.handoff';
export { replySaysCannotHelp } from './reply.handoff';
export { confirmationAnswer } from './confirmation.answer';
export type { ConfirmationAnswer } from './confirmation.answer';
export { baselineHandoff } from './baseline.handoff';
export { guessLanguage } from './language.guess';
export { normalizeText } from './normalize.text';
export { isRepeatedQuestion, REPEAT_LOOKBACK } from './repeat.signal';
export { isShouting } from './shouting.signal';
export type { HandoffBlocker, HandoffRuleSet } from './rule-set.types';
export { HANDOFF_RULE_SETS } from './rules.registry';
export { HandoffDatasetError, parseLabelledJsonl } from './dataset.handoff';
export type { LabelledMessage } from './dataset.handoff';
export { compareHandoffLayers, evaluateHandoff, scoreHandoff } from './evaluate.handoff';
export type {
  HandoffEvaluation,
  HandoffLayersEvaluation,
  HandoffMistake,
  HandoffPredictor,
  HandoffScores,
  HandoffSliceScores,
  LlmVerdict,
} from './evaluate.handoff';
export { formatHandoffReport, formatLayersReport } from './report.handoff';
