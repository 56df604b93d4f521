/**
 * Types of a handoff decision: where it came from, how sure it is, and why.
 *
 * They match `HandoffSignal` in `src/machines/dialog.types.ts` structurally, so a signal made
 * here can be put on a `user.message` event as it is.
 */

/**
 * Where a decision came from (see docs/handoff.md):
 * `explicit` is the `/operator` command or the button, `rules` the fast rules of this module,
 * `llm` the model's `transfer_to_human` tool, `failure` frustration, a repeated question,
 * an answer that says the bot cannot help, or repeated LLM errors.
 */
export type HandoffLayer = 'explicit' | 'rules' | 'llm' | 'failure';

/** `high`: hand off at once. `medium`: ask the user first («Переключить вас на человека?»). */
export type HandoffConfidence = 'high' | 'medium';

/** A decision to hand off (high: at once; medium: ask the user first). */
export interface HandoffSignal {
  layer: HandoffLayer;
  confidence: HandoffConfidence;
  /** Stable machine-readable code, e.g. 'rules.request_human', 'failure.repeated_question', 'failure.frustration', 'failure.bot_cannot_help'. */
  reason: string;
  /** Language whose rules fired, when applicable ('ru' | 'en'). */
  lang?: string;
}

/** What {@link detectHandoff} looks at: one user message and, optionally, the ones before it. */
export interface DetectInput {
  text: string;
  /** Telegram language_code or a detected language; rules of all known languages run anyway, this only breaks ties. */
  lang?: string;
  /** The user's previous messages in this dialog, oldest first (used for the repeated-question signal). */
  previousUserTexts?: readonly string[];
}

/**
 * Every reason code this module can produce, plus `failure.bot_cannot_help`, which the dialog
 * machine records when {@link replySaysCannotHelp} is true for an LLM answer.
 * Metrics use these as label values, so they never change meaning once shipped.
 */
export const HANDOFF_REASONS = [
  'rules.request_human',
  'rules.bare_request',
  'rules.wrong_layout',
  'rules.refuse_bot',
  'rules.hint_human',
  'failure.frustration',
  'failure.shouting',
  'failure.repeated_question',
  'failure.bot_cannot_help',
] as const;

/** One of {@link HANDOFF_REASONS}. */
export type HandoffReason = (typeof HANDOFF_REASONS)[number];
