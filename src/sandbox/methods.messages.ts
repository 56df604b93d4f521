/**
 * The emulator's message methods: sending text, photos and documents, copying, editing and
 * deleting messages, with Telegram's checks (formatting, lengths, buttons, blocked chats,
 * deleted topics) and result shapes.
 */
import type { Message, PhotoSize, User } from 'telegraf/types';
import {
  badRequest,
  checkButtons,
  isUpload,
  jsonParam,
  renderChecked,
  requireChat,
  requireInt,
  sameMarkup,
  type Params,
} from './api.refusal';
import { supergroup, unixNow } from './chat.history';
import type { EmulatorWorld } from './emulator.world';
import { isRecord } from './http.body';

/** One Bot API method: its parameters and the bot answering, to its `result` (or a thrown ApiRefusal). */
export type MethodHandler = (params: Params, bot: User) => unknown;

/** The message methods over `world`. */
export function messageMethods(world: EmulatorWorld): Record<string, MethodHandler> {
  const ok = (): true => true;
  const caption = (params: Params): { caption?: string } =>
    params.caption === undefined ? {} : { caption: renderChecked(params.caption, params.parse_mode, 'caption') };

  const photoSizes = (): PhotoSize[] => {
    world.fileCount += 1;
    const n = world.fileCount;
    return [
      { file_id: `sent-photo-${n}-s`, file_unique_id: `usent-photo-${n}-s`, width: 90, height: 90, file_size: 1200 },
      { file_id: `sent-photo-${n}-x`, file_unique_id: `usent-photo-${n}-x`, width: 1280, height: 1280, file_size: 120000 },
    ];
  };

  /**
   * Copies a message into `chatId` and returns the copy's id; the copy is remembered when its
   * source is known. `album`: the new album the copy belongs to (copyMessages keeps albums
   * together); a copy made alone is in no album. A copy is not marked edited.
   */
  const copyInto = (chatId: number, params: Params, messageId: number, bot: User, album?: string): number => {
    const base = world.messageBase(chatId, params, bot);
    const source = world.history.findMessage(requireChat(params.from_chat_id, 'from_chat_id'), messageId);
    if (source !== undefined) {
      const { message_id: _id, chat: _chat, from: _from, date: _date, reply_to_message: _reply, media_group_id: _group, edit_date: _edited, ...content } =
        source as Message & { from?: User; reply_to_message?: unknown; media_group_id?: string; edit_date?: number };
      world.store({ ...content, ...base, ...(album === undefined ? {} : { media_group_id: album }), ...(params.caption === undefined ? {} : caption(params)) });
    }
    return base.message_id;
  };
  let albums = 0;

  const edit = (
    params: Params,
    bot: User,
    diff: (old: Message | undefined) => { same: boolean; changes: Record<string, unknown> },
  ): unknown => {
    checkButtons(params.reply_markup);
    if (params.inline_message_id !== undefined) return true;
    const chatId = requireChat(params.chat_id, 'chat_id');
    const messageId = requireInt(params.message_id, 'message_id');
    const old = world.history.findMessage(chatId, messageId);
    const { same, changes } = diff(old);
    if (same) {
      throw badRequest(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    const markup = jsonParam(params.reply_markup);
    const { reply_markup: _oldMarkup, ...kept } = (old ?? {
      message_id: messageId,
      from: bot,
      chat: chatId > 0 ? { id: chatId, type: 'private', first_name: `User ${chatId}` } : supergroup(chatId, false),
      date: unixNow(),
    }) as Record<string, unknown>;
    return world.store({
      ...kept,
      ...changes,
      message_id: messageId,
      edit_date: unixNow(),
      ...(isRecord(markup) && Array.isArray(markup.inline_keyboard) ? { reply_markup: markup } : {}),
    });
  };

  return {
    sendMessage: (params, bot) => {
      const chatId = world.guardSend(params);
      const text = renderChecked(params.text, params.parse_mode, 'text');
      return world.keepSource(world.store({ ...world.messageBase(chatId, params, bot), text }), params);
    },
    sendPhoto: (params, bot) => {
      const chatId = world.guardSend(params);
      if (params.photo === undefined || params.photo === '') throw badRequest('there is no photo in the request');
      return world.store({ ...world.messageBase(chatId, params, bot), photo: photoSizes(), ...caption(params) });
    },
    sendDocument: (params, bot) => {
      const chatId = world.guardSend(params);
      const document = params.document;
      if (document === undefined || document === '') throw badRequest('there is no document in the request');
      world.fileCount += 1;
      const upload = isUpload(document) ? document : undefined;
      return world.store({
        ...world.messageBase(chatId, params, bot),
        document: {
          file_id: typeof document === 'string' ? document : `document-${world.fileCount}`,
          file_unique_id: `udocument-${world.fileCount}`,
          file_name: upload?.filename ?? 'document',
          ...(upload?.contentType === undefined ? {} : { mime_type: upload.contentType }),
          ...(upload === undefined ? {} : { file_size: upload.size }),
        },
        ...caption(params),
      });
    },
    copyMessage: (params, bot) => {
      const chatId = world.guardSend(params);
      const messageId = requireInt(params.message_id, 'message_id');
      requireChat(params.from_chat_id, 'from_chat_id');
      return { message_id: copyInto(chatId, params, messageId, bot) };
    },
    copyMessages: (params, bot) => {
      const chatId = world.guardSend(params);
      requireChat(params.from_chat_id, 'from_chat_id');
      const from = requireChat(params.from_chat_id, 'from_chat_id');
      const raw = jsonParam(params.message_ids);
      if (!Array.isArray(raw) || raw.length === 0) throw badRequest('message identifiers are not specified');
      if (raw.length > 100) throw badRequest('too many messages to copy');
      const ids = raw.map((id) => requireInt(id, 'message_ids'));
      // The Bot API: "The identifiers must be specified in a strictly increasing order."
      if (ids.some((id, i) => i > 0 && id <= ids[i - 1]!)) throw badRequest('message identifiers must be in strictly increasing order');
      // Album grouping is kept: the copies of one album's parts share a new media_group_id.
      const groups = new Map<string, string>();
      return ids.map((id) => {
        const group = (world.history.findMessage(from, id) as { media_group_id?: string } | undefined)?.media_group_id;
        if (group !== undefined && !groups.has(group)) groups.set(group, `copied-album-${(albums += 1)}`);
        return { message_id: copyInto(chatId, params, id, bot, group === undefined ? undefined : groups.get(group)) };
      });
    },
    editMessageText: (params, bot) => {
      const text = renderChecked(params.text, params.parse_mode, 'text');
      const entities = jsonParam(params.entities);
      const edited = edit(params, bot, (old) => {
        if (isRecord(old) && old.text === undefined) throw badRequest('there is no text in the message to edit');
        const same = isRecord(old) && old.text === text && sameMarkup(old.reply_markup, params.reply_markup);
        return { same, changes: { text, ...(Array.isArray(entities) ? { entities } : {}) } };
      });
      return edited === true ? edited : world.keepSource(edited as Message, params);
    },
    editMessageCaption: (params, bot) => {
      const text = params.caption === undefined ? undefined : renderChecked(params.caption, params.parse_mode, 'caption');
      return edit(params, bot, (old) => {
        if (isRecord(old) && old.text !== undefined) throw badRequest('there is no caption in the message to edit');
        const same = isRecord(old) && old.caption === text && sameMarkup(old.reply_markup, params.reply_markup);
        return { same, changes: { caption: text } };
      });
    },
    editMessageReplyMarkup: (params, bot) =>
      edit(params, bot, (old) => ({ same: isRecord(old) && sameMarkup(old.reply_markup, params.reply_markup), changes: {} })),
    deleteMessage: (params) => {
      const chatId = requireChat(params.chat_id, 'chat_id');
      world.history.forget(chatId, requireInt(params.message_id, 'message_id'));
      return true;
    },
    deleteMessages: (params) => {
      const chatId = requireChat(params.chat_id, 'chat_id');
      const ids = jsonParam(params.message_ids);
      if (Array.isArray(ids)) for (const id of ids) world.history.forget(chatId, Number(id));
      return true;
    },
    pinChatMessage: ok,
    unpinChatMessage: ok,
    setMessageReaction: ok,
  };
}
