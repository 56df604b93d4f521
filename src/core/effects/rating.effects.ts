import type { RatingCommentMarker } from '../../adapters/redis/rating-comment.marker';
import type { InlineKeyboard, TelegramClient } from '../../adapters/telegram/telegram.client';
import { TelegramApiError } from '../../adapters/telegram/telegram.errors';
import type { Clock } from '../clock';
import { csatOperatorText, csatUserText } from '../../i18n/texts.csat';
import type { Logger } from '../../logger';
import type { Lang, TicketRef } from '../../machines/dialog.types';
import type { RatingStore } from '../../store/rating.store';
import { escapeHtml } from '../../text';
import { needDialog, type EffectHandlers } from './effect.handlers';

/** Callback data of the rating buttons: `rate:<dialog>:<1-5>` and `rate:<dialog>:comment` (under 64 bytes). */
export const RATING_CALLBACK = {
  score: (dialogId: number, score: number) => `rate:${dialogId}:${score}`,
  comment: (dialogId: number) => `rate:${dialogId}:comment`,
} as const;

/** A rating button's press, read from its callback data; null for any other button. */
export function parseRatingButton(data: string): { dialogId: number; choice: number | 'comment' } | null {
  const m = /^rate:([1-9]\d{0,14}):([1-5]|comment)$/.exec(data);
  if (!m) return null;
  return { dialogId: Number(m[1]), choice: m[2] === 'comment' ? 'comment' : Number(m[2]) };
}

/** Who counts the ratings (the metrics). */
export interface RatingObserver {
  rated(operatorId: number | null, score: number): void;
}

/** The longest comment quoted to the operators (the whole one is stored). */
const COMMENT_QUOTE_CHARS = 3000;

type RatingSide = Pick<EffectHandlers, 'askRating' | 'rateDialog' | 'offerRatingComment' | 'saveRatingComment'>;

/**
 * Ratings (CSAT). `askRating` (an effect of the operator's `/close`) records the question and
 * sends "How did we do?" with 1–5 buttons; `rateDialog` stores the press once, edits the
 * question to show the choice with an "Add a comment" button, and posts the stars in the dialog's
 * place for the operators; `offerRatingComment` marks the user's next message as the comment;
 * `saveRatingComment` stores it, shows it to the operators and thanks the user. A press on an
 * expired or answered question is answered politely and changes nothing. `enabled: false`
 * (CSAT=false): no question is asked, so nothing else happens either.
 */
export function ratingEffects(deps: {
  enabled: boolean;
  ratings: RatingStore;
  comments: RatingCommentMarker;
  telegram: TelegramClient;
  log: Logger;
  operatorChatId: number;
  operatorLang: Lang;
  observer?: RatingObserver;
  /** The service's clock: when a question was asked, pressed, commented (and so when it expires). */
  clock: Clock;
}): RatingSide {
  const { ratings, comments, telegram, log, operatorChatId: ops, operatorLang, clock } = deps;

  const answer = (callbackQueryId: string, text: string) =>
    telegram.answerCallback(callbackQueryId, text).catch((error: unknown) => {
      if (!(error instanceof TelegramApiError && error.kind === 'bad_request')) throw error; // too late to answer: harmless
    });
  const edit = (chatId: number, messageId: number | null, html: string, keyboard?: InlineKeyboard) =>
    messageId === null
      ? Promise.resolve()
      : telegram.editHtml(chatId, messageId, html, keyboard ?? { inline_keyboard: [] }).catch((error: unknown) => {
          if (!(error instanceof TelegramApiError && error.kind === 'bad_request')) throw error; // unchanged or gone
        });

  /** A line in the dialog's topic (reopened if an operator closed it), or as a reply to its ticket. */
  const toDialogPlace = async (ticket: TicketRef | null, html: string) => {
    if (!ticket?.threadId) return telegram.sendHtml(ops, html, { replyTo: ticket?.messageId ?? null });
    try {
      return await telegram.sendHtml(ops, html, { threadId: ticket.threadId });
    } catch (error) {
      if (!(error instanceof TelegramApiError)) throw error;
      if (error.kind === 'topic_closed') {
        await telegram.reopenForumTopic(ops, ticket.threadId);
        return telegram.sendHtml(ops, html, { threadId: ticket.threadId });
      }
      if (error.kind !== 'thread_not_found') throw error;
      return telegram.sendHtml(ops, html); // the topic is gone: the general chat
    }
  };

  return {
    async askRating(effect, dialog) {
      if (!deps.enabled) return {};
      const d = needDialog(dialog, effect.type);
      const operator = d.context.operator;
      await ratings.ask({ dialogId: d.id, userId: d.chatId, operatorId: operator?.id ?? null, operatorName: operator?.name ?? null, at: clock.now() });
      const keyboard: InlineKeyboard = {
        inline_keyboard: [[1, 2, 3, 4, 5].map((score) => ({ text: String(score), callback_data: RATING_CALLBACK.score(d.id, score) }))],
      };
      const html = csatUserText('question', d.context.lang);
      const sent = await telegram.sendHtml(d.chatId, html, {}, keyboard);
      return { sent: [{ sender: 'system', text: html, telegramMessageId: sent.message_id }] };
    },

    async rateDialog(effect) {
      const { dialogId, userId, score, messageId, callbackQueryId, lang } = effect.params;
      const result = await ratings.rate({ dialogId, userId, score, queryId: callbackQueryId, at: clock.now() });
      if (result.outcome !== 'rated') {
        await answer(callbackQueryId, csatUserText(result.outcome === 'already' ? 'already' : 'expired', lang));
        if (result.outcome !== 'already' && messageId !== null) {
          await telegram.removeKeyboard(userId, messageId).catch(() => undefined); // best effort: the buttons of a dead question
        }
        return {};
      }
      const { rating } = result;
      if (!result.replay) deps.observer?.rated(rating.operatorId, rating.score);
      await answer(callbackQueryId, csatUserText('thanks', lang));
      await edit(userId, messageId, csatUserText('rated', lang, { score }), {
        inline_keyboard: [[{ text: csatUserText('addComment', lang), callback_data: RATING_CALLBACK.comment(dialogId) }]],
      });
      const op = rating.operatorName === null ? undefined : escapeHtml(rating.operatorName);
      await toDialogPlace(rating.ticket, csatOperatorText('rated', operatorLang, { score, n: dialogId, op }));
      return {};
    },

    async offerRatingComment(effect) {
      const { dialogId, userId, messageId, callbackQueryId, lang } = effect.params;
      const score = await ratings.commentable({ dialogId, userId, at: clock.now() });
      if (score === null) {
        await answer(callbackQueryId, csatUserText('expired', lang));
        if (messageId !== null) await telegram.removeKeyboard(userId, messageId).catch(() => undefined);
        return {};
      }
      await comments.expect(userId, dialogId);
      await answer(callbackQueryId, csatUserText('commentPrompt', lang, { score }));
      await edit(userId, messageId, csatUserText('commentPrompt', lang, { score }));
      return {};
    },

    async saveRatingComment(effect) {
      const { dialogId, userId, text, lang } = effect.params;
      const result = await ratings.comment({ dialogId, userId, text, at: clock.now() });
      if (result.outcome === 'saved') {
        const quoted = text.length > COMMENT_QUOTE_CHARS ? `${text.slice(0, COMMENT_QUOTE_CHARS)}…` : text;
        await toDialogPlace(result.rating.ticket, csatOperatorText('comment', operatorLang, { n: dialogId, text: escapeHtml(quoted) }));
      } else {
        log.warn({ dialogId }, 'a rating comment came for a rating that has one already; kept only the first');
      }
      await telegram.sendHtml(userId, csatUserText('commentThanks', lang));
      return {};
    },
  };
}
