/**
 * What the sandbox page does and shows, as an object API over the emulator: users write to the
 * bot and press its buttons, operators write in the operators' group (in a topic or not) and
 * press buttons there; every action becomes the update Telegram would send, queued for the bot
 * like Telegram's (delivered by webhook). The views list the chats, the group's topics and their
 * messages with inline keyboards, and the draft a chat shows while the bot writes.
 *
 * @example
 * const ivan = actions.user({ id: 1001, first_name: 'Ivan', language_code: 'en' });
 * actions.userSends(ivan.id, 'How long does delivery take?');
 * emulator.onChange(() => render(actions.messages(ivan.id)));
 */
import type { InlineKeyboardButton, Message } from 'telegraf/types';
import type { BotApiEmulator } from './bot-api.emulator';
import { toUser, type TgUserLike } from './chat.history';
import { renderFormatted } from './telegram.format';
import { UpdateFactory } from './updates.factory';

/** The two demo operators of the sandbox's group. */
export const SANDBOX_OPERATORS: readonly TgUserLike[] = [
  { id: 9000000001, first_name: 'Anna', username: 'anna_sandbox', language_code: 'en' },
  { id: 9000000002, first_name: 'Boris', username: 'boris_sandbox', language_code: 'ru' },
];

/** One message as a chat window shows it. */
export interface ShownMessage {
  messageId: number;
  /** 'bot', or the sender's first name. */
  from: string;
  fromBot: boolean;
  /** The text (or caption) as the reader sees it, markup removed. */
  text: string;
  /** The topic the message is in (operators' group), when in one. */
  threadId?: number;
  /** Inline buttons, row by row: text and callback data. */
  buttons: Array<Array<{ text: string; data?: string; url?: string }>>;
  /** The text as the bot sent it, when it sent it formatted (`parse_mode`): render this to show the formatting. */
  formatted?: { text: string; parseMode: string };
  /** The message as the emulator keeps it (Bot API fields). */
  raw: Message;
  date: number;
  edited: boolean;
}

/** A forum topic of the operators' group. */
export interface ShownTopic {
  threadId: number;
  name: string;
}

/** The page's actions and views; see the file comment. */
export class SandboxActions {
  private readonly updates: UpdateFactory;
  private readonly users = new Map<number, TgUserLike>();

  constructor(
    private readonly emulator: BotApiEmulator,
    /** The operators' group. */
    readonly operatorChatId: number,
  ) {
    this.updates = new UpdateFactory(1, emulator);
    for (const operator of SANDBOX_OPERATORS) this.users.set(operator.id, operator);
  }

  /** Registers (or updates) a page user, e.g. one per browser tab; returns it. */
  user(user: TgUserLike): TgUserLike {
    this.users.set(user.id, user);
    return user;
  }

  /** The user writes `text` to the bot (a command when it starts with '/'). */
  userSends(userId: number, text: string): void {
    this.emulator.pushUpdate(this.updates.text(this.known(userId), text));
  }

  /** The user presses the inline button with `data` under the bot's message `messageId` in their chat. */
  userPresses(userId: number, messageId: number, data: string): void {
    this.emulator.pushUpdate(this.updates.callback(this.known(userId), data, { chatId: userId, messageId }));
  }

  /** The user presses Stop under the draft `draftId` the bot is streaming (Bot API 10.3 `stopped_message_generation`). */
  userStops(userId: number, draftId: number): void {
    this.emulator.pushUpdate(this.updates.stoppedGeneration(this.known(userId), draftId));
  }

  /** An operator writes in the operators' group: in topic `threadId`, or in the group's general chat. */
  operatorWrites(operatorId: number, text: string, threadId?: number): void {
    const opts = threadId === undefined ? { isForum: true } : { threadId };
    this.emulator.pushUpdate(this.updates.groupText(this.operatorChatId, this.known(operatorId), text, opts));
  }

  /** An operator presses the inline button with `data` under the message `messageId` in the group (the Take button). */
  operatorPresses(operatorId: number, messageId: number, data: string): void {
    this.emulator.pushUpdate(this.updates.callback(this.known(operatorId), data, { chatId: this.operatorChatId, messageId }));
  }

  /** The private chats with anyone who wrote or was written to, by user id. */
  privateChats(): Array<{ chatId: number; name: string }> {
    return this.emulator.world.history
      .chatIds()
      .filter((id) => id > 0)
      .map((id) => ({ chatId: id, name: this.users.get(id)?.first_name ?? `User ${id}` }));
  }

  /** The operators' group's topics, oldest first. */
  topics(): ShownTopic[] {
    const prefix = `${this.operatorChatId}:`;
    return [...this.emulator.world.topics.entries()]
      .filter(([key]) => key.startsWith(prefix) && !this.emulator.world.deletedTopics.has(key))
      .map(([key, topic]) => ({ threadId: Number(key.slice(prefix.length)), name: topic.name }))
      .sort((a, b) => a.threadId - b.threadId);
  }

  /**
   * A chat's messages in order: a private chat's (`chatId` = the user's id), or the group's
   * (`chatId` = the operators' group; with `threadId` only that topic's, with null only those outside topics).
   */
  messages(chatId: number, threadId?: number | null): ShownMessage[] {
    return this.emulator.world.history
      .messagesIn(chatId)
      .filter((m) => !('forum_topic_created' in m))
      .filter((m) => threadId === undefined || (threadId === null ? m.message_thread_id === undefined : m.message_thread_id === threadId))
      .map((m) => shown(m, this.emulator.world.sources.get(`${chatId}:${m.message_id}`)));
  }

  /** The draft the private chat shows now (the bot is writing), as the reader sees it. */
  draft(chatId: number): { draftId: number; text: string } | undefined {
    const draft = this.emulator.world.draftIn(chatId);
    if (draft === undefined) return undefined;
    const rendered = renderFormatted(draft.text, draft.parseMode);
    return { draftId: draft.draftId, text: rendered.ok ? rendered.text : draft.text };
  }

  private known(id: number): TgUserLike {
    return this.users.get(id) ?? { id, first_name: `User ${id}` };
  }
}

function shown(m: Message, formatted: { text: string; parseMode: string } | undefined): ShownMessage {
  const fields = m as Message & { text?: string; caption?: string; reply_markup?: { inline_keyboard?: InlineKeyboardButton[][] }; edit_date?: number };
  const from = m.from;
  return {
    messageId: m.message_id,
    from: from?.is_bot === true ? 'bot' : (from === undefined ? '' : toUser(from).first_name),
    fromBot: from?.is_bot === true,
    text: fields.text ?? fields.caption ?? '',
    ...(m.message_thread_id === undefined ? {} : { threadId: m.message_thread_id }),
    buttons: (fields.reply_markup?.inline_keyboard ?? []).map((row) =>
      row.map((b) => ({ text: b.text, ...('callback_data' in b ? { data: b.callback_data } : {}), ...('url' in b ? { url: b.url } : {}) })),
    ),
    ...(formatted === undefined ? {} : { formatted }),
    raw: m,
    date: m.date,
    edited: fields.edit_date !== undefined,
  };
}
