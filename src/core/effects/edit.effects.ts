import type { TelegramClient } from '../../adapters/telegram/telegram.client';
import { operatorText, userText } from '../../i18n/texts';
import type { Logger } from '../../logger';
import type { Lang } from '../../machines/dialog.types';
import type { PairStore } from '../../store/pair.store';
import { escapeHtml } from '../../text';
import { needDialog, type EffectHandlers } from './effect.handlers';

/**
 * Edits of relayed messages (`applyEdit`): the user edited a message the operators have a copy
 * of, or an operator edited one the user has a copy of. The copies are found in the message
 * pairs when the effect runs, in the dialog's order, so an edit that comes right after its
 * message waits for the copy to exist.
 *
 * A text is edited in place (`editMessageText` with the sender's own entities, so formatting and
 * links stay as written; Telegram marks the copy "edited"). A photo's or a file's new caption
 * comes as a note "edited:" in reply to the copy: a caption edit may come with a replaced file,
 * which `editMessageCaption` would not show, and operators see what changed instead of a caption
 * that silently differs. A message never relayed has no copy, and nothing is done.
 *
 * Applied once: a redelivered update is the same inbox row (processed once), and an edit done
 * again after a crash finds the copy already reading so ("message is not modified": done).
 */
export function editEffects(deps: { pairs: PairStore; telegram: TelegramClient; log: Logger; operatorChatId: number; operatorLang: Lang }): Pick<EffectHandlers, 'applyEdit'> {
  const { pairs, telegram, operatorChatId, operatorLang } = deps;
  return {
    async applyEdit(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const { fromChatId, messageId, edit } = effect.params;
      const copies = await pairs.copiesOf(d.id, fromChatId, messageId);
      if (copies.length === 0) deps.log.debug({ dialogId: d.id }, 'an edit of a message never relayed; nothing to update');
      for (const copy of copies) {
        if (!edit.media) {
          if (edit.text.trim() !== '') await telegram.editText(copy.chatId, copy.messageId, edit.text, edit.entities);
          continue;
        }
        const toOperators = copy.chatId === operatorChatId;
        const label = toOperators ? operatorText('edited', operatorLang, { n: d.id }) : userText('edited', d.context.lang);
        const caption = edit.text.trim() === '' ? '—' : escapeHtml(edit.text);
        const threadId = toOperators ? d.context.ticket?.threadId ?? undefined : undefined;
        await telegram.sendHtml(copy.chatId, `${label} ${caption}`, { threadId, replyTo: copy.messageId });
      }
      return {};
    },
  };
}
