/**
 * Builders of Telegram updates for tests, with the Bot API's real field names, so a test
 * reads as the story it tells: `tg.pushUpdate(updates.text(alice, 'I need a human'))`.
 *
 * Message ids: Telegram numbers messages per chat, and the bot's own messages share that
 * sequence. Give the factory the emulator (a {@link ChatHistory}; in tests the `FakeTelegram`) and the
 * users' and operators' messages take ids from the same per-chat counter as the bot's
 * replies, a reply embeds the message it answers, and a topic message embeds the topic's
 * root message the way Telegram does. Without one, the factory keeps its own counters.
 *
 * @example
 * const updates = new UpdateFactory(1, tg);
 * const alice = { id: 1001, first_name: 'Alice', language_code: 'ru' };
 * await postUpdate(updates.text(alice, 'Привет'));
 */
import type { CallbackQuery, Chat, Message, MessageEntity, PhotoSize, Update } from 'telegraf/types';
import {
  LocalChatHistory,
  privateChat,
  supergroup,
  toUser,
  topicRootMessage,
  unixNow,
  type ChatHistory,
  type TgUserLike,
} from './chat.history';

export type { Update } from 'telegraf/types';
export type { TgUserLike } from './chat.history';

/** Options of {@link UpdateFactory.groupText}. */
export interface GroupMessageOptions {
  /** The forum topic the message is posted in (sets `message_thread_id` and `is_topic_message`). */
  threadId?: number;
  /** The message this one replies to (embedded as `reply_to_message`). */
  replyToMessageId?: number;
  /** Whether the group is a forum; defaults to true when `threadId` is given. */
  isForum?: boolean;
}

/**
 * `MessageGenerationStopped` (Bot API 10.3): the user pressed Stop under a draft sent with
 * `can_stop`. typegram (telegraf's types) predates it, so it is spelled out here.
 */
export interface MessageGenerationStopped {
  chat: Chat.PrivateChat;
  message_thread_id?: number;
  draft_id: number;
}

/** An update carrying `stopped_message_generation`, see {@link UpdateFactory.stoppedGeneration}. */
export interface StoppedGenerationUpdate {
  update_id: number;
  stopped_message_generation: MessageGenerationStopped;
}

/** The update kinds {@link UpdateFactory.unhandled} can build. */
export type UnhandledKind = 'poll' | 'edited_message' | 'message_reaction';

/**
 * Builds updates with an `update_id` that grows by one per update (starting at
 * `startUpdateId`, default 1) and message ids that grow per chat.
 */
export class UpdateFactory {
  private nextUpdateId: number;
  private callbackCount = 0;
  private fileCount = 0;
  private mediaGroupCount = 0;

  /**
   * @param startUpdateId the first `update_id` (default 1)
   * @param history where message ids come from; pass the `FakeTelegram` to share its counters
   */
  constructor(startUpdateId = 1, private readonly history: ChatHistory = new LocalChatHistory()) {
    this.nextUpdateId = startUpdateId;
  }

  /** A private-chat text message from `user` (`chat.id === user.id`). */
  text(user: TgUserLike, text: string): Update.MessageUpdate<Message.TextMessage> {
    const message: Incoming<Message.TextMessage> = { ...this.privateBase(user), text, ...commandEntities(text) };
    return this.messageUpdate(message);
  }

  /**
   * `/command args` in a private chat, with a `bot_command` entity over `/command`.
   *
   * @param command with or without the leading slash: `'start'` or `'/start'`
   */
  command(user: TgUserLike, command: string, args?: string): Update.MessageUpdate<Message.TextMessage> {
    const name = command.startsWith('/') ? command : `/${command}`;
    return this.text(user, args === undefined || args === '' ? name : `${name} ${args}`);
  }

  /** A photo in a private chat, in three sizes with distinct `file_id`s, and an optional caption. */
  photo(user: TgUserLike, caption?: string): Update.MessageUpdate<Message.PhotoMessage> {
    const message: Incoming<Message.PhotoMessage> = {
      ...this.privateBase(user),
      photo: this.photoSizes(),
      ...(caption === undefined ? {} : { caption }),
    };
    return this.messageUpdate(message);
  }

  /**
   * An album of `count` photos in a private chat: one update per part, as Telegram sends them,
   * sharing a `media_group_id`; the caption (if any) on the first part.
   */
  album(user: TgUserLike, count: number, caption?: string): Array<Update.MessageUpdate<Message.PhotoMessage>> {
    const group = this.takeMediaGroupId();
    return Array.from({ length: count }, (_, i) => {
      const message: Incoming<Message.PhotoMessage> = {
        ...this.privateBase(user),
        photo: this.photoSizes(),
        media_group_id: group,
        ...(i === 0 && caption !== undefined ? { caption } : {}),
      };
      return this.messageUpdate(message);
    });
  }

  /** An album of `count` photos in a group (a topic, a reply), like {@link album}. */
  groupAlbum(chatId: number, from: TgUserLike, count: number, opts: GroupMessageOptions & { caption?: string } = {}): Array<Update.MessageUpdate<Message.PhotoMessage>> {
    const group = this.takeMediaGroupId();
    return Array.from({ length: count }, (_, i) => {
      const message: Incoming<Message.PhotoMessage> = {
        ...this.groupBase(chatId, from, opts),
        photo: this.photoSizes(),
        media_group_id: group,
        ...(i === 0 && opts.caption !== undefined ? { caption: opts.caption } : {}),
      };
      return this.messageUpdate(message);
    });
  }

  /**
   * The `edited_message` update Telegram sends when the sender of `original` edits it: the same
   * message (same `message_id`, chat, topic, reply) with the new text (or, for a media message,
   * the new caption) and `edit_date`. The edited version is remembered, so a copy made later
   * shows it, as in Telegram.
   */
  edited(original: { message: Message }, change: { text?: string; caption?: string }): { update_id: number; edited_message: Message } {
    const edited = { ...original.message, ...change, edit_date: unixNow() } as Message;
    if (change.text !== undefined) delete (edited as { entities?: unknown }).entities;
    if (change.caption !== undefined) delete (edited as { caption_entities?: unknown }).caption_entities;
    this.history.remember(edited);
    return { update_id: this.takeUpdateId(), edited_message: edited };
  }

  /**
   * A `callback_query` from an inline button.
   *
   * @param message the message carrying the button; when the history knows it (the bot sent it
   *   through the fake) it is embedded whole, otherwise a minimal message from the bot's side.
   *   Without `message` the query looks like one from an inline-mode message (`inline_message_id`).
   */
  callback(user: TgUserLike, data: string, message?: { chatId: number; messageId: number }): Update.CallbackQueryUpdate {
    this.callbackCount += 1;
    const base = {
      id: `cbq-${user.id}-${this.callbackCount}`,
      from: toUser(user),
      chat_instance: `ci-${message?.chatId ?? user.id}`,
      data,
    };
    const query: CallbackQuery.DataQuery =
      message === undefined
        ? { ...base, inline_message_id: `inline-${this.callbackCount}` }
        : {
            ...base,
            message: this.history.findMessage(message.chatId, message.messageId) ?? {
              message_id: message.messageId,
              date: unixNow(),
              chat: message.chatId > 0 ? privateChat(user) : supergroup(message.chatId, false),
              text: '',
            },
          };
    return { update_id: this.takeUpdateId(), callback_query: query };
  }

  /**
   * A text message in a group (e.g. the operators' group) by `from`. In a forum topic it carries
   * `message_thread_id` and `is_topic_message`, and, like Telegram, a `reply_to_message` pointing
   * at the topic's root message unless it replies to another message. Commands get a
   * `bot_command` entity.
   */
  groupText(
    chatId: number,
    from: TgUserLike,
    text: string,
    opts: GroupMessageOptions = {},
  ): Update.MessageUpdate<Message.TextMessage> {
    const message: Incoming<Message.TextMessage> = { ...this.groupBase(chatId, from, opts), text, ...commandEntities(text) };
    return this.messageUpdate(message);
  }

  /** A photo in a group, optionally in a topic, replying to a message, with a caption. */
  groupPhoto(
    chatId: number,
    from: TgUserLike,
    opts: { threadId?: number; replyToMessageId?: number; caption?: string } = {},
  ): Update.MessageUpdate<Message.PhotoMessage> {
    const message: Incoming<Message.PhotoMessage> = {
      ...this.groupBase(chatId, from, opts),
      photo: this.photoSizes(),
      ...(opts.caption === undefined ? {} : { caption: opts.caption }),
    };
    return this.messageUpdate(message);
  }

  /**
   * An update kind a support bot does not handle: a `poll` (default), an `edited_message`
   * (an edit of an earlier private message) or a `message_reaction`.
   */
  unhandled(kind: UnhandledKind = 'poll'): Update {
    const update_id = this.takeUpdateId();
    const someone: TgUserLike = { id: 424242, first_name: 'Someone' };
    switch (kind) {
      case 'edited_message': {
        const edited: Update.Edited & Update.NonChannel & Message.TextMessage = {
          ...this.privateBase(someone),
          text: 'edited text',
          edit_date: unixNow(),
        };
        return { update_id, edited_message: edited };
      }
      case 'message_reaction':
        return {
          update_id,
          message_reaction: {
            chat: privateChat(someone),
            message_id: 1,
            user: toUser(someone),
            date: unixNow(),
            old_reaction: [],
            new_reaction: [{ type: 'emoji', emoji: '👍' }],
          },
        };
      case 'poll':
        return {
          update_id,
          poll: {
            id: `poll-${update_id}`,
            question: 'Which option?',
            options: [
              { text: 'A', voter_count: 1 },
              { text: 'B', voter_count: 0 },
            ],
            total_voter_count: 1,
            is_closed: false,
            is_anonymous: true,
            type: 'regular',
            allows_multiple_answers: false,
          },
        };
    }
  }

  /**
   * `user` pressed Stop under the draft `draftId` the bot was streaming in their private chat
   * (optionally in a thread): the update kind `stopped_message_generation` of Bot API 10.3. It
   * arrives only if `allowed_updates` lists it.
   */
  stoppedGeneration(user: TgUserLike, draftId: number, threadId?: number): StoppedGenerationUpdate {
    return {
      update_id: this.takeUpdateId(),
      stopped_message_generation: {
        chat: privateChat(user),
        ...(threadId === undefined ? {} : { message_thread_id: threadId }),
        draft_id: draftId,
      },
    };
  }

  private takeMediaGroupId(): string {
    this.mediaGroupCount += 1;
    return `album-${this.nextUpdateId}-${this.mediaGroupCount}`;
  }

  private takeUpdateId(): number {
    const id = this.nextUpdateId;
    this.nextUpdateId += 1;
    return id;
  }

  private messageUpdate<M extends Message>(message: Incoming<M>): Update.MessageUpdate<M> {
    this.history.remember(message);
    return { update_id: this.takeUpdateId(), message };
  }

  private privateBase(user: TgUserLike): Incoming<Message.CommonMessage> {
    return {
      message_id: this.history.nextMessageId(user.id),
      from: toUser(user),
      chat: privateChat(user),
      date: unixNow(),
    };
  }

  private groupBase(
    chatId: number,
    from: TgUserLike,
    opts: { threadId?: number; replyToMessageId?: number; isForum?: boolean },
  ): Incoming<Message.CommonMessage> {
    const isForum = opts.isForum ?? opts.threadId !== undefined;
    const chat = supergroup(chatId, isForum);
    const base: Incoming<Message.CommonMessage> = {
      message_id: this.history.nextMessageId(chatId),
      from: toUser(from),
      chat,
      date: unixNow(),
    };
    if (opts.threadId !== undefined) {
      base.message_thread_id = opts.threadId;
      if (isForum) base.is_topic_message = true;
    }
    const replyTo =
      opts.replyToMessageId !== undefined
        ? this.history.findMessage(chatId, opts.replyToMessageId) ?? {
            message_id: opts.replyToMessageId,
            date: unixNow(),
            chat,
            text: '',
            ...(opts.threadId === undefined ? {} : { message_thread_id: opts.threadId }),
          }
        : isForum && opts.threadId !== undefined
          ? this.history.findMessage(chatId, opts.threadId) ?? topicRootMessage(chat, opts.threadId)
          : undefined;
    // A message embedded in reply_to_message never carries its own reply_to_message.
    if (replyTo !== undefined) base.reply_to_message = withoutReply(replyTo);
    return base;
  }

  private photoSizes(): PhotoSize[] {
    this.fileCount += 1;
    const n = this.fileCount;
    return [
      { file_id: `photo-${n}-s`, file_unique_id: `uphoto-${n}-s`, width: 90, height: 90, file_size: 1200 },
      { file_id: `photo-${n}-m`, file_unique_id: `uphoto-${n}-m`, width: 320, height: 320, file_size: 15000 },
      { file_id: `photo-${n}-x`, file_unique_id: `uphoto-${n}-x`, width: 1280, height: 1280, file_size: 120000 },
    ];
  }
}

function commandEntities(text: string): { entities?: MessageEntity[] } {
  const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text)?.[0];
  return command === undefined ? {} : { entities: [{ type: 'bot_command', offset: 0, length: command.length }] };
}

/** A message as it arrives in a `message` update: not edited, not in a channel. */
type Incoming<M extends Message.ServiceMessage> = Update.New & Update.NonChannel & M;

type ReplyMessage = NonNullable<Message.CommonMessage['reply_to_message']>;

function withoutReply(message: Message): ReplyMessage {
  const copy: Message & { reply_to_message?: unknown } = { ...message };
  delete copy.reply_to_message;
  // typegram's ReplyMessage is Message minus reply_to_message, which `copy` now is.
  return copy as ReplyMessage;
}
