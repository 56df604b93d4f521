import type { DialogEffect } from '../machines/dialog.effects';
import type { Lang, Placement, UserTextKey } from '../machines/dialog.types';

/**
 * Effects that acknowledge an input rather than step a dialog: answering a button press,
 * removing the buttons the user pressed, telling a user a command is not theirs. They go through
 * the outbox like the machine's effects, so they are durable and retried too.
 */
export type ReceiptEffect =
  | { type: 'answerCallback'; params: { callbackQueryId: string; text?: string } }
  | { type: 'removeKeyboard'; params: { chatId: number; messageId: number } }
  | { type: 'replyToUser'; params: { chatId: number; key: UserTextKey; lang: Lang } }
  /** `/unban <id | @username>` in the operators' chat: lift the ban and answer where the operator wrote. */
  | { type: 'unbanUser'; params: { who: string; place: Placement } }
  /** `/online` or `/offline` in the operators' chat: the operator goes on or off duty, answered where they wrote. */
  | { type: 'setDuty'; params: { operator: { telegramId: number; name: string; username: string | null }; onDuty: boolean; place: Placement } }
  /** `/r` without a known key: the saved replies' keys, answered where the operator wrote (`unknown`: the key asked for). */
  | { type: 'listSavedReplies'; params: { place: Placement; unknown?: string } }
  /** The user pressed a score (1–5) under "How did we do?" (`messageId`: the question, edited to show the choice). */
  | { type: 'rateDialog'; params: { dialogId: number; userId: number; score: number; messageId: number | null; callbackQueryId: string; lang: Lang } }
  /** The user pressed "Add a comment" under their rating: their next message is the comment. */
  | { type: 'offerRatingComment'; params: { dialogId: number; userId: number; messageId: number | null; callbackQueryId: string; lang: Lang } }
  /** The user's message after "Add a comment": stored with the rating, shown to the operators, the user thanked. */
  | { type: 'saveRatingComment'; params: { dialogId: number; userId: number; text: string; lang: Lang } };

/** Everything the outbox carries out. */
export type Effect = DialogEffect | ReceiptEffect;

/** An effect's name. */
export type EffectType = Effect['type'];

/** The effect of a given name. */
export type EffectOf<T extends EffectType> = Extract<Effect, { type: T }>;

/** Effects the step's own statement writes (timers) or that need nothing done: they never reach the outbox. */
export const IN_STEP_EFFECTS: ReadonlySet<EffectType> = new Set(['scheduleTimer', 'cancelTimer', 'keepForTicket', 'keepNote']);

/**
 * Effects that run at once, each in its pool, instead of in their dialog's order: slow work whose
 * result comes back as an event (the LLM), its cancellation, and acknowledgements of a button.
 * Everything else a dialog sends keeps the order the machine decided.
 */
export const PARALLEL_EFFECTS: ReadonlySet<EffectType> = new Set(['askLlm', 'cancelLlm', 'stopLlm', 'writeBrief', 'answerCallback', 'removeKeyboard']);

/** The outbox kind of an effect. */
export function kindOf(effect: Effect): 'ordered' | 'parallel' {
  return PARALLEL_EFFECTS.has(effect.type) ? 'parallel' : 'ordered';
}
