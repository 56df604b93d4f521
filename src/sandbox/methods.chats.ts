/**
 * The emulator's methods about the bot, chats, members, menus, callbacks and forum topics:
 * `getMe`, `getChat`, `getChatMember`, `getFile`, the command menus, `answerCallbackQuery`,
 * `sendChatAction` and the forum topic calls (topics only in forums; a topic's
 * `message_thread_id` is the id of the service message that opened it, as in Telegram).
 */
import type { ChatMember, ForumTopic, User } from 'telegraf/types';
import { badRequest, intOf, jsonParam, requireChat, requireInt, type Params } from './api.refusal';
import { DEFAULT_TOPIC_ICON_COLOR, supergroup, topicRootMessage } from './chat.history';
import type { ChatMemberStatus, EmulatorWorld } from './emulator.world';
import type { MethodHandler } from './methods.messages';

/** The bot, chat, member, menu and topic methods over `world`. */
export function chatMethods(world: EmulatorWorld): Record<string, MethodHandler> {
  return {
    getMe: (_params, bot) => ({
      ...bot,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    }),
    setMyCommands: (params) => {
      const commands = jsonParam(params.commands);
      if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required');
      world.commands.set(commandsKey(params), commands);
      return true;
    },
    getMyCommands: (params) => world.commands.get(commandsKey(params)) ?? [],
    deleteMyCommands: (params) => {
      world.commands.delete(commandsKey(params));
      return true;
    },
    answerCallbackQuery: (params) => {
      if (params.callback_query_id === undefined) throw badRequest('query is too old and response timeout expired or query ID is invalid');
      return true;
    },
    sendChatAction: (params) => {
      world.guardSend(params);
      if (params.action === undefined) throw badRequest('wrong parameter action in request');
      return true;
    },
    createForumTopic: (params, bot) => {
      const chatId = requireChat(params.chat_id, 'chat_id');
      const name = typeof params.name === 'string' ? params.name : '';
      if (name === '') throw badRequest('TOPIC_NAME_EMPTY');
      if (name.length > 128) throw badRequest('TOPIC_NAME_INVALID');
      if (!world.isForum(chatId)) throw badRequest('the chat is not a forum');
      const iconColor = intOf(params.icon_color) ?? DEFAULT_TOPIC_ICON_COLOR;
      const threadId = world.history.nextMessageId(chatId);
      const topic = { name, icon_color: iconColor };
      world.topics.set(`${chatId}:${threadId}`, topic);
      world.history.remember(topicRootMessage(supergroup(chatId, true), threadId, topic, bot));
      const result: ForumTopic = { message_thread_id: threadId, ...topic };
      return result;
    },
    editForumTopic: (params) => {
      const key = world.guardTopic(params);
      const topic = world.topics.get(key);
      if (topic !== undefined && typeof params.name === 'string') topic.name = params.name;
      return true;
    },
    closeForumTopic: (params) => (world.guardTopic(params), true),
    reopenForumTopic: (params) => (world.guardTopic(params), true),
    deleteForumTopic: (params) => {
      world.deletedTopics.add(world.guardTopic(params));
      return true;
    },
    getChatMember: (params) => {
      const chatId = requireChat(params.chat_id, 'chat_id');
      const userId = requireInt(params.user_id, 'user_id');
      return chatMember(world.memberStatus(chatId, userId), userId);
    },
    getChat: (params) => {
      const chatId = requireChat(params.chat_id, 'chat_id');
      const common = { accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: noGifts() };
      return chatId > 0
        ? { id: chatId, type: 'private', first_name: `User ${chatId}`, ...common }
        : { ...supergroup(chatId, world.isForum(chatId)), ...common };
    },
    getFile: (params) => {
      const fileId = typeof params.file_id === 'string' ? params.file_id : '';
      if (fileId === '') throw badRequest('invalid file_id');
      return { file_id: fileId, file_unique_id: `u${fileId}`, file_size: 1024, file_path: `files/${fileId}` };
    },
  };
}

function chatMember(status: ChatMemberStatus, userId: number): ChatMember {
  const user: User = { id: userId, is_bot: false, first_name: `User ${userId}` };
  switch (status) {
    case 'creator':
      return { status, user, is_anonymous: false };
    case 'administrator':
      return {
        status,
        user,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: true,
        can_manage_video_chats: true,
        can_restrict_members: true,
        can_promote_members: false,
        can_change_info: true,
        can_invite_users: true,
        can_post_stories: false,
        can_edit_stories: false,
        can_delete_stories: false,
        can_pin_messages: true,
        can_manage_topics: true,
      };
    case 'member':
      return { status, user };
    case 'left':
      return { status, user };
    case 'kicked':
      return { status, user, until_date: 0 };
  }
}

function noGifts(): Record<string, boolean> {
  return { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false, gifts_from_channels: false };
}

function commandsKey(params: Params): string {
  return JSON.stringify([jsonParam(params.scope) ?? { type: 'default' }, params.language_code ?? '']);
}
