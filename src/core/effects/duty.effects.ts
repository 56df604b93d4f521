import type { TelegramClient } from '../../adapters/telegram/telegram.client';
import { operatorText } from '../../i18n/texts';
import type { Lang } from '../../machines/dialog.types';
import type { DutyStore } from '../../store/duty.store';
import { escapeHtml } from '../../text';
import type { EffectHandlers } from './effect.handlers';

/**
 * An operator named so that Telegram notifies them: `@username` when they have one, else a text
 * mention (`<a href="tg://user?id=…">Name</a>`), which works without a username. HTML, escaped.
 *
 * @example mentionOf({ telegramId: 502, name: 'Boris', username: null }) // '<a href="tg://user?id=502">Boris</a>'
 */
export function mentionOf(operator: { telegramId: number; name: string; username: string | null }): string {
  return operator.username ? `@${escapeHtml(operator.username)}` : `<a href="tg://user?id=${operator.telegramId}">${escapeHtml(operator.name)}</a>`;
}

/**
 * `/online` and `/offline`: the operator goes on or off duty (stored in PostgreSQL, so it
 * survives restarts), and the group hears it where they wrote ("Anna is on duty"). Idempotent: a
 * second `/online` answers the same and keeps the time they went on duty.
 */
export function dutyEffects(deps: { duty: DutyStore; telegram: TelegramClient; operatorChatId: number; operatorLang: Lang }): Pick<EffectHandlers, 'setDuty'> {
  const { duty, telegram, operatorChatId, operatorLang } = deps;
  return {
    async setDuty(effect) {
      const { operator, onDuty, place } = effect.params;
      await duty.setDuty(operator, onDuty);
      const html = operatorText(onDuty ? 'onDuty' : 'offDuty', operatorLang, { n: 0, op: escapeHtml(operator.name) });
      await telegram.sendHtml(operatorChatId, html, { threadId: place.threadId, replyTo: place.replyTo });
      return {};
    },
  };
}
