import type { TelegramClient } from '../../adapters/telegram/telegram.client';
import { operatorText } from '../../i18n/texts';
import type { Logger } from '../../logger';
import type { Lang } from '../../machines/dialog.types';
import type { SavedReplies } from '../../replies/saved.replies';
import { escapeHtml } from '../../text';
import { needDialog, type EffectHandlers } from './effect.handlers';
import { sendMarkdownTo } from './user.effects';

type ReplySide = Pick<EffectHandlers, 'sendSavedReply' | 'listSavedReplies'>;

/**
 * Saved replies: `sendSavedReply` sends the key's Markdown in the user's language, rendered like
 * the LLM's answers (HTML, split at 4096, plain-text fallback) and recorded as the operator's
 * message; `listSavedReplies` answers `/r` (or an unknown key) with the keys, where the operator wrote.
 */
export function replyEffects(deps: { replies: SavedReplies; telegram: TelegramClient; log: Logger; operatorChatId: number; operatorLang: Lang }): ReplySide {
  const { replies, telegram, log, operatorChatId, operatorLang } = deps;
  const listKeys = async (place: { threadId?: number; replyTo?: number }, unknown?: string) => {
    const keys = (await replies.keys()).map((k) => `<code>${escapeHtml(k)}</code>`).join(', ') || '—';
    const lines = [...(unknown ? [operatorText('noSavedReply', operatorLang, { n: 0, op: escapeHtml(unknown) })] : []), operatorText('savedReplies', operatorLang, { n: 0, op: keys })];
    await telegram.sendHtml(operatorChatId, lines.join('\n'), { threadId: place.threadId, replyTo: place.replyTo });
  };
  return {
    async sendSavedReply(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const markdown = await replies.text(effect.params.key, d.context.lang);
      if (markdown === null) {
        // The file went away after the router checked it: the operators hear so, the user nothing.
        log.warn({ dialogId: d.id, key: effect.params.key }, 'a saved reply has no file any more');
        await listKeys({ threadId: d.context.ticket?.threadId ?? undefined, replyTo: d.context.ticket?.threadId ? undefined : d.context.ticket?.messageId }, effect.params.key);
        return {};
      }
      const ids = await sendMarkdownTo({ telegram, log }, d, markdown);
      return { sent: ids.slice(0, 1).map((id) => ({ sender: 'operator' as const, text: markdown, telegramMessageId: id })) };
    },
    async listSavedReplies(effect) {
      await listKeys(effect.params.place, effect.params.unknown);
      return {};
    },
  };
}
