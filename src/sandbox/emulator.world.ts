/**
 * The Bot API emulator's world: the chats, their messages, forum topics, members, blocks,
 * the bot's command menus and the drafts on screen. It lives in memory (a restart loses it).
 * The method areas (methods.*.ts) read and change it; the emulator's page API reads it.
 *
 * What a test set up (members, forums, blocks, deleted topics, commands, draft refusals) is
 * forgotten by {@link EmulatorWorld.resetSettings}; message ids, messages and created topics stay,
 * as they would in Telegram.
 */
import type { Chat, Message, User } from 'telegraf/types';
import { ApiRefusal, badRequest, checkButtons, intOf, jsonParam, requireChat, requireInt, type Params } from './api.refusal';
import { LocalChatHistory, supergroup, unixNow } from './chat.history';
import { isRecord } from './http.body';

/** The statuses a chat member can have, see {@link EmulatorWorld.setChatMember}. */
export type ChatMemberStatus = 'creator' | 'administrator' | 'member' | 'left' | 'kicked';

/**
 * How the emulator refuses `sendMessageDraft`: `method_not_found` is a Bot API server older than
 * 9.3 (404 "Not Found: method not found"); `peer_invalid` is a chat where drafts cannot be shown
 * (400 "Bad Request: TEXTDRAFT_PEER_INVALID", what Telegram answers outside private chats).
 */
export type DraftRefusal = 'method_not_found' | 'peer_invalid';

/**
 * A per-chat flood limit on drafts: a token bucket of `burst` drafts (default 1), refilled one
 * per `minIntervalMs`; a draft with no token left gets 429 with `retry_after` `retryAfter` seconds (default 1).
 */
export interface DraftLimit {
  minIntervalMs: number;
  burst?: number;
  retryAfter?: number;
}

/** The draft a chat shows, see {@link EmulatorWorld.draftIn}. */
export interface ShownDraft {
  /** `Date.now()` when the draft arrived. */
  at: number;
  draftId: number;
  /** The raw `text` parameter as sent ('' is Telegram's "Thinking…" placeholder). */
  text: string;
  parseMode?: string;
  threadId?: number;
}

/** How long Telegram shows a draft that is not updated: "a temporary 30-second preview". */
export const DRAFT_PREVIEW_MS = 30_000;

/** The bot's name and username answered by `getMe` and shown as the sender of its messages. */
export interface BotProfile {
  first_name: string;
  username: string;
}

/** The bot's username when none is configured. */
export const FAKE_BOT_USERNAME = 'support_test_bot';
/** The bot's id when the token does not start with one (Telegram tokens are `<bot id>:<secret>`). */
export const FAKE_BOT_ID = 7000000001;

/** The emulator's in-memory state; see the file comment. */
export class EmulatorWorld {
  /** Every chat's messages (sent by the bot, or built for users and operators by the update factory). */
  readonly history = new LocalChatHistory();
  /** Created forum topics by `chatId:threadId`. */
  readonly topics = new Map<string, { name: string; icon_color: number }>();
  members = new Map<string, ChatMemberStatus>();
  forums = new Map<number, boolean>();
  deletedTopics = new Set<string>();
  blocked = new Set<number>();
  commands = new Map<string, unknown>();
  draftRefusal: DraftRefusal | undefined;
  draftLimit: DraftLimit | undefined;
  draftBuckets = new Map<number, { tokens: number; at: number }>();
  /** The last accepted draft per chat, until the bot sends the chat a message. */
  readonly drafts = new Map<number, ShownDraft>();
  fileCount = 0;
  /**
   * The formatted source of bot messages sent with a `parse_mode` (by `chatId:messageId`): Telegram
   * keeps it as entities, the emulator as the text the bot sent, so the page can render the formatting.
   */
  readonly sources = new Map<string, { text: string; parseMode: string }>();

  constructor(readonly profile: BotProfile = { first_name: 'Support Test Bot', username: FAKE_BOT_USERNAME }) {}

  /** The bot answering: its id is the number before ':' in the token, like in Telegram. */
  botUser(token: string): User {
    const id = /^(\d+):/.exec(token)?.[1];
    return { id: id === undefined ? FAKE_BOT_ID : Number(id), is_bot: true, ...this.profile };
  }

  /** Forgets the settings listed in the file comment; messages and topics stay. */
  resetSettings(): void {
    this.members = new Map();
    this.forums = new Map();
    this.deletedTopics = new Set();
    this.blocked = new Set();
    this.commands = new Map();
    this.draftRefusal = undefined;
    this.draftLimit = undefined;
    this.draftBuckets = new Map();
  }

  /** What `getChatMember(chatId, userId)` answers; unknown members are 'left'. */
  setChatMember(chatId: number, userId: number, status: ChatMemberStatus): void {
    this.members.set(`${chatId}:${userId}`, status);
  }

  /** A member's status in a chat ('left' when unknown). */
  memberStatus(chatId: number, userId: number): ChatMemberStatus {
    return this.members.get(`${chatId}:${userId}`) ?? 'left';
  }

  /** Whether the chat was made a forum. */
  isForum(chatId: number): boolean {
    return this.forums.get(chatId) === true;
  }

  /** The draft `chatId` shows at `now`: the last accepted one, unless older than {@link DRAFT_PREVIEW_MS} or answered. */
  draftIn(chatId: number, now = Date.now()): ShownDraft | undefined {
    const draft = this.drafts.get(chatId);
    return draft === undefined || now - draft.at > DRAFT_PREVIEW_MS ? undefined : draft;
  }

  /** Checks the target of a send (blocked chats, deleted topics, buttons); returns the chat id. */
  guardSend(params: Params): number {
    const chatId = requireChat(params.chat_id, 'chat_id');
    if (this.blocked.has(chatId)) {
      throw new ApiRefusal(
        403,
        chatId > 0 ? 'Forbidden: bot was blocked by the user' : 'Forbidden: bot was kicked from the supergroup chat',
      );
    }
    const thread = intOf(params.message_thread_id);
    if (thread !== undefined && this.deletedTopics.has(`${chatId}:${thread}`)) {
      throw badRequest('message thread not found');
    }
    checkButtons(params.reply_markup);
    return chatId;
  }

  /** Checks a topic call's target; returns the topic's `chatId:threadId` key. */
  guardTopic(params: Params): string {
    const chatId = requireChat(params.chat_id, 'chat_id');
    const key = `${chatId}:${requireInt(params.message_thread_id, 'message_thread_id')}`;
    if (this.deletedTopics.has(key)) throw badRequest('TOPIC_ID_INVALID');
    return key;
  }

  /** The chat object of `chatId` as it appears in messages. */
  chatObject(chatId: number): Chat.PrivateChat | Chat.SupergroupChat {
    return chatId > 0 ? { id: chatId, type: 'private', first_name: `User ${chatId}` } : supergroup(chatId, this.isForum(chatId));
  }

  /** The fields every message the bot sends has: id, sender, chat, date, topic, reply, buttons. */
  messageBase(chatId: number, params: Params, bot: User): Record<string, unknown> & { message_id: number } {
    const isForum = this.isForum(chatId);
    const base: Record<string, unknown> & { message_id: number } = {
      message_id: this.history.nextMessageId(chatId),
      from: bot,
      chat: this.chatObject(chatId),
      date: unixNow(),
    };
    const thread = intOf(params.message_thread_id);
    if (thread !== undefined) {
      base.message_thread_id = thread;
      if (isForum) base.is_topic_message = true;
    }
    const replyParameters = jsonParam(params.reply_parameters);
    const replyTo = intOf(params.reply_to_message_id) ?? (isRecord(replyParameters) ? intOf(replyParameters.message_id) : undefined);
    const replied =
      replyTo !== undefined
        ? this.history.findMessage(chatId, replyTo)
        : isForum && thread !== undefined
          ? this.history.findMessage(chatId, thread)
          : undefined;
    if (replied !== undefined) {
      const { reply_to_message: _nested, ...flat } = replied as Message & { reply_to_message?: unknown };
      base.reply_to_message = flat;
    }
    const markup = jsonParam(params.reply_markup);
    if (isRecord(markup) && Array.isArray(markup.inline_keyboard)) base.reply_markup = markup;
    return base;
  }

  /** Records the formatted source of a sent or edited message, see {@link EmulatorWorld.sources}. */
  keepSource(message: Message, params: Params): Message {
    const key = `${message.chat.id}:${message.message_id}`;
    if (typeof params.parse_mode === 'string' && typeof params.text === 'string') this.sources.set(key, { text: params.text, parseMode: params.parse_mode });
    else this.sources.delete(key);
    return message;
  }

  /** Remembers a message the bot sent (a sent message replaces the chat's draft) and returns it. */
  store(message: Record<string, unknown> & { message_id: number }): Message {
    // Built field by field from the Bot API spec; typegram's Message union is too narrow to build directly.
    const typed = message as unknown as Message;
    this.history.remember(typed);
    if (message.edit_date === undefined) this.drafts.delete(typed.chat.id);
    return typed;
  }
}
