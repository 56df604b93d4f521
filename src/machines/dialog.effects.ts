import type { EditedContent, OperatorTextKey, Placement, TimerName, UserTextKey } from './dialog.types';

/** An effect action: it does nothing when the machine is stepped; the runtime reads it from `transition()`'s result. */
const effect = <P>() => (_: unknown, _params: P) => undefined;

/**
 * The effects the dialog machine asks for, by name with their parameters. The machine's
 * `setup({ actions })` is given exactly these, and {@link DialogEffect} is derived from them, so
 * the union the runtime handles cannot drift from what the machine emits.
 *
 * Timer effects, `keepForTicket` and `keepNote` are written by the step's own statement; the rest go to the
 * outbox and run after commit (see src/core/effects).
 */
export const dialogEffects = {
  notifyUser: effect<{ key: UserTextKey }>(),
  askConfirmation: effect<undefined>(),
  askLlm: effect<{ requestId: string }>(),
  /** Stop an LLM request nobody waits for any more (a newer message replaced it, an operator took over). */
  cancelLlm: effect<{ requestId: string }>(),
  /** The user pressed Stop: end the request and keep what it wrote so far (it comes back as `llm.reply` or `llm.stopped`). */
  stopLlm: effect<{ requestId: string }>(),
  sendLlmReply: effect<{ text: string }>(),
  postTicket: effect<undefined>(),
  /** The handoff came outside working hours: «Переключаю на человека…», the hours, and when operators are back (`at`: the step's time). */
  notifyAfterHours: effect<{ at: number; opensAt: number }>(),
  relayToOperators: effect<{ messageId: number }>(),
  relayToUser: effect<{ fromChatId: number; messageId: number }>(),
  /** The user's album, all its parts at once (`copyMessages`), in the order they came. */
  relayAlbumToOperators: effect<{ messageIds: number[] }>(),
  /** An operator's album to the user, all its parts at once. */
  relayAlbumToUser: effect<{ fromChatId: number; messageIds: number[] }>(),
  /**
   * A relayed message was edited (by the user, or by an operator in the operators' chat): its
   * copies on the other side are updated: a text edited in place, a media's new caption as a
   * note "edited:" under the copy. A message never relayed has no copy: nothing is done.
   */
  applyEdit: effect<{ fromChatId: number; messageId: number; edit: EditedContent }>(),
  /** A text from support written through the admin API, sent as it is (escaped). */
  sendSupportText: effect<{ text: string }>(),
  /** A notice in the dialog's place in the operators' chat; with `operatorId` the operator is mentioned (notified by Telegram); `waitedMs`: how long the user has waited (a reminder). */
  notifyOperators: effect<{ key: OperatorTextKey; operatorName?: string; operatorId?: number; waitedMs?: number }>(),
  /** A refusal, answered where the operator wrote (`n`: the dialog it is about, when it is not this one). */
  replyToOperator: effect<{ key: OperatorTextKey; place: Placement; n?: number }>(),
  /** Records a ban of the dialog's user (who banned, why); their later messages get one polite answer a day. */
  banUser: effect<{ operatorId: number; operatorName: string; reason: string | null }>(),
  /** `/r <key>` by the dialog's operator: the saved reply in the user's language, rendered like the LLM's answers. */
  sendSavedReply: effect<{ key: string }>(),
  /** The LLM writes a brief of the dialog and it is edited into the ticket (`html`: the ticket as posted); a failure leaves the ticket as it is. */
  writeBrief: effect<{ messageId: number; html: string }>(),
  /** `/history`: the user's earlier dialogs, answered where the operator wrote. */
  showHistory: effect<{ place: Placement }>(),
  /** The queue timeout's question to the user, with its three buttons: keep waiting, back to the bot, leave a message. */
  offerQueueChoices: effect<undefined>(),
  /** After an operator's `/close`: "How did we do?" with 1–5 buttons (nothing with CSAT=false). */
  askRating: effect<undefined>(),
  scheduleTimer: effect<{ name: TimerName; delayMs: number }>(),
  cancelTimer: effect<{ name: TimerName }>(),
  /** No effect: the message is already stored by the step, and a ticket (posted next, or later) quotes it or copies its media. */
  keepForTicket: effect<undefined>(),
  /** No effect: an operator's private note is stored by the step's own statement, and goes nowhere. */
  keepNote: effect<undefined>(),
};

type ParamsOf<F> = F extends (first: never, params: infer P) => unknown ? P : never;
type EffectActions = typeof dialogEffects;

/** An effect of a dialog step, as `transition()` returns it and the outbox stores it. */
export type DialogEffect = { [K in keyof EffectActions]: { type: K; params: ParamsOf<EffectActions[K]> } }[keyof EffectActions];

/** The names of {@link DialogEffect}. */
export type DialogEffectType = DialogEffect['type'];

/**
 * The machine's effects among the actions `transition()` returned (XState's own `xstate.*` and
 * the `assign` actions are left out). The effect's name is checked against {@link dialogEffects};
 * its params are what the machine computed for that name.
 */
export function effectsOf(actions: ReadonlyArray<{ type: string; params?: unknown }>): DialogEffect[] {
  return actions.filter((a) => Object.hasOwn(dialogEffects, a.type)).map((a) => ({ type: a.type, params: a.params }) as DialogEffect);
}
