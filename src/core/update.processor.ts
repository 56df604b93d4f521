import type { Knex } from 'knex';
import type { Logger } from '../logger';
import type { TelegramClient } from '../adapters/telegram/telegram.client';
import { detectHandoff } from '../handoff';
import { langFromTelegram } from '../i18n/texts';
import type { DialogEvent, HandoffSignal, Lang } from '../machines/dialog.types';
import type { ApplyOptions, DialogEngine, MessageRecord, OperatorProfile } from './dialog.engine';
import { CALLBACK } from './effects.runner';

/** The parts of a Telegram update the service reads (see the Bot API's Update, Message, CallbackQuery). */
export interface TgUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}
export interface TgMessage {
  message_id: number;
  chat: { id: number; type: string; is_forum?: boolean };
  from?: TgUser;
  text?: string;
  caption?: string;
  message_thread_id?: number;
  is_topic_message?: boolean;
  reply_to_message?: { message_id: number };
  photo?: Array<{ file_id: string }>;
  document?: { file_id: string };
  voice?: { file_id: string };
  audio?: { file_id: string };
  video?: { file_id: string };
  video_note?: { file_id: string };
  sticker?: { file_id: string };
  animation?: { file_id: string };
}
export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  callback_query?: { id: string; from: TgUser; data?: string; message?: TgMessage };
  my_chat_member?: { chat: { id: number; type: string }; from: TgUser; new_chat_member: { status: string } };
}

/** Update kinds the service handles; `setWebhook` and `getUpdates` ask for exactly these. */
export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

const MEDIA_KINDS = ['photo', 'document', 'voice', 'audio', 'video', 'video_note', 'sticker', 'animation'] as const;
const OPERATOR_STATUSES = new Set(['creator', 'administrator', 'member']);

/**
 * The lane an update is processed in: updates of one lane run one at a time, in update_id order.
 * A user's private chat is one lane; the operators' chat is another (its events reach dialogs
 * under each dialog's own lock). Null: a kind of update the service does not handle.
 */
export function laneOf(update: TgUpdate, operatorChatId: number): string | null {
  const chat = update.message?.chat ?? update.callback_query?.message?.chat ?? update.my_chat_member?.chat;
  if (update.callback_query && !chat) return `chat:${update.callback_query.from.id}`;
  if (!chat) return null;
  if (chat.id === operatorChatId || chat.type === 'private') return `chat:${chat.id}`;
  return null;
}

/**
 * Turns one Telegram update into dialog events and dispatches them: user messages, commands and
 * buttons in private chats, and operators' commands, buttons and replies in the operators' chat.
 */
export class UpdateProcessor {
  private constructor(
    private readonly deps: {
      db: Knex;
      engine: DialogEngine;
      telegram: TelegramClient;
      log: Logger;
      operatorChatId: number;
      operatorLang: Lang;
    },
  ) {}

  static create(deps: UpdateProcessor['deps']): UpdateProcessor {
    return new UpdateProcessor(deps);
  }

  /** Processes one stored update. Returns the dialog it went to, for logs. */
  async process(update: TgUpdate): Promise<{ dialogId: number | null; state: string | null }> {
    const inbox = { inboxUpdateId: update.update_id };
    if (update.callback_query) return this.onCallback(update.callback_query, inbox);
    if (update.my_chat_member) {
      const { chat, new_chat_member } = update.my_chat_member;
      if (chat.type === 'private' && (new_chat_member.status === 'kicked' || new_chat_member.status === 'left')) {
        return this.result(await this.deps.engine.dispatch({ chatId: chat.id }, { type: 'user.blocked' }, { actor: 'user', ...inbox }));
      }
      return { dialogId: null, state: null };
    }
    const message = update.message;
    if (!message || !message.from || message.from.is_bot) return { dialogId: null, state: null };
    if (message.chat.id === this.deps.operatorChatId) return this.onOperatorMessage(message, inbox);
    if (message.chat.type === 'private') return this.onUserMessage(message, inbox);
    return { dialogId: null, state: null };
  }

  private result(r: { dialogId: number | null; state: string | null }) {
    return { dialogId: r.dialogId, state: r.state };
  }

  // ── users ──────────────────────────────────────────────────────────────────

  private async onUserMessage(message: TgMessage, inbox: Pick<ApplyOptions, 'inboxUpdateId'>) {
    const from = message.from as TgUser;
    const chatId = message.chat.id;
    const lang = langFromTelegram(from.language_code);
    const base: ApplyOptions = { actor: 'user', user: profileOf(from), lang, ...inbox };
    const command = parseCommand(message.text);

    const dispatch = (event: DialogEvent, options: ApplyOptions = base) => this.deps.engine.dispatch({ chatId }, event, options).then((r) => this.result(r));
    if (command?.name === 'start') return dispatch({ type: 'user.start' });
    if (command?.name === 'operator' || command?.name === 'human') return dispatch({ type: 'user.requestHuman' });
    if (command?.name === 'bot') return dispatch({ type: 'user.backToBot' });
    if (command?.name === 'take' || command?.name === 'close') {
      await this.deps.telegram.sendPlain(
        chatId,
        lang === 'ru' ? 'Эта команда — для операторов, в их группе.' : 'This command is for operators, in their group.',
      );
      return { dialogId: null, state: null };
    }

    const text = message.text ?? message.caption ?? '';
    const media = mediaOf(message);
    const record: MessageRecord = { sender: 'user', telegramChatId: chatId, telegramMessageId: message.message_id, text: text || undefined, media };
    let signal: HandoffSignal | null = null;
    if (text) {
      const previousUserTexts = await this.previousUserTexts(chatId);
      signal = detectHandoff({ text, lang, previousUserTexts }) as HandoffSignal | null;
    }
    return dispatch({ type: 'user.message', messageId: message.message_id, text, signal }, { ...base, record });
  }

  private async previousUserTexts(chatId: number): Promise<string[]> {
    const rows: Array<{ text: string }> = await this.deps.db('messages as m')
      .join('dialogs as d', 'd.id', 'm.dialog_id')
      .where('d.chat_id', chatId)
      .whereNull('d.closed_at')
      .andWhere('m.sender', 'user')
      .whereNotNull('m.text')
      .orderBy('m.id', 'desc')
      .limit(5)
      .select('m.text');
    return rows.map((r) => r.text).reverse();
  }

  private async onCallback(query: NonNullable<TgUpdate['callback_query']>, inbox: Pick<ApplyOptions, 'inboxUpdateId'>) {
    const data = query.data ?? '';
    const chat = query.message?.chat;
    const answer = (text?: string) => this.deps.telegram.answerCallback(query.id, text).catch(() => undefined);

    if (chat?.id === this.deps.operatorChatId) {
      const take = /^take:(\d+)$/.exec(data);
      if (!take) {
        await answer();
        return { dialogId: null, state: null };
      }
      const refusal = await this.refuseNonOperator(query.from);
      if (refusal) {
        await answer(refusal);
        return { dialogId: null, state: null };
      }
      await answer();
      return this.take(Number(take[1]), query.from, inbox);
    }

    const chatId = chat?.id ?? query.from.id;
    const lang = langFromTelegram(query.from.language_code);
    const options: ApplyOptions = { actor: 'user', user: profileOf(query.from), lang, ...inbox };
    const events: Record<string, DialogEvent> = {
      [CALLBACK.talkToHuman]: { type: 'user.requestHuman' },
      [CALLBACK.confirmYes]: { type: 'user.confirmHandoff' },
      [CALLBACK.confirmNo]: { type: 'user.declineHandoff' },
    };
    await answer();
    const event = events[data];
    if (!event) return { dialogId: null, state: null };
    if (query.message && data !== CALLBACK.talkToHuman) {
      await this.deps.telegram.removeKeyboard(chatId, query.message.message_id).catch(() => undefined);
    }
    return this.result(await this.deps.engine.dispatch({ chatId }, event, options));
  }

  // ── operators ──────────────────────────────────────────────────────────────

  private async onOperatorMessage(message: TgMessage, inbox: Pick<ApplyOptions, 'inboxUpdateId'>) {
    const from = message.from as TgUser;
    const command = parseCommand(message.text);
    const where = { threadId: message.is_topic_message ? message.message_thread_id : undefined, replyTo: message.message_id };

    if (command?.name === 'take' || command?.name === 'close') {
      const refusal = await this.refuseNonOperator(from);
      if (refusal) {
        await this.deps.telegram.sendPlain(this.deps.operatorChatId, refusal, where);
        return { dialogId: null, state: null };
      }
      const dialogId = command.arg ? Number(command.arg) : await this.dialogOfMessage(message);
      if (!dialogId || !Number.isSafeInteger(dialogId)) {
        await this.deps.telegram.sendPlain(this.deps.operatorChatId, this.say('which'), where);
        return { dialogId: null, state: null };
      }
      if (command.name === 'take') return this.take(dialogId, from, inbox, where);
      return this.close(dialogId, from, inbox, where);
    }
    if (command) return { dialogId: null, state: null }; // other commands are not for us

    const dialogId = await this.dialogOfMessage(message);
    if (!dialogId) return { dialogId: null, state: null }; // operators talking among themselves
    const target = await this.openDialog(dialogId);
    if (!target) return { dialogId, state: 'closed' };
    const operator = operatorOf(from);
    const record: MessageRecord = {
      sender: 'operator',
      telegramChatId: message.chat.id,
      telegramMessageId: message.message_id,
      text: message.text ?? message.caption,
      media: mediaOf(message),
    };
    const event: DialogEvent = {
      type: 'operator.message',
      operatorId: from.id,
      operatorName: operator.name,
      fromChatId: message.chat.id,
      messageId: message.message_id,
    };
    return this.result(
      await this.deps.engine.dispatch({ chatId: target.chatId, dialogId }, event, { actor: `operator:${from.id}`, operator, record, ...inbox }),
    );
  }

  private async take(dialogId: number, from: TgUser, inbox: Pick<ApplyOptions, 'inboxUpdateId'>, where?: { threadId?: number; replyTo?: number }) {
    const target = await this.openDialog(dialogId);
    if (!target) {
      await this.deps.telegram.sendPlain(this.deps.operatorChatId, this.say('noSuchDialog', dialogId), where ?? {});
      return { dialogId, state: null };
    }
    const operator = operatorOf(from);
    const event: DialogEvent = { type: 'operator.take', operatorId: from.id, operatorName: operator.name };
    return this.result(await this.deps.engine.dispatch({ chatId: target.chatId, dialogId }, event, { actor: `operator:${from.id}`, operator, ...inbox }));
  }

  private async close(dialogId: number, from: TgUser, inbox: Pick<ApplyOptions, 'inboxUpdateId'>, where: { threadId?: number; replyTo?: number }) {
    const target = await this.openDialog(dialogId);
    if (!target) {
      await this.deps.telegram.sendPlain(this.deps.operatorChatId, this.say('noSuchDialog', dialogId), where);
      return { dialogId, state: null };
    }
    const operator = operatorOf(from);
    const result = await this.deps.engine.dispatch(
      { chatId: target.chatId, dialogId },
      { type: 'operator.close', operatorId: from.id },
      { actor: `operator:${from.id}`, operator, ...inbox },
    );
    if (!result.accepted) await this.deps.telegram.sendPlain(this.deps.operatorChatId, this.say('cannotClose', dialogId), where);
    return this.result(result);
  }

  /** Only members of the operators' chat may take or close dialogs; returns the refusal, or null. */
  private async refuseNonOperator(user: TgUser): Promise<string | null> {
    const status = await this.deps.telegram.memberStatus(this.deps.operatorChatId, user.id).catch(() => 'unknown');
    return OPERATOR_STATUSES.has(status) ? null : this.say('notOperator');
  }

  /** The dialog an operator's message belongs to: its forum topic, or the ticket/relay it replies to. */
  private async dialogOfMessage(message: TgMessage): Promise<number | null> {
    if (message.is_topic_message && message.message_thread_id) {
      const row = await this.deps.db('dialogs').where({ topic_thread_id: message.message_thread_id }).orderBy('id', 'desc').first('id');
      if (row) return Number(row.id);
    }
    if (message.reply_to_message) {
      const link = await this.deps.db('message_links')
        .where({ chat_id: message.chat.id, message_id: message.reply_to_message.message_id })
        .first('dialog_id');
      if (link) return Number(link.dialog_id);
    }
    return null;
  }

  private async openDialog(dialogId: number): Promise<{ chatId: number } | null> {
    const row = await this.deps.db('dialogs').where({ id: dialogId }).whereNull('closed_at').first('chat_id');
    return row ? { chatId: Number(row.chat_id) } : null;
  }

  private say(what: 'notOperator' | 'which' | 'noSuchDialog' | 'cannotClose', n?: number): string {
    const ru = this.deps.operatorLang === 'ru';
    switch (what) {
      case 'notOperator':
        return ru ? 'Брать и закрывать диалоги могут только участники группы операторов.' : 'Only members of the operators\' group can take or close dialogs.';
      case 'which':
        return ru ? 'Укажите номер диалога: /take 12, или ответьте на его тикет.' : 'Say which dialog: /take 12, or reply to its ticket.';
      case 'noSuchDialog':
        return ru ? `Открытого диалога #${n} нет.` : `There is no open dialog #${n}.`;
      case 'cannotClose':
        return ru ? `Диалог #${n} нельзя закрыть сейчас.` : `Dialog #${n} cannot be closed now.`;
    }
  }
}

/** `/take@support_bot 12` → { name: 'take', arg: '12' }. */
export function parseCommand(text: string | undefined): { name: string; arg?: string } | null {
  const m = /^\/([a-z_]+)(?:@\w+)?(?:\s+(.+))?$/is.exec(text?.trim() ?? '');
  return m ? { name: (m[1] as string).toLowerCase(), arg: m[2]?.trim().replace(/^#/, '') } : null;
}

function mediaOf(message: TgMessage): MessageRecord['media'] {
  for (const kind of MEDIA_KINDS) {
    const value = message[kind];
    if (!value) continue;
    const fileId = Array.isArray(value) ? value.at(-1)?.file_id : value.file_id;
    return { kind, fileId };
  }
  return undefined;
}

function profileOf(user: TgUser) {
  return {
    telegramId: user.id,
    firstName: user.first_name,
    lastName: user.last_name,
    username: user.username,
    languageCode: user.language_code,
  };
}

function operatorOf(user: TgUser): OperatorProfile {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ') || user.username || `operator ${user.id}`;
  return { telegramId: user.id, name, username: user.username };
}
