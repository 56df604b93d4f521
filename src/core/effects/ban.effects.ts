import type { TelegramClient } from '../../adapters/telegram/telegram.client';
import { operatorText } from '../../i18n/texts';
import type { Lang } from '../../machines/dialog.types';
import type { BanStore } from '../../store/ban.store';
import { escapeHtml } from '../../text';
import { needDialog, type EffectHandlers } from './effect.handlers';

type BanSide = Pick<EffectHandlers, 'banUser' | 'unbanUser'>;

/**
 * Bans: `banUser` records the ban of a dialog's user (the machine closes the dialog and tells the
 * operators in the same step); `unbanUser` lifts one named by Telegram id or @username and answers
 * where the operator wrote. Both run from the outbox, so they are durable and retried.
 */
export function banEffects(deps: { bans: BanStore; telegram: TelegramClient; operatorChatId: number; operatorLang: Lang }): BanSide {
  const { bans, telegram, operatorChatId, operatorLang } = deps;
  return {
    async banUser(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const { operatorId, operatorName, reason } = effect.params;
      await bans.ban({ userId: d.chatId, reason, bannedBy: operatorId || null, bannedByName: operatorName || null, dialogId: d.id });
      return {};
    },
    async unbanUser(effect) {
      const { who, place } = effect.params;
      const id = /^\d{1,15}$/.exec(who)?.[0];
      const username = /^@([A-Za-z0-9_]{3,32})$/.exec(who)?.[1];
      const lifted = id ? await bans.lift({ userId: Number(id) }) : username ? await bans.lift({ username }) : null;
      const key = !id && !username ? 'unbanWho' : lifted === null ? 'notBanned' : 'unbanned';
      await telegram.sendHtml(operatorChatId, operatorText(key, operatorLang, { n: 0, op: escapeHtml(who) }), { threadId: place.threadId, replyTo: place.replyTo });
      return {};
    },
  };
}
