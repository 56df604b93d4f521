/**
 * What the sandbox page draws, as `GET /sandbox/api/state` answers it: people, chats, messages,
 * buttons, topics; the people the page starts with; and the small conversions from Bot API
 * parameters (HTML or plain text, `reply_markup`) to what is drawn. No I/O.
 */
import { escapeHtml } from '../text';

/** An inline button as drawn under a message. */
export interface ShownButton {
  text: string;
  /** `callback_data`, sent back when the button is pressed; absent for URL buttons. */
  data?: string;
  url?: string;
}

/** One message in a chat, as the page draws it. */
export interface ShownMessage {
  /** The message's id in its chat (Telegram numbers messages per chat). */
  id: number;
  /** Who wrote it: the bot, the chat's user, or an operator (in the group). */
  from: 'bot' | 'user' | 'operator';
  author: string;
  /** Telegram HTML (the bot's formatting as sent; other texts escaped): the page keeps only Telegram's tags. */
  html: string;
  buttons: ShownButton[][];
  /** Unix ms when it was sent, or last edited. */
  at: number;
  edited: boolean;
}

/** A person on the page: a user in a private chat with the bot, or an operator in the group. */
export interface SandboxPerson {
  id: number;
  firstName: string;
  username?: string;
  /** The user's `language_code`; operators have none. */
  lang?: 'ru' | 'en';
}

/** A topic of the operators' group (a forum): one per dialog. */
export interface ShownTopic {
  threadId: number;
  name: string;
  closed: boolean;
  messages: ShownMessage[];
}

/** A short notice a button press brought back (`answerCallbackQuery` with a text). */
export interface ShownToast {
  text: string;
  at: number;
}

/** The whole screen, as `GET /sandbox/api/state` answers it. */
export interface SandboxState {
  /** Grows with every change; the page asks for changes after the version it has. */
  version: number;
  users: Array<SandboxPerson & { messages: ShownMessage[]; draft: { html: string; at: number } | null; typing: boolean; toasts: ShownToast[] }>;
  operators: Array<SandboxPerson & { toasts: ShownToast[] }>;
  group: { chatId: number; title: string; general: ShownMessage[]; topics: ShownTopic[] };
}

/** The operators on the page: members of the operators' group (Boris administers it). */
export const SANDBOX_OPERATORS: readonly SandboxPerson[] = [
  { id: 501, firstName: 'Anna', username: 'anna_support' },
  { id: 502, firstName: 'Boris', username: 'boris_support' },
];

/** The users the page starts with; "+ user" adds more. */
export const SANDBOX_USERS: readonly SandboxPerson[] = [
  { id: 1001, firstName: 'Alice', username: 'alice', lang: 'en' },
  { id: 1002, firstName: 'Иван', username: 'ivan', lang: 'ru' },
];

/** The text as Telegram HTML: HTML as sent (the page keeps only Telegram's tags), anything else escaped. */
export function htmlOf(text: unknown, parseMode: unknown): string {
  const source = text === undefined || text === null ? '' : String(text);
  return typeof parseMode === 'string' && parseMode.toLowerCase() === 'html' ? source : escapeHtml(source);
}

/** The inline keyboard of a `reply_markup` as rows of buttons (none for other markups). */
export function buttonsOf(replyMarkup: unknown): ShownButton[][] {
  const markup = jsonParam(replyMarkup) as { inline_keyboard?: unknown } | undefined;
  if (!markup || !Array.isArray(markup.inline_keyboard)) return [];
  return markup.inline_keyboard.map((row: unknown) =>
    (Array.isArray(row) ? row : []).map((b: { text?: unknown; callback_data?: unknown; url?: unknown }) => ({
      text: String(b.text ?? ''),
      ...(typeof b.callback_data === 'string' ? { data: b.callback_data } : {}),
      ...(typeof b.url === 'string' ? { url: b.url } : {}),
    })),
  );
}

/** Objects arrive as JSON strings in form bodies. */
function jsonParam(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** A list parameter (`message_ids`), from JSON or a form field. */
export function arrayParam(value: unknown): unknown[] {
  const parsed = jsonParam(value);
  return Array.isArray(parsed) ? parsed : [];
}

/** An integer parameter, from a JSON number or a form field. */
export function intOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}
