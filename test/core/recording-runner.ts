import type { DialogEffect, DialogEvent } from '../../src/machines/dialog.types';
import type { DialogRow, EffectRunner } from '../../src/core/dialog.engine';

/**
 * A recording fake of the effect runner port: it remembers every effect and answers the ones
 * that have a follow-up the way the real adapters would when all goes well.
 */
export class RecordingRunner implements EffectRunner {
  readonly effects: Array<{ dialogId: number; effect: DialogEffect }> = [];
  llmAnswer: (requestId: string) => DialogEvent = (requestId) => ({ type: 'llm.reply', requestId, text: 'An answer', cannotHelp: false });
  /** Whether posting a ticket succeeds (as the real runner answers ticket.posted or ticket.failed). */
  ticketPosts = true;

  async run(effect: DialogEffect, dialog: DialogRow): Promise<{ event: DialogEvent; actor: string } | null> {
    this.effects.push({ dialogId: dialog.id, effect });
    if (effect.type === 'askLlm') return { event: this.llmAnswer(effect.params.requestId), actor: 'llm' };
    if (effect.type === 'postTicket') return { event: { type: this.ticketPosts ? 'ticket.posted' : 'ticket.failed' }, actor: 'system' };
    return null;
  }

  /** Effect names seen so far, like `notifyUser:switching`. */
  names(): string[] {
    return this.effects.map(({ effect }) => {
      const p = effect.params as { key?: string };
      return p && p.key ? `${effect.type}:${p.key}` : effect.type;
    });
  }
}
