/**
 * What the sandbox page draws, as `GET /sandbox/api/state` answers it: the users and their
 * private chats with the bot, the operators, the operators' group with its topics; and the
 * conversion of the emulator's messages ({@link ShownMessage} of sandbox.actions.ts) into what is
 * drawn. No I/O.
 */
import type { Message } from 'telegraf/types';
import { escapeHtml } from '../text';
import type { ShownMessage } from './sandbox.actions';

/** An inline button as drawn under a message. */
export interface ScreenButton {
  text: string;
  /** `callback_data`, sent back when the button is pressed; absent for URL buttons. */
  data?: string;
  url?: string;
}

/** One message in a chat, as the page draws it. */
export interface ScreenMessage {
  /** The message's id in its chat (Telegram numbers messages per chat). */
  id: number;
  /** Who wrote it: the bot, the chat's user, or an operator (in the group). */
  from: 'bot' | 'user' | 'operator';
  author: string;
  /** Telegram HTML (the bot's formatting as sent; other texts escaped): the page keeps only Telegram's tags. */
  html: string;
  buttons: ScreenButton[][];
  /** Unix ms when it was sent, or last edited. */
  at: number;
  edited: boolean;
}

/** A person on the page: a user in a private chat with the bot, or an operator in the group. */
export interface ScreenPerson {
  id: number;
  firstName: string;
  /** The user's `language_code`; operators have none here. */
  lang?: 'ru' | 'en';
}

/** A topic of the operators' group (a forum): one per dialog. */
export interface ScreenTopic {
  threadId: number;
  name: string;
  messages: ScreenMessage[];
}

/** The draft a private chat shows while the bot writes (`sendMessageDraft`). */
export interface ScreenDraft {
  draftId: number;
  html: string;
  /** Unix ms of the last update. */
  at: number;
  /** A Stop button under it (`can_stop`): pressing it sends `stopped_message_generation`. */
  canStop: boolean;
}

/** The whole screen. */
export interface SandboxScreen {
  /** Grows with every change; the page asks for changes after the version it has. */
  version: number;
  users: Array<ScreenPerson & { messages: ScreenMessage[]; draft: ScreenDraft | null }>;
  operators: ScreenPerson[];
  group: { chatId: number; general: ScreenMessage[]; topics: ScreenTopic[] };
}

/** The users the page starts with; "+ user" adds more. */
export const SANDBOX_USERS: readonly ScreenPerson[] = [
  { id: 1001, firstName: 'Alice', lang: 'en' },
  { id: 1002, firstName: 'Иван', lang: 'ru' },
];

/** The text as Telegram HTML: HTML as sent (the page keeps only Telegram's tags), anything else escaped. */
export function htmlOf(text: string, parseMode: string | undefined): string {
  return parseMode?.toLowerCase() === 'html' ? text : escapeHtml(text);
}

/** A message of the emulator as drawn in a private chat (`inGroup` false) or in the operators' group. */
export function screenMessage(m: ShownMessage, inGroup: boolean, botName: string): ScreenMessage {
  const raw = m.raw as Message & { photo?: unknown; document?: unknown; edit_date?: number };
  const media = raw.photo ? '<i>🖼 photo</i>\n' : raw.document ? '<i>📎 document</i>\n' : '';
  // MarkdownV2 or legacy Markdown sources are drawn as the text the reader sees.
  const html = m.formatted?.parseMode.toLowerCase() === 'html' ? m.formatted.text : escapeHtml(m.text);
  return {
    id: m.messageId,
    from: m.fromBot ? 'bot' : inGroup ? 'operator' : 'user',
    author: m.fromBot ? botName : m.from,
    html: `${media}${html}` || '<i>(message)</i>',
    buttons: m.buttons,
    at: (raw.edit_date ?? m.date) * 1000,
    edited: m.edited,
  };
}
