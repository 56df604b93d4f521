import type { DialogEvent } from '../../machines/dialog.types';
import type { DialogRecord } from '../../store/dialog.store';
import type { MessagePair } from '../../store/pair.store';
import type { EffectOf, EffectType } from '../effect.types';

/** A message an effect sent to the user, recorded with the effect's "done". */
export interface SentRecord {
  sender: 'bot' | 'system' | 'operator';
  telegramMessageId: number;
  text: string;
}

/** What an effect did: messages to record, copies made in the operators' chat, or a result for the machine. */
export interface EffectOutcome {
  sent?: SentRecord[];
  /** Message ids of copies in the operators' chat (routed back to the dialog when an operator replies to them). */
  links?: number[];
  /** Relayed messages and their copies (an edit of the original finds its copies by these). */
  pairs?: MessagePair[];
  /**
   * A result the machine must know about (an LLM answer, a posted ticket): applied as a step of
   * its own, with `record` stored in that step's statement (the bot's answer, so the history the
   * next question is asked with has it, whether or not it has reached Telegram yet).
   */
  followUp?: { event: DialogEvent; actor: string; record?: { sender: 'bot'; text: string; inReplyTo?: number } };
}

/** Carries out one kind of effect; `dialog` is null for a reply that belongs to no dialog. */
export type EffectHandler<T extends EffectType> = (effect: EffectOf<T>, dialog: DialogRecord | null) => Promise<EffectOutcome>;

/** One handler per effect type: adding an effect without its handler does not compile. */
export type EffectHandlers = { [T in EffectType]: EffectHandler<T> };

/** The dialog a dialog's effect needs (every machine effect has one). */
export function needDialog(dialog: DialogRecord | null, type: string): DialogRecord {
  if (!dialog) throw new Error(`effect ${type} needs its dialog, and it has none`);
  return dialog;
}

/** Nothing to do. */
export const nothing = async (): Promise<EffectOutcome> => ({});
