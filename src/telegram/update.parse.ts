import { findCommand, parseCommandText, splitCommandArg, type CommandSpec } from './commands.registry';
import type { EditedContent } from '../machines/dialog.types';
import { MEDIA_KINDS, type TgEntity, type TgMessage, type TgUpdate, type TgUser } from './update.types';

/** Where in the operators' chat a message was written. */
export interface Place {
  threadId?: number;
  replyTo?: number;
}

/** A media file a message carries; `group`: the album it is part of (`media_group_id`). */
export interface MediaRef {
  kind: string;
  fileId?: string;
  group?: string;
}

/**
 * What an update means, before anything is looked up: who did what, and where. Pure: the router
 * ({@link IntentRouter}) turns an intent into dialog events and replies.
 */
export type Intent =
  | { kind: 'user.command'; chatId: number; from: TgUser; command: CommandSpec }
  /** An operators' command sent in a private chat. */
  | { kind: 'user.misplacedCommand'; chatId: number; from: TgUser }
  | { kind: 'user.message'; chatId: number; from: TgUser; messageId: number; text: string; media?: MediaRef; mediaGroupId?: string }
  /** The user edited a message (`edited_message`): its new text, or a media's new caption. */
  | { kind: 'user.edited'; chatId: number; from: TgUser; messageId: number; edit: EditedContent }
  | { kind: 'user.button'; chatId: number; from: TgUser; data: string; callbackId: string; messageId: number | null }
  | { kind: 'user.left'; chatId: number }
  /** The user pressed Stop on the draft of an answer being written. */
  | { kind: 'user.stop'; chatId: number; draftId: number }
  /** `rest`: the argument's words after the dialog number (an @username, a reason); `mentioned`: a user the text names by a text mention. */
  | { kind: 'operator.command'; from: TgUser; command: CommandSpec; dialogNumber: number | null; rest: string; mentioned?: TgUser; message: TgMessage; place: Place }
  | { kind: 'operator.button'; from: TgUser; data: string; callbackId: string }
  | { kind: 'operator.message'; from: TgUser; message: TgMessage; place: Place }
  /** An operator edited a message in the operators' chat. */
  | { kind: 'operator.edited'; from: TgUser; message: TgMessage; place: Place; edit: EditedContent }
  | { kind: 'none'; why: string };

/**
 * Reads one update: user messages, commands and buttons in private chats; operators' commands,
 * buttons and messages in the operators' chat; a user who blocked the bot. Anything else is
 * `none`, with the reason, for the log.
 */
export function parseUpdate(update: TgUpdate, operatorChatId: number): Intent {
  const query = update.callback_query;
  if (query) {
    const chat = query.message?.chat;
    if (chat?.id === operatorChatId) return { kind: 'operator.button', from: query.from, data: query.data ?? '', callbackId: query.id };
    return {
      kind: 'user.button',
      chatId: chat?.id ?? query.from.id,
      from: query.from,
      data: query.data ?? '',
      callbackId: query.id,
      messageId: query.message?.message_id ?? null,
    };
  }
  const stop = update.stopped_message_generation;
  if (stop) return stop.chat.type === 'private' ? { kind: 'user.stop', chatId: stop.chat.id, draftId: stop.draft_id } : { kind: 'none', why: 'a stop outside a private chat' };
  const member = update.my_chat_member;
  if (member) {
    const left = member.new_chat_member.status === 'kicked' || member.new_chat_member.status === 'left';
    return member.chat.type === 'private' && left ? { kind: 'user.left', chatId: member.chat.id } : { kind: 'none', why: 'membership change' };
  }
  const edited = update.edited_message;
  if (edited) return parseEdit(edited, operatorChatId);
  const message = update.message;
  if (!message) return { kind: 'none', why: 'not a message' };
  if (!message.from || message.from.is_bot) return { kind: 'none', why: 'from a bot' };
  const from = message.from;
  const parsed = parseCommandText(message.text);
  const command = parsed ? findCommand(parsed.name) : undefined;

  if (message.chat.id === operatorChatId) {
    const place: Place = { threadId: message.is_topic_message ? message.message_thread_id : undefined, replyTo: message.message_id };
    if (parsed) {
      if (command?.audience !== 'operator') return { kind: 'none', why: 'a command not for operators' };
      // A command about a user, not a dialog (`/unban 1001`): its whole argument names the user.
      const { dialogNumber, rest } = command.args === 'user' ? { dialogNumber: null, rest: parsed.arg?.trim() ?? '' } : splitCommandArg(parsed.arg);
      const mentioned = message.entities?.find((e) => e.type === 'text_mention' && e.user)?.user;
      return { kind: 'operator.command', from, command, dialogNumber, rest, mentioned, message, place };
    }
    return { kind: 'operator.message', from, message, place };
  }
  if (message.chat.type !== 'private') return { kind: 'none', why: 'a group that is not the operators\'' };
  const chatId = message.chat.id;
  if (command?.audience === 'user') return { kind: 'user.command', chatId, from, command };
  if (command?.audience === 'operator') return { kind: 'user.misplacedCommand', chatId, from };
  return {
    kind: 'user.message', chatId, from, messageId: message.message_id, text: message.text ?? message.caption ?? '', media: mediaOf(message),
    ...(message.media_group_id ? { mediaGroupId: message.media_group_id } : {}),
  };
}

/**
 * An `edited_message`: the user's in their private chat, an operator's in the operators' chat.
 * What the copy needs: the new text with its formatting, or the media's new caption. An edit of a
 * command is nothing (the command ran as first sent).
 */
function parseEdit(message: TgMessage, operatorChatId: number): Intent {
  if (!message.from || message.from.is_bot) return { kind: 'none', why: 'an edit from a bot' };
  if (parseCommandText(message.text)) return { kind: 'none', why: 'an edited command' };
  const media = mediaOf(message) !== undefined;
  const edit: EditedContent = {
    text: (media ? message.caption : message.text) ?? '',
    entities: plainEntities(media ? message.caption_entities : message.entities),
    media,
  };
  if (message.chat.id === operatorChatId) {
    const place: Place = { threadId: message.is_topic_message ? message.message_thread_id : undefined, replyTo: message.message_id };
    return { kind: 'operator.edited', from: message.from, message, place, edit };
  }
  if (message.chat.type !== 'private') return { kind: 'none', why: 'an edit in a group that is not the operators\'' };
  return { kind: 'user.edited', chatId: message.chat.id, from: message.from, messageId: message.message_id, edit };
}

/** Entities as the Bot API takes them back (`editMessageText`'s `entities`): only well-formed ones, at most 100. */
function plainEntities(entities: TgEntity[] | undefined): EditedContent['entities'] {
  if (!Array.isArray(entities)) return undefined;
  const kept = entities
    .filter((e) => typeof e?.type === 'string' && Number.isInteger(e.offset) && Number.isInteger(e.length))
    .slice(0, 100)
    .map((e) => ({
      type: e.type, offset: e.offset, length: e.length,
      ...(typeof e.url === 'string' ? { url: e.url } : {}),
      ...(typeof e.language === 'string' ? { language: e.language } : {}),
      ...(typeof e.custom_emoji_id === 'string' ? { custom_emoji_id: e.custom_emoji_id } : {}),
      ...(e.user && Number.isSafeInteger(e.user.id) ? { user: { id: e.user.id, is_bot: Boolean(e.user.is_bot), first_name: e.user.first_name ?? '' } } : {}),
    }));
  return kept.length ? kept : undefined;
}

/** The media a message carries (the largest photo size). */
export function mediaOf(message: TgMessage): MediaRef | undefined {
  for (const kind of MEDIA_KINDS) {
    const value = message[kind];
    if (!value) continue;
    const fileId = Array.isArray(value) ? value.at(-1)?.file_id : value.file_id;
    return { kind, fileId, ...(message.media_group_id ? { group: message.media_group_id } : {}) };
  }
  return undefined;
}

/** An operator's display name: first and last name, else the username. */
export function operatorName(user: TgUser): string {
  return [user.first_name, user.last_name].filter(Boolean).join(' ') || user.username || `operator ${user.id}`;
}
