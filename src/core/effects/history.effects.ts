import type { TelegramClient } from '../../adapters/telegram/telegram.client';
import { closeReasonText, operatorText } from '../../i18n/texts';
import { stars } from '../../i18n/texts.csat';
import type { Lang } from '../../machines/dialog.types';
import type { HistoryStore, PastDialog } from '../../store/history.store';
import { escapeHtml } from '../../text';
import { needDialog, type EffectHandlers } from './effect.handlers';

/** Earlier dialogs `/history` lists at most (the admin API pages through all of them). */
export const HISTORY_LINES = 10;

/**
 * `/history` in a dialog's topic (or as a reply to its ticket): the user's earlier dialogs, newest
 * first, each with its number, dates, how it ended, the handoff reason and the operator, answered
 * where the operator wrote. Nothing reaches the user.
 */
export function historyEffects(deps: { history: HistoryStore; telegram: TelegramClient; operatorChatId: number; operatorLang: Lang }): Pick<EffectHandlers, 'showHistory'> {
  const { history, telegram, operatorChatId, operatorLang } = deps;
  return {
    async showHistory(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const earlier = await history.dialogsOfUser(d.chatId, { limit: HISTORY_LINES, before: d.id });
      const lines = earlier.length
        ? [operatorText('historyHeader', operatorLang, { n: d.id }), ...earlier.map((p) => historyLine(p, operatorLang))]
        : [operatorText('historyNone', operatorLang, { n: d.id })];
      const { threadId, replyTo } = effect.params.place;
      await telegram.sendHtml(operatorChatId, lines.join('\n'), { threadId, replyTo });
      return {};
    },
  };
}

/** `#7 · 2026-11-30 → 2026-11-30 · closed by an operator (Anna) · rules.request_human · 6 messages · ★★★★☆` (the rating, when given) */
export function historyLine(p: PastDialog, lang: Lang): string {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const parts = [
    `<b>#${p.id}</b>`,
    p.closedAt ? `${day(p.createdAt)} → ${day(p.closedAt)}` : day(p.createdAt),
    `${closeReasonText(p.closeReason, lang)}${p.operatorName ? ` (${escapeHtml(p.operatorName)})` : ''}`,
    p.handoffReason ? `<code>${escapeHtml(p.handoffReason)}</code>` : lang === 'ru' ? 'без передачи человеку' : 'no handoff',
    lang === 'ru' ? `сообщений: ${p.messages}` : `${p.messages} messages`,
  ];
  if (p.rating !== null) parts.push(`${stars(p.rating)}${p.ratingComment ? ` «${escapeHtml(p.ratingComment.length > 80 ? `${p.ratingComment.slice(0, 80)}…` : p.ratingComment)}»` : ''}`);
  return parts.join(' · ');
}
