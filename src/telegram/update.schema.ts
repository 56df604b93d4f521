import { z } from 'zod';
import type { TgUpdate } from './update.types';
import { storableJson } from './storable.json';

/**
 * The zod schema of the parts of a Telegram update the service reads (see the Bot API's Update,
 * Message, CallbackQuery, ChatMemberUpdated), checked before an update is stored, at the webhook
 * and in polling mode alike. An update that does not fit would fail in a worker every time it is
 * tried, holding its chat up behind it: it is set aside at the door instead.
 *
 * Objects are loose: fields the service does not read pass through as sent. Ids are safe
 * integers (a Telegram id has at most 52 significant bits); strings are bounded generously, so a
 * future Telegram limit (Premium captions are longer) does not turn real messages away.
 */

const id = z.int();
/** Message and topic ids are 32-bit in Telegram (and `dialogs.topic_thread_id` is an integer column). */
const messageId = z.int().min(0).max(2_147_483_647);
const shortString = z.string().max(256);
const longText = z.string().max(16_384);

const user = z.looseObject({
  id,
  is_bot: z.boolean().optional(),
  first_name: shortString.optional(),
  last_name: shortString.optional(),
  username: shortString.optional(),
  language_code: z.string().max(35).optional(),
});
const chat = z.looseObject({ id, type: z.string().max(32), is_forum: z.boolean().optional() });
const file = z.looseObject({ file_id: z.string().max(1024) });

const message = z.looseObject({
  message_id: messageId,
  chat,
  from: user.optional(),
  text: longText.optional(),
  caption: longText.optional(),
  message_thread_id: messageId.optional(),
  is_topic_message: z.boolean().optional(),
  reply_to_message: z.looseObject({ message_id: messageId }).optional(),
  media_group_id: z.string().max(64).optional(),
  edit_date: z.int().optional(),
  photo: z.array(file).max(32).optional(),
  document: file.optional(),
  voice: file.optional(),
  audio: file.optional(),
  video: file.optional(),
  video_note: file.optional(),
  sticker: file.optional(),
  animation: file.optional(),
});

/** The update as the service reads it; kinds it does not handle are not looked into. */
const updateSchema = z.looseObject({
  update_id: z.int().nonnegative(),
  message: message.optional(),
  edited_message: message.optional(),
  callback_query: z
    .looseObject({
      id: z.string().min(1).max(256),
      from: user,
      data: z.string().max(256).optional(),
      // An inaccessible message (too old) still has chat and message_id, with date 0.
      message: message.optional(),
    })
    .optional(),
  stopped_message_generation: z
    .looseObject({ chat, message_thread_id: messageId.optional(), draft_id: z.int().min(1).max(2_147_483_647) })
    .optional(),
  my_chat_member: z
    .looseObject({
      chat,
      from: user,
      new_chat_member: z.looseObject({ status: z.string().max(32) }),
    })
    .optional(),
});

/** Stable reasons an update is turned away; the metric's `reason` label takes these values only. */
export type RejectReason = 'not_an_update' | 'too_deep' | 'invalid';

/** The outcome of {@link checkUpdate}. */
export type ParsedUpdate =
  | { ok: true; update: TgUpdate; kind: UpdateKind; sanitised: boolean }
  | {
      ok: false;
      reason: RejectReason;
      /** The first problem, in words (a path and zod's message), without the value itself. */
      detail: string;
      /** Null when the body has no usable update_id (then nothing can be stored under it). */
      updateId: number | null;
      kind: UpdateKind;
      /** The body made storable, when it can be (not when it is too deep). */
      payload: unknown;
    };

/** The update kinds of Bot API 10.1's Update, plus `other` and `empty`: a bounded label set for metrics. */
export const UPDATE_KINDS = [
  'message', 'edited_message', 'channel_post', 'edited_channel_post', 'business_connection', 'business_message',
  'edited_business_message', 'deleted_business_messages', 'guest_message', 'message_reaction', 'message_reaction_count',
  'inline_query', 'chosen_inline_result', 'callback_query', 'shipping_query', 'pre_checkout_query', 'purchased_paid_media',
  'poll', 'poll_answer', 'my_chat_member', 'chat_member', 'chat_join_request', 'chat_boost', 'removed_chat_boost',
  'managed_bot', 'stopped_message_generation', 'other', 'empty',
] as const;
/** One of {@link UPDATE_KINDS}. */
export type UpdateKind = (typeof UPDATE_KINDS)[number];
const KNOWN_KINDS = new Set<string>(UPDATE_KINDS);

/**
 * The kind of an update: its first field other than update_id (message, callback_query…), or
 * `other` for a field the Bot API does not define, so a hostile body cannot grow the metrics'
 * label set.
 */
export function updateKind(update: unknown): UpdateKind {
  if (update === null || typeof update !== 'object' || Array.isArray(update)) return 'other';
  const key = Object.keys(update).find((k) => k !== 'update_id');
  if (key === undefined) return 'empty';
  return KNOWN_KINDS.has(key) ? (key as UpdateKind) : 'other';
}

/**
 * Checks a parsed JSON body as a Telegram update: bounded depth, strings made storable (NUL
 * removed, lone surrogates replaced), then the schema above. Never throws.
 *
 * @example
 * const parsed = checkUpdate(ctx.request.body);
 * if (!parsed.ok) await inbox.reject({ updateId: parsed.updateId, reason: parsed.reason, ... });
 */
export function checkUpdate(body: unknown): ParsedUpdate {
  const kind = updateKind(body);
  const rawId = body !== null && typeof body === 'object' ? (body as { update_id?: unknown }).update_id : undefined;
  const updateId = typeof rawId === 'number' && Number.isSafeInteger(rawId) && rawId >= 0 ? rawId : null;
  if (updateId === null || Array.isArray(body)) {
    return { ok: false, reason: 'not_an_update', detail: 'update_id is missing or not a non-negative integer', updateId: null, kind, payload: null };
  }
  const storable = storableJson(body);
  if (!storable.ok) return { ok: false, reason: storable.reason, detail: storable.detail, updateId, kind, payload: null };
  const parsed = updateSchema.safeParse(storable.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join('.') || 'update';
    return { ok: false, reason: 'invalid', detail: `${where}: ${issue?.message ?? 'invalid'}`.slice(0, 300), updateId, kind, payload: storable.value };
  }
  return { ok: true, update: parsed.data as TgUpdate, kind, sanitised: storable.changed };
}
