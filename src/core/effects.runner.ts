import type { Knex } from 'knex';
import type { Logger } from '../logger';
import type { LlmAnswer, LlmRequest, LlmTurn } from '../adapters/llm/openai.llm';
import { LlmError } from '../adapters/llm/openai.llm';
import type { InlineKeyboard, Placement, SentMessage, TelegramClient } from '../adapters/telegram/telegram.client';
import { TelegramApiError } from '../adapters/telegram/telegram.errors';
import { replySaysCannotHelp } from '../handoff';
import { buttonText, operatorText, userText } from '../i18n/texts';
import type { DialogEffect, DialogEvent, Lang } from '../machines/dialog.types';
import { escapeHtml, formatForTelegram } from '../text';
import type { DialogRow, EffectRunner, SentRecord, StepObserver } from './dialog.engine';

/** The LLM as the runner needs it (the OpenAI adapter, or a fake in tests). */
export interface LlmPort {
  complete(request: LlmRequest, signal?: AbortSignal): Promise<LlmAnswer>;
}

/** Observes what effects did (metrics). */
export interface EffectObserver {
  llmCall?(seconds: number, outcome: 'reply' | 'transfer' | 'error'): void;
}

/** Callback data of the inline buttons. */
export const CALLBACK = {
  talkToHuman: 'human',
  confirmYes: 'handoff:yes',
  confirmNo: 'handoff:no',
  take: (dialogId: number) => `take:${dialogId}`,
} as const;

type FollowUp = { event: DialogEvent; actor: string } | null;

interface RecentMessage {
  sender: string;
  text: string | null;
  media: { kind: string } | null;
  telegram_message_id: string | null;
}

/** "typing…" shows once the LLM has taken this long (a quick answer needs none), then is renewed before Telegram's 5 s run out. */
const TYPING_AFTER_MS = 1_000;
const TYPING_EVERY_MS = 4_000;

/**
 * Carries out the dialog machine's effects against Telegram, the LLM and the database.
 *
 * Failures the machine must know about come back as events: a refused ticket is `ticket.failed`,
 * an LLM that gives no answer is `llm.failed`, a user who blocked the bot is `user.blocked`.
 * A deleted forum topic is created again. Nothing a user sees ever carries a raw error.
 */
export class TelegramEffectRunner implements EffectRunner, StepObserver {
  private forum: { value: boolean; at: number } | null = null;
  /** LLM requests in flight, by dialog: cancelled when the dialog stops waiting for them. */
  private readonly inflight = new Map<number, AbortController>();

  private constructor(
    private readonly deps: {
      db: Knex;
      telegram: TelegramClient;
      llm: LlmPort;
      log: Logger;
      operatorChatId: number;
      operatorLang: Lang;
      historyMessages: number;
      systemPrompt: string;
      observer?: EffectObserver;
    },
  ) {}

  static create(deps: TelegramEffectRunner['deps']): TelegramEffectRunner {
    return new TelegramEffectRunner(deps);
  }

  /** An operator took over (or the dialog closed) while the LLM was writing: stop the request. */
  onStep({ dialogId, snapshot }: Parameters<StepObserver['onStep']>[0]): void {
    if (snapshot.context.pendingLlmRequest === null) this.inflight.get(dialogId)?.abort();
  }

  async run(effect: DialogEffect, dialog: DialogRow, sent: SentRecord[]): Promise<FollowUp> {
    try {
      return await this.carryOut(effect, dialog, sent);
    } catch (error) {
      if (error instanceof TelegramApiError && error.kind === 'blocked' && this.isUserSide(effect)) {
        this.deps.log.info({ dialogId: dialog.id }, 'the user blocked the bot; closing the dialog');
        return { event: { type: 'user.blocked' }, actor: 'system' };
      }
      throw error;
    }
  }

  private isUserSide(effect: DialogEffect): boolean {
    return ['notifyUser', 'askConfirmation', 'sendLlmReply', 'relayToUser'].includes(effect.type);
  }

  private async carryOut(effect: DialogEffect, dialog: DialogRow, sent: SentRecord[]): Promise<FollowUp> {
    const lang = dialog.context.lang;
    switch (effect.type) {
      case 'notifyUser': {
        const keyboard = effect.params.key === 'greeting' ? this.talkToHumanKeyboard(lang) : undefined;
        sent.push(await this.sendToUser(dialog, userText(effect.params.key, lang), 'system', keyboard));
        return null;
      }
      case 'askConfirmation': {
        const keyboard: InlineKeyboard = {
          inline_keyboard: [
            [
              { text: buttonText('yes', lang), callback_data: CALLBACK.confirmYes },
              { text: buttonText('no', lang), callback_data: CALLBACK.confirmNo },
            ],
          ],
        };
        sent.push(await this.sendToUser(dialog, userText('confirmHandoff', lang), 'system', keyboard));
        return null;
      }
      case 'askLlm':
        return this.askLlm(dialog, effect.params.requestId);
      case 'sendLlmReply':
        sent.push(...(await this.sendMarkdown(dialog, effect.params.text)));
        return null;
      case 'postTicket':
        return this.postTicket(dialog);
      case 'relayToOperators': {
        const copy = await this.toOperators(dialog, (where) =>
          this.deps.telegram.copyMessage(this.deps.operatorChatId, dialog.chat_id, effect.params.messageId, where),
        );
        await this.link(copy.message_id, dialog.id);
        return null;
      }
      case 'relayToUser':
        await this.deps.telegram.copyMessage(dialog.chat_id, effect.params.fromChatId, effect.params.messageId);
        return null;
      case 'notifyOperators': {
        if (dialog.ticket_message_id === null && dialog.topic_thread_id === null) return null; // no ticket: nothing to update
        const html = operatorText(effect.params.key, this.deps.operatorLang, {
          n: dialog.id,
          op: effect.params.operatorName ? escapeHtml(effect.params.operatorName) : undefined,
        });
        const sent = await this.toOperators(dialog, (where) => this.deps.telegram.sendHtml(this.deps.operatorChatId, html, where));
        await this.link(sent.message_id, dialog.id);
        return null;
      }
      case 'keepForTicket':
      case 'scheduleTimer':
      case 'cancelTimer':
        return null;
    }
  }

  private talkToHumanKeyboard(lang: Lang): InlineKeyboard {
    return { inline_keyboard: [[{ text: buttonText('talkToHuman', lang), callback_data: CALLBACK.talkToHuman }]] };
  }

  /** Sends a fixed text (already safe HTML) to the user; answers what to record. */
  private async sendToUser(dialog: DialogRow, html: string, sender: 'bot' | 'system', keyboard?: InlineKeyboard): Promise<SentRecord> {
    const sent = await this.deps.telegram.sendHtml(dialog.chat_id, html, {}, keyboard);
    return { sender, text: html, telegramMessageId: sent.message_id };
  }

  /** Sends the model's Markdown as Telegram HTML, split at 4096 characters, with a plain-text fallback. */
  private async sendMarkdown(dialog: DialogRow, markdown: string): Promise<SentRecord[]> {
    const chunks = formatForTelegram(markdown);
    let first: number | null = null;
    for (const chunk of chunks) {
      let sent: SentMessage;
      try {
        sent = await this.deps.telegram.sendHtml(dialog.chat_id, chunk.html);
      } catch (error) {
        if (!(error instanceof TelegramApiError && error.kind === 'parse_error')) throw error;
        this.deps.log.warn({ dialogId: dialog.id }, 'Telegram refused the HTML; sent as plain text');
        sent = await this.deps.telegram.sendPlain(dialog.chat_id, chunk.plain);
      }
      first ??= sent.message_id;
    }
    return first === null ? [] : [{ sender: 'bot', text: markdown, telegramMessageId: first }];
  }

  private async askLlm(dialog: DialogRow, requestId: string): Promise<FollowUp> {
    const lang = dialog.context.lang;
    const rows: Array<{ sender: string; text: string }> = await this.deps.db('messages')
      .where({ dialog_id: dialog.id })
      .whereIn('sender', ['user', 'bot'])
      .whereNotNull('text')
      .orderBy('id', 'desc')
      .limit(this.deps.historyMessages)
      .select('sender', 'text');
    const history: LlmTurn[] = rows.reverse().map((r) => ({ role: r.sender === 'user' ? 'user' : 'assistant', content: r.text }));
    // A window cut in the middle may start with an answer; the model should see a question first.
    while (history[0]?.role === 'assistant') history.shift();
    const system = this.deps.systemPrompt.replaceAll('{lang}', lang === 'ru' ? 'Russian' : 'English');

    const typing = () => void this.deps.telegram.sendTyping(dialog.chat_id).catch(() => undefined);
    let timer: NodeJS.Timeout = setTimeout(() => {
      typing();
      timer = setInterval(typing, TYPING_EVERY_MS);
    }, TYPING_AFTER_MS);
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    const abort = new AbortController();
    this.inflight.set(dialog.id, abort);
    try {
      const answer = await this.deps.llm.complete({ system, history }, abort.signal);
      this.deps.observer?.llmCall?.(seconds(), answer.kind);
      if (answer.kind === 'transfer') {
        return { event: { type: 'llm.transfer', requestId, reason: answer.reason, text: answer.text }, actor: 'llm' };
      }
      return { event: { type: 'llm.reply', requestId, text: answer.text, cannotHelp: replySaysCannotHelp(answer.text) }, actor: 'llm' };
    } catch (error) {
      if (abort.signal.aborted) {
        this.deps.log.info({ dialogId: dialog.id }, 'LLM request cancelled: the dialog no longer waits for it');
        return null;
      }
      this.deps.observer?.llmCall?.(seconds(), 'error');
      const code = error instanceof LlmError ? error.code : 'LLM_UNAVAILABLE';
      this.deps.log.warn({ dialogId: dialog.id, code, err: error instanceof Error ? error.message : String(error) }, 'LLM gave no answer');
      return { event: { type: 'llm.failed', requestId, code }, actor: 'llm' };
    } finally {
      clearTimeout(timer); // the first delay, or the interval after it: Node clears either
      if (this.inflight.get(dialog.id) === abort) this.inflight.delete(dialog.id);
    }
  }

  private async postTicket(dialog: DialogRow): Promise<FollowUp> {
    try {
      const recent = await this.recentMessages(dialog);
      const keyboard: InlineKeyboard = {
        inline_keyboard: [[{ text: `${buttonText('take', this.deps.operatorLang)} #${dialog.id}`, callback_data: CALLBACK.take(dialog.id) }]],
      };
      const html = await this.ticketHtml(dialog, recent);
      const sent = await this.toOperators(dialog, (where) => this.deps.telegram.sendHtml(this.deps.operatorChatId, html, where, keyboard));
      await this.deps.db('dialogs').where({ id: dialog.id }).update({ ticket_message_id: sent.message_id });
      dialog.ticket_message_id = sent.message_id;
      await this.link(sent.message_id, dialog.id);
      // The ticket quotes texts; photos, documents and voice the user sent are copied under it.
      for (const m of recent) {
        if (m.sender !== 'user' || !m.media || m.telegram_message_id === null) continue;
        try {
          const copy = await this.toOperators(dialog, (where) =>
            this.deps.telegram.copyMessage(this.deps.operatorChatId, dialog.chat_id, Number(m.telegram_message_id), where),
          );
          await this.link(copy.message_id, dialog.id);
        } catch (error) {
          // The ticket is up; a copy that fails must not post it again. The ticket says [photo].
          this.deps.log.warn({ dialogId: dialog.id, err: error instanceof Error ? error.message : String(error) }, 'could not copy a media message under the ticket');
        }
      }
      return { event: { type: 'ticket.posted' }, actor: 'system' };
    } catch (error) {
      this.deps.log.error({ dialogId: dialog.id, err: error instanceof Error ? error.message : String(error) }, 'could not post the ticket');
      return { event: { type: 'ticket.failed' }, actor: 'system' };
    }
  }

  /** The dialog's last messages from the user and the bot, oldest first. */
  private async recentMessages(dialog: DialogRow): Promise<RecentMessage[]> {
    const rows: RecentMessage[] = await this.deps.db('messages')
      .where({ dialog_id: dialog.id })
      .whereIn('sender', ['user', 'bot'])
      .orderBy('id', 'desc')
      .limit(6)
      .select('sender', 'text', 'media', 'telegram_message_id');
    return rows.reverse();
  }

  private async ticketHtml(dialog: DialogRow, recent: RecentMessage[]): Promise<string> {
    const user = await this.deps.db('users').where({ id: dialog.user_id }).first();
    const name = [user?.first_name, user?.last_name].filter(Boolean).join(' ') || 'user';
    const who = `${escapeHtml(name)}${user?.username ? ` (@${escapeHtml(user.username)})` : ''}, id <code>${dialog.chat_id}</code>`;
    const handoff = dialog.context.handoff;
    const ru = this.deps.operatorLang === 'ru';
    const lines = [
      `🆘 <b>${ru ? 'Диалог' : 'Dialog'} #${dialog.id}</b>`,
      `${ru ? 'Пользователь' : 'User'}: ${who}`,
      `${ru ? 'Язык' : 'Language'}: ${dialog.context.lang}`,
      `${ru ? 'Причина' : 'Reason'}: <code>${escapeHtml(handoff?.reason ?? 'unknown')}</code> (${escapeHtml(handoff?.layer ?? '—')})`,
    ];
    if (recent.length) {
      lines.push('', ru ? '<b>Последние сообщения:</b>' : '<b>Last messages:</b>');
      for (const m of recent) {
        const text = m.text ?? (m.media ? `[${m.media.kind}]` : '');
        const short = text.length > 300 ? `${text.slice(0, 300)}…` : text;
        lines.push(`${m.sender === 'user' ? '👤' : '🤖'} ${escapeHtml(short)}`);
      }
    }
    lines.push('', `${ru ? 'Взять' : 'Take'}: <code>/take ${dialog.id}</code>`);
    return lines.join('\n');
  }

  /**
   * Sends something to the dialog's place in the operators' chat: its forum topic (created on
   * first use, created again if an operator deleted it) or, in a plain group, as a reply to its ticket.
   */
  private async toOperators(dialog: DialogRow, send: (where: Placement) => Promise<SentMessage>): Promise<SentMessage> {
    if (!(await this.isForum())) return send({ replyTo: dialog.ticket_message_id });
    let threadId = dialog.topic_thread_id ?? (await this.createTopic(dialog));
    try {
      return await send({ threadId });
    } catch (error) {
      if (!(error instanceof TelegramApiError)) throw error;
      if (error.kind === 'topic_closed') {
        this.deps.log.info({ dialogId: dialog.id }, 'the dialog\'s topic was closed; reopening it');
        await this.deps.telegram.reopenForumTopic(this.deps.operatorChatId, threadId);
        return send({ threadId });
      }
      if (error.kind !== 'thread_not_found') throw error;
      this.deps.log.warn({ dialogId: dialog.id }, 'the dialog\'s topic was deleted; creating it again');
      threadId = await this.createTopic(dialog);
      return send({ threadId });
    }
  }

  private async createTopic(dialog: DialogRow): Promise<number> {
    const user = await this.deps.db('users').where({ id: dialog.user_id }).first();
    const name = `#${dialog.id} ${[user?.first_name, user?.last_name].filter(Boolean).join(' ') || user?.username || ''}`.trim();
    const threadId = await this.deps.telegram.createForumTopic(this.deps.operatorChatId, name);
    await this.deps.db('dialogs').where({ id: dialog.id }).update({ topic_thread_id: threadId });
    dialog.topic_thread_id = threadId;
    return threadId;
  }

  private async isForum(): Promise<boolean> {
    if (this.forum && Date.now() - this.forum.at < 5 * 60_000) return this.forum.value;
    const value = await this.deps.telegram.isForum(this.deps.operatorChatId);
    this.forum = { value, at: Date.now() };
    return value;
  }

  private async link(messageId: number, dialogId: number): Promise<void> {
    await this.deps.db('message_links')
      .insert({ chat_id: this.deps.operatorChatId, message_id: messageId, dialog_id: dialogId })
      .onConflict(['chat_id', 'message_id'])
      .ignore();
  }
}
