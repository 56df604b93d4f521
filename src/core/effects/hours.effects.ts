import type { TelegramClient } from '../../adapters/telegram/telegram.client';
import { afterHoursText } from '../../i18n/texts.hours';
import { userText } from '../../i18n/texts';
import { needDialog, type EffectHandlers } from './effect.handlers';

/**
 * The working hours' effect: a handoff outside them tells the user, in one message, that they
 * are being switched to a human, when operators work, and when they will answer. The words come
 * from the moment the machine decided (`at`, `opensAt`), not from when the message is sent.
 */
export function hoursEffects(deps: { telegram: TelegramClient }): Pick<EffectHandlers, 'notifyAfterHours'> {
  return {
    async notifyAfterHours(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const { lang, settings } = d.context;
      const html = settings.hours ? afterHoursText(settings.hours, effect.params.at, effect.params.opensAt, lang) : userText('switching', lang);
      const sent = await deps.telegram.sendHtml(d.chatId, html);
      return { sent: [{ sender: 'system', text: html, telegramMessageId: sent.message_id }] };
    },
  };
}
