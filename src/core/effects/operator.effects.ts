import { increasingIds, type InlineKeyboard, type Placement, type SentMessage, type TelegramClient } from '../../adapters/telegram/telegram.client';
import { TelegramApiError } from '../../adapters/telegram/telegram.errors';
import { buttonText, operatorText } from '../../i18n/texts';
import { waitedText } from '../../i18n/texts.queue';
import { afterHoursTicketNote } from '../../i18n/texts.hours';
import type { Logger } from '../../logger';
import type { Lang } from '../../machines/dialog.types';
import type { DialogRecord, DialogStore, RecentMessage } from '../../store/dialog.store';
import { albumPairs, type MessagePair } from '../../store/pair.store';
import type { DutyOperator, DutyStore } from '../../store/duty.store';
import { isOperatorStatus } from '../../telegram/member.status';
import { escapeHtml, markdownToPlain } from '../../text';
import { mentionOf } from './duty.effects';
import { needDialog, type EffectHandlers, type EffectOutcome } from './effect.handlers';
import { CALLBACK } from './user.effects';

/** The ticket's Take button (kept when the ticket is edited: an edit without it would remove it). */
export function takeKeyboard(dialogId: number, lang: Lang): InlineKeyboard {
  return { inline_keyboard: [[{ text: `${buttonText('take', lang)} #${dialogId}`, callback_data: CALLBACK.take(dialogId) }]] };
}

type OperatorSide = Pick<EffectHandlers, 'postTicket' | 'relayToOperators' | 'relayAlbumToOperators' | 'notifyOperators' | 'replyToOperator'>;

/** How long the operators' chat is taken to stay a forum (or not) before it is asked again. */
const FORUM_CACHE_MS = 5 * 60_000;

/**
 * Effects in the operators' chat: the ticket, the user's messages relayed to it, notices and
 * refusals. In a forum group each dialog has a topic (created with the ticket, created again if an
 * operator deleted it: the new id comes back to the machine as `ticket.moved`); in a plain group
 * everything is a reply to the ticket.
 *
 * Duty (`duty`): the reminders mention the operators on duty; with `autoAssign` (AUTO_ASSIGN) the
 * ticket goes to the on-duty operator {@link DutyStore.pickAssignee} picks, picked here, just
 * before it is posted: the ticket names them and `ticket.posted` carries them to the machine,
 * which gives them the dialog. Nobody on duty: the ticket waits for /take as always.
 */
export function operatorEffects(deps: {
  store: DialogStore;
  telegram: TelegramClient;
  log: Logger;
  operatorChatId: number;
  operatorLang: Lang;
  duty?: { store: Pick<DutyStore, 'onDuty' | 'pickAssignee' | 'setDuty'>; autoAssign: boolean };
}): OperatorSide {
  const { store, telegram, log, operatorChatId: ops, operatorLang, duty } = deps;
  let forum: { value: boolean; at: number } | null = null;
  const isForum = async () => {
    if (forum && Date.now() - forum.at < FORUM_CACHE_MS) return forum.value;
    forum = { value: await telegram.isForum(ops), at: Date.now() };
    return forum.value;
  };

  const createTopic = async (dialog: DialogRecord): Promise<number> => {
    const user = await store.user(dialog.userId);
    const name = `#${dialog.id} ${[user?.firstName, user?.lastName].filter(Boolean).join(' ') || user?.username || ''}`.trim();
    return telegram.createForumTopic(ops, name);
  };

  /** Sends to the dialog's place in the operators' chat; `threadId` is set when the topic is new. */
  const toOperators = async <T>(dialog: DialogRecord, send: (where: Placement) => Promise<T>): Promise<{ sent: T; newThreadId?: number }> => {
    const ticket = dialog.context.ticket;
    if (!(await isForum())) return { sent: await send({ replyTo: ticket?.messageId ?? null }) };
    if (!ticket?.threadId) {
      const threadId = await createTopic(dialog);
      return { sent: await send({ threadId }), newThreadId: threadId };
    }
    try {
      return { sent: await send({ threadId: ticket.threadId }) };
    } catch (error) {
      if (!(error instanceof TelegramApiError)) throw error;
      if (error.kind === 'topic_closed') {
        log.info({ dialogId: dialog.id }, 'the dialog\'s topic was closed; reopening it');
        await telegram.reopenForumTopic(ops, ticket.threadId);
        return { sent: await send({ threadId: ticket.threadId }) };
      }
      if (error.kind !== 'thread_not_found') throw error;
      log.warn({ dialogId: dialog.id }, 'the dialog\'s topic was deleted; creating it again');
      const threadId = await createTopic(dialog);
      return { sent: await send({ threadId }), newThreadId: threadId };
    }
  };

  /** Messages in the dialog's place (their ids); a new topic's id goes back to the machine. */
  const postAll = async (dialog: DialogRecord, send: (where: Placement) => Promise<number[]>): Promise<EffectOutcome & { links: number[] }> => {
    const { sent, newThreadId } = await toOperators(dialog, send);
    const moved = newThreadId !== undefined && dialog.context.ticket ? { event: { type: 'ticket.moved' as const, threadId: newThreadId }, actor: 'system' } : undefined;
    return { links: sent, followUp: moved };
  };
  /** One message in the dialog's place. */
  const post = (dialog: DialogRecord, send: (where: Placement) => Promise<SentMessage>) => postAll(dialog, async (where) => [(await send(where)).message_id]);

  /**
   * AUTO_ASSIGN's assignee for a new ticket: the store's pick, checked as a member of the group
   * (one who left while on duty is put off duty, and the next is picked). A check Telegram does
   * not answer keeps the pick: the ticket is sent to the same Telegram right after. None outside
   * working hours: the user was just told when operators are back, and the ticket waits for
   * /take (an operator on duty may still take it).
   */
  const assigneeFor = async (dialog: DialogRecord): Promise<DutyOperator | null> => {
    if (!duty?.autoAssign || dialog.context.afterHours) return null;
    const dialogId = dialog.id;
    for (let tries = 0; tries < 3; tries++) {
      const picked = await duty.store.pickAssignee();
      if (!picked) return null;
      const status = await telegram.memberStatus(ops, picked.telegramId).catch(() => null);
      if (status === null || isOperatorStatus(status)) return picked;
      log.info({ dialogId, operatorId: picked.telegramId }, 'an operator on duty is no longer in the group: put off duty');
      await duty.store.setDuty(picked, false);
    }
    return null;
  };

  const ticketHtml = async (dialog: DialogRecord, recent: RecentMessage[], assignee: DutyOperator | null): Promise<string> => {
    const user = await store.user(dialog.userId);
    const name = [user?.firstName, user?.lastName].filter(Boolean).join(' ') || 'user';
    const who = `${escapeHtml(name)}${user?.username ? ` (@${escapeHtml(user.username)})` : ''}, id <code>${dialog.chatId}</code>`;
    const handoff = dialog.context.handoff;
    const ru = operatorLang === 'ru';
    const lines = [
      `🆘 <b>${ru ? 'Диалог' : 'Dialog'} #${dialog.id}</b>`,
      `${ru ? 'Пользователь' : 'User'}: ${who}`,
      `${ru ? 'Язык' : 'Language'}: ${dialog.context.lang}`,
      `${ru ? 'Причина' : 'Reason'}: <code>${escapeHtml(handoff?.reason ?? 'unknown')}</code> (${escapeHtml(handoff?.layer ?? '—')})`,
    ];
    // Named by a text mention, so Telegram notifies them.
    if (assignee) lines.push(`${ru ? 'Назначен' : 'Assigned to'}: <a href="tg://user?id=${assignee.telegramId}">${escapeHtml(assignee.name)}</a> (${ru ? 'на смене' : 'on duty'})`);
    const away = dialog.context.afterHours;
    if (away && dialog.context.settings.hours) lines.push(afterHoursTicketNote(dialog.context.settings.hours, away.at, away.opensAt, operatorLang));
    if (recent.length) {
      lines.push('', ru ? '<b>Последние сообщения:</b>' : '<b>Last messages:</b>');
      for (const m of recent) {
        // The bot's answers are the LLM's Markdown: quoted as the words the user read.
        const text = m.text !== null ? (m.sender === 'bot' ? markdownToPlain(m.text) : m.text) : m.media ? `[${m.media.kind}]` : '';
        const short = text.length > 300 ? `${text.slice(0, 300)}…` : text;
        lines.push(`${m.sender === 'user' ? '👤' : '🤖'} ${escapeHtml(short)}`);
      }
    }
    lines.push('', `${ru ? 'Взять' : 'Take'}: <code>/take ${dialog.id}</code>`);
    return lines.join('\n');
  };

  return {
    async postTicket(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      try {
        const recent = await store.recentMessages(d.id);
        const keyboard = takeKeyboard(d.id, operatorLang);
        const assignee = await assigneeFor(d);
        const html = await ticketHtml(d, recent, assignee);
        const forumNow = await isForum();
        const threadId = forumNow ? await createTopic(d) : null;
        const ticket = await telegram.sendHtml(ops, html, threadId ? { threadId } : {}, keyboard);
        const links = [ticket.message_id];
        const pairs: MessagePair[] = [];
        // The ticket quotes texts; photos, documents and voice the user sent are copied under it (an album as one).
        for (const ids of mediaBatches(recent)) {
          const where = threadId ? { threadId } : { replyTo: ticket.message_id };
          try {
            const copies = ids.length === 1 ? [(await telegram.copyMessage(ops, d.chatId, ids[0]!, where)).message_id] : await telegram.copyMessages(ops, d.chatId, ids, where);
            links.push(...copies);
            pairs.push(...albumPairs(d.chatId, ids, ops, copies));
          } catch (error) {
            // The ticket is up; a copy that fails must not post it again. The ticket says [photo].
            log.warn({ dialogId: d.id, err: error instanceof Error ? error.message : String(error) }, 'could not copy a media message under the ticket');
          }
        }
        const assignedTo = assignee ? { id: assignee.telegramId, name: assignee.name } : undefined;
        return { links, pairs, followUp: { event: { type: 'ticket.posted', messageId: ticket.message_id, threadId, html, assignedTo }, actor: 'system' } };
      } catch (error) {
        log.error({ dialogId: d.id, err: error instanceof Error ? error.message : String(error) }, 'could not post the ticket');
        return { followUp: { event: { type: 'ticket.failed' }, actor: 'system' } };
      }
    },
    async relayToOperators(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const outcome = await post(d, (where) => telegram.copyMessage(ops, d.chatId, effect.params.messageId, where));
      return { ...outcome, pairs: albumPairs(d.chatId, [effect.params.messageId], ops, outcome.links) };
    },
    async relayAlbumToOperators(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const ids = increasingIds(effect.params.messageIds);
      const outcome = await postAll(d, (where) => telegram.copyMessages(ops, d.chatId, ids, where));
      return { ...outcome, pairs: albumPairs(d.chatId, ids, ops, outcome.links) };
    },
    async notifyOperators(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      if (!d.context.ticket) return {}; // no ticket: nothing to update
      const { operatorName: name, operatorId } = effect.params;
      const op = name === undefined ? undefined : operatorId ? `<a href="tg://user?id=${operatorId}">${escapeHtml(name)}</a>` : escapeHtml(name);
      // A reminder says how long the user has waited (the machine counted it by the step's clock).
      const waited = effect.params.waitedMs;
      const wait = waited === undefined ? undefined : waitedText(waited, operatorLang);
      let html = operatorText(effect.params.key, operatorLang, { n: d.id, op, wait });
      // A reminder mentions the operators on duty, so Telegram notifies them.
      const onDuty = effect.params.key === 'reminder' && duty ? await duty.store.onDuty() : [];
      if (onDuty.length) html += `\n${operatorText('onDutyNow', operatorLang, { n: d.id, op: onDuty.map(mentionOf).join(', ') })}`;
      return post(d, (where) => telegram.sendHtml(ops, html, where));
    },
    async replyToOperator(effect, dialog) {
      const n = effect.params.n ?? dialog?.id ?? 0;
      const { threadId, replyTo } = effect.params.place;
      await telegram.sendHtml(ops, operatorText(effect.params.key, operatorLang, { n }), { threadId, replyTo });
      return {};
    },
  };
}

/**
 * The user's media among a ticket's recent messages, as batches to copy: the parts of one album
 * (consecutive, with the same `media_group_id`) together, anything else alone.
 */
export function mediaBatches(recent: RecentMessage[]): number[][] {
  const batches: Array<{ group?: string; ids: number[] }> = [];
  for (const m of recent) {
    if (m.sender !== 'user' || !m.media || m.telegramMessageId === null) continue;
    const last = batches.at(-1);
    if (m.media.group && last?.group === m.media.group) last.ids.push(m.telegramMessageId);
    else batches.push({ group: m.media.group, ids: [m.telegramMessageId] });
  }
  return batches.map((b) => increasingIds(b.ids));
}
