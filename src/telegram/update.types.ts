/**
 * Telegram's updates as the service reads them: the parts of the Bot API's Update, Message and
 * CallbackQuery it uses, the update kinds it asks for, and the lane an update is processed in.
 */
/** The parts of a Telegram update the service reads (see the Bot API's Update, Message, CallbackQuery). */
export interface TgUser {
  id: number;
  is_bot?: boolean;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}
/** A MessageEntity: formatting, a mention; a `text_mention` carries the user it names. */
export interface TgEntity {
  type: string;
  offset: number;
  length: number;
  user?: TgUser;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
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
  /** Mentions and the like; a `text_mention` carries the user it names (members without a username). */
  entities?: TgEntity[];
  /** A media caption's formatting (an edit of a caption keeps it). */
  caption_entities?: TgEntity[];
  /** The parts of an album share it; Telegram sends each part as an update of its own. */
  media_group_id?: string;
  /** Set on an `edited_message`: when it was edited (unix seconds). */
  edit_date?: number;
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
  /** A message the user or an operator edited: the same message_id with its new text or caption. */
  edited_message?: TgMessage;
  callback_query?: { id: string; from: TgUser; data?: string; message?: TgMessage };
  my_chat_member?: { chat: { id: number; type: string }; from: TgUser; new_chat_member: { status: string } };
  /** The user pressed Stop on a draft (Bot API 10.3, MessageGenerationStopped). */
  stopped_message_generation?: { chat: { id: number; type: string }; message_thread_id?: number; draft_id: number };
}

/** Kinds of media a message may carry, as the Bot API names its fields. */
export const MEDIA_KINDS = ['photo', 'document', 'voice', 'audio', 'video', 'video_note', 'sticker', 'animation'] as const;

/** Update kinds the service handles; `setWebhook` and `getUpdates` ask for exactly these. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member', 'stopped_message_generation'] as const;


/**
 * The lane an update is processed in: updates of one lane run one at a time, in update_id order.
 * A user's private chat is one lane; the operators' chat is another (its events reach dialogs
 * under each dialog's own lock). Null: a kind of update the service does not handle.
 */
export function laneOf(update: TgUpdate, operatorChatId: number): string | null {
  const chat = update.message?.chat ?? update.edited_message?.chat ?? update.callback_query?.message?.chat ?? update.my_chat_member?.chat ?? update.stopped_message_generation?.chat;
  if (update.callback_query && !chat) return `chat:${update.callback_query.from.id}`;
  if (!chat) return null;
  if (chat.id === operatorChatId || chat.type === 'private') return `chat:${chat.id}`;
  return null;
}
