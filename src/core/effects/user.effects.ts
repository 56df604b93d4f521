import { increasingIds, type InlineKeyboard, type TelegramClient } from '../../adapters/telegram/telegram.client';
import { TelegramApiError } from '../../adapters/telegram/telegram.errors';
import { buttonText, userText } from '../../i18n/texts';
import type { Lang, QueueChoice } from '../../machines/dialog.types';
import type { DialogRecord } from '../../store/dialog.store';
import { albumPairs } from '../../store/pair.store';
import { escapeHtml, formatForTelegram } from '../../text';
import type { Logger } from '../../logger';
import { needDialog, type EffectHandlers, type SentRecord } from './effect.handlers';

/** Callback data of the inline buttons. */
export const CALLBACK = {
  talkToHuman: 'human',
  confirmYes: 'handoff:yes',
  confirmNo: 'handoff:no',
  take: (dialogId: number) => `take:${dialogId}`,
  /** A button of the queue timeout's question, naming its dialog: a button of an older dialog steps nothing. */
  queue: (choice: QueueChoice, dialogId: number) => `queue:${choice}:${dialogId}`,
} as const;

/** The choice and dialog of a queue timeout's button (`queue:wait:12`), or null for other data. */
export function queueButtonOf(data: string): { choice: QueueChoice; dialogId: number } | null {
  const m = /^queue:(wait|bot|leave):(\d{1,15})$/.exec(data);
  return m ? { choice: m[1] as QueueChoice, dialogId: Number(m[2]) } : null;
}

type UserSide = Pick<
  EffectHandlers,
  'notifyUser' | 'askConfirmation' | 'offerQueueChoices' | 'sendLlmReply' | 'relayToUser' | 'relayAlbumToUser' | 'sendSupportText' | 'answerCallback' | 'removeKeyboard' | 'replyToUser'
>;

/** Effects on the user's side of a dialog: fixed texts, the LLM's answers, operators' messages, button receipts. */
export function userEffects(deps: { telegram: TelegramClient; log: Logger }): UserSide {
  const { telegram } = deps;
  const send = async (chatId: number, html: string, keyboard?: InlineKeyboard): Promise<SentRecord> => {
    const sent = await telegram.sendHtml(chatId, html, {}, keyboard);
    return { sender: 'system', text: html, telegramMessageId: sent.message_id };
  };

  const sendMarkdown = (dialog: DialogRecord, markdown: string) => sendMarkdownTo({ telegram, log: deps.log }, dialog, markdown);

  return {
    async notifyUser(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const keyboard = effect.params.key === 'greeting' ? talkToHumanKeyboard(d.context.lang) : undefined;
      return { sent: [await send(d.chatId, userText(effect.params.key, d.context.lang), keyboard)] };
    },
    async askConfirmation(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const lang = d.context.lang;
      const keyboard: InlineKeyboard = {
        inline_keyboard: [
          [
            { text: buttonText('yes', lang), callback_data: CALLBACK.confirmYes },
            { text: buttonText('no', lang), callback_data: CALLBACK.confirmNo },
          ],
        ],
      };
      return { sent: [await send(d.chatId, userText('confirmHandoff', lang), keyboard)] };
    },
    async offerQueueChoices(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const lang = d.context.lang;
      const button = (key: 'keepWaiting' | 'backToBot' | 'leaveMessage', choice: QueueChoice) => [{ text: buttonText(key, lang), callback_data: CALLBACK.queue(choice, d.id) }];
      const keyboard: InlineKeyboard = { inline_keyboard: [button('keepWaiting', 'wait'), button('backToBot', 'bot'), button('leaveMessage', 'leave')] };
      return { sent: [await send(d.chatId, userText('queueTimeout', lang), keyboard)] };
    },
    async sendLlmReply(effect, dialog) {
      // The answer is in `messages` already: the step that took it from the LLM stored it.
      await sendMarkdown(needDialog(dialog, effect.type), effect.params.text);
      return {};
    },
    async relayToUser(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const { fromChatId, messageId } = effect.params;
      const copy = await telegram.copyMessage(d.chatId, fromChatId, messageId);
      return { pairs: albumPairs(fromChatId, [messageId], d.chatId, [copy.message_id]) };
    },
    async relayAlbumToUser(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const { fromChatId } = effect.params;
      const messageIds = increasingIds(effect.params.messageIds);
      const copies = await telegram.copyMessages(d.chatId, fromChatId, messageIds);
      return { pairs: albumPairs(fromChatId, messageIds, d.chatId, copies) };
    },
    async sendSupportText(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const sent = await telegram.sendHtml(d.chatId, escapeHtml(effect.params.text));
      return { sent: [{ sender: 'operator', text: effect.params.text, telegramMessageId: sent.message_id }] };
    },
    async answerCallback(effect) {
      await telegram.answerCallback(effect.params.callbackQueryId, effect.params.text).catch((error: unknown) => {
        // A callback query can be answered only for a short while; a late answer is refused, harmlessly.
        if (!(error instanceof TelegramApiError && error.kind === 'bad_request')) throw error;
      });
      return {};
    },
    async removeKeyboard(effect) {
      await telegram.removeKeyboard(effect.params.chatId, effect.params.messageId).catch((error: unknown) => {
        if (!(error instanceof TelegramApiError && error.kind === 'bad_request')) throw error; // already gone
      });
      return {};
    },
    async replyToUser(effect) {
      await telegram.sendHtml(effect.params.chatId, userText(effect.params.key, effect.params.lang));
      return {};
    },
  };
}

/**
 * Markdown (the model's answer, a saved reply) sent to the dialog's user as Telegram HTML, split at
 * 4096 characters, each part with a plain-text fallback; the ids of the messages sent, in order.
 */
export async function sendMarkdownTo(deps: { telegram: TelegramClient; log: Logger }, dialog: DialogRecord, markdown: string): Promise<number[]> {
  const ids: number[] = [];
  for (const chunk of formatForTelegram(markdown)) {
    try {
      ids.push((await deps.telegram.sendHtml(dialog.chatId, chunk.html)).message_id);
    } catch (error) {
      if (!(error instanceof TelegramApiError && error.kind === 'parse_error')) throw error;
      deps.log.warn({ dialogId: dialog.id }, 'Telegram refused the HTML; sent as plain text');
      ids.push((await deps.telegram.sendPlain(dialog.chatId, chunk.plain)).message_id);
    }
  }
  return ids;
}

function talkToHumanKeyboard(lang: Lang): InlineKeyboard {
  return { inline_keyboard: [[{ text: buttonText('talkToHuman', lang), callback_data: CALLBACK.talkToHuman }]] };
}
