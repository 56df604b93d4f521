/**
 * What the Bot API emulator and the update builders share about Telegram chats: message ids
 * numbered per chat (the bot's and the users' messages share the sequence), the messages
 * remembered so that a reply can embed the one it answers, and the chat and user objects as
 * they appear inside messages.
 */
import type { Chat, Message, User } from 'telegraf/types';

/** The user fields a caller cares about; the rest get defaults (`first_name` 'User <id>'). */
export interface TgUserLike {
  id: number;
  first_name?: string;
  username?: string;
  language_code?: string;
}

/**
 * Where message ids come from and where sent messages are remembered, so that replies
 * can embed the message they reply to. The Bot API emulator implements it.
 */
export interface ChatHistory {
  /** The next message id in `chatId` (ids grow per chat, shared by everyone in it). */
  nextMessageId(chatId: number): number;
  /** A message known to be in the chat, e.g. one the bot sent, or a topic's root message. */
  findMessage(chatId: number, messageId: number): Message | undefined;
  /** Remembers a message so later replies to it can embed it. */
  remember(message: Message): void;
}

/** A {@link ChatHistory} in memory: the emulator's record of every chat, and the update factory's own when it is not linked to one. */
export class LocalChatHistory implements ChatHistory {
  private readonly lastIds = new Map<number, number>();
  private readonly messages = new Map<string, Message>();

  /** @inheritdoc */
  nextMessageId(chatId: number): number {
    const id = (this.lastIds.get(chatId) ?? 0) + 1;
    this.lastIds.set(chatId, id);
    return id;
  }

  /** @inheritdoc */
  findMessage(chatId: number, messageId: number): Message | undefined {
    return this.messages.get(`${chatId}:${messageId}`);
  }

  /** @inheritdoc */
  remember(message: Message): void {
    this.messages.set(`${message.chat.id}:${message.message_id}`, message);
  }

  /** The chat's remembered messages in id order: what a chat window shows. */
  messagesIn(chatId: number): Message[] {
    return [...this.messages.values()].filter((m) => m.chat.id === chatId).sort((a, b) => a.message_id - b.message_id);
  }

  /** The chats with at least one remembered message. */
  chatIds(): number[] {
    return [...new Set([...this.messages.values()].map((m) => m.chat.id))];
  }

  /** Forgets a deleted message. */
  forget(chatId: number, messageId: number): void {
    this.messages.delete(`${chatId}:${messageId}`);
  }
}

/** The default colour Telegram gives a topic created without one (0x6FB9F0). */
export const DEFAULT_TOPIC_ICON_COLOR = 7322096;

/**
 * The service message that opens a forum topic; its `message_id` is the topic's
 * `message_thread_id`, which is how Telegram numbers topics.
 */
export function topicRootMessage(
  chat: Chat.SupergroupChat,
  threadId: number,
  topic: { name: string; icon_color: number } = { name: `Topic ${threadId}`, icon_color: DEFAULT_TOPIC_ICON_COLOR },
  from?: User,
): Message.ForumTopicCreatedMessage {
  return {
    message_id: threadId,
    message_thread_id: threadId,
    ...(from === undefined ? {} : { from }),
    chat,
    date: unixNow(),
    is_topic_message: true,
    forum_topic_created: topic,
  };
}

/** Unix time in seconds, as Telegram's `date` fields. */
export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

/** A Telegram user (not a bot) from the fields a test gives. */
export function toUser(user: TgUserLike): User {
  return {
    id: user.id,
    is_bot: false,
    first_name: user.first_name ?? `User ${user.id}`,
    ...(user.username === undefined ? {} : { username: user.username }),
    ...(user.language_code === undefined ? {} : { language_code: user.language_code }),
  };
}

/** A private chat object as it appears in messages. */
export function privateChat(user: TgUserLike): Chat.PrivateChat {
  return {
    id: user.id,
    type: 'private',
    first_name: user.first_name ?? `User ${user.id}`,
    ...(user.username === undefined ? {} : { username: user.username }),
  };
}

/** A supergroup chat object as it appears in messages; `is_forum` only when true, like Telegram. */
export function supergroup(chatId: number, isForum: boolean): Chat.SupergroupChat {
  return { id: chatId, type: 'supergroup', title: `Chat ${chatId}`, ...(isForum ? { is_forum: true } : {}) };
}
