/**
 * What the sandbox page shows, kept beside the Bot API emulator: every user's private chat with
 * the bot and the operators' group with its topics, as a Telegram client would draw them. It reads
 * the calls the service made to the emulator (sendMessage, copyMessage, edits, drafts, topics, the
 * answers to button presses) and writes what the page's people do as real updates
 * (`pushUpdate`), so the service hears them exactly as it hears Telegram. It holds no dialog
 * logic: it is the screen of two Telegram apps, nothing more.
 *
 * @example
 * const transcript = SandboxTranscript.create(emulator, { operatorChatId: -1001234567890 });
 * transcript.userSays(1001, 'How do I return an order?');
 * const view = await transcript.changedSince(0, 25_000); // the page's long poll
 */
import type { Message } from 'telegraf/types';
import { escapeHtml } from '../text';
import { arrayParam, buttonsOf, htmlOf, intOf, SANDBOX_OPERATORS, SANDBOX_USERS, type SandboxPerson, type SandboxState, type ShownButton, type ShownMessage, type ShownToast, type ShownTopic } from './sandbox.screen';
import type { ChatHistory, TgUserLike } from './chat.history';
import { UpdateFactory } from './updates.factory';

/** A Bot API request the service made, as the emulator received it. */
export interface AnsweredRequest {
  method: string;
  params: Record<string, unknown>;
  /** `Date.now()` when the request arrived. */
  at: number;
}

/** How the emulator answered it: 200 with the method's `result`, or a refusal. */
export interface AnsweredOutcome {
  status: number;
  result?: unknown;
}

/** The part of the emulator the transcript uses: its answered calls, its message history, its update queue. */
export interface EmulatorView extends ChatHistory {
  /** Calls `listener` with every request once it is answered; returns the unsubscribe function. */
  onAnswered(listener: (request: AnsweredRequest, outcome: AnsweredOutcome) => void): () => void;
  /** Delivers an update to the bot (a webhook post or the next getUpdates); a missing `update_id` is given one. */
  pushUpdate(update: object): void;
  setChatMember(chatId: number, userId: number, status: 'member' | 'administrator'): void;
  setForum(chatId: number, isForum: boolean): void;
}

/** How long Telegram shows a draft that is not updated, and "typing…" after sendChatAction. */
const DRAFT_MS = 30_000;
const TYPING_MS = 5_000;
const TOAST_MS = 6_000;
/** A chat keeps its last messages only: the sandbox may run for days. */
const MAX_MESSAGES = 300;
const MAX_USERS = 12;

interface PrivateChat {
  user: SandboxPerson;
  messages: ShownMessage[];
  draft: { html: string; at: number } | null;
  typingAt: number;
  toasts: ShownToast[];
}

/** 404 for a person the sandbox does not know; the route answers it as JSON. */
export class UnknownPersonError extends Error {
  readonly status = 404;
  readonly expose = true;
  readonly code = 'NOT_FOUND';
}

/** See the module comment. Build with {@link SandboxTranscript.create}. */
export class SandboxTranscript {
  private version = 1;
  private readonly chats = new Map<number, PrivateChat>();
  private readonly operators = new Map<number, { person: SandboxPerson; toasts: ShownToast[] }>();
  private readonly general: ShownMessage[] = [];
  private readonly topics = new Map<number, ShownTopic>();
  /** Who pressed which button: `callback_query.id` → the person, for the answer's toast. */
  private readonly pressedBy = new Map<string, { kind: 'user' | 'operator'; id: number }>();
  private readonly updates: UpdateFactory;
  private readonly watchers = new Set<() => void>();
  private readonly unsubscribe: () => void;

  private constructor(
    private readonly emulator: EmulatorView,
    private readonly operatorChatId: number,
  ) {
    this.updates = new UpdateFactory(1, emulator);
    for (const user of SANDBOX_USERS) this.chats.set(user.id, newChat(user));
    for (const op of SANDBOX_OPERATORS) {
      this.operators.set(op.id, { person: op, toasts: [] });
      emulator.setChatMember(operatorChatId, op.id, op.id === 502 ? 'administrator' : 'member');
    }
    emulator.setForum(operatorChatId, true);
    this.unsubscribe = emulator.onAnswered((request, outcome) => {
      if (outcome.status === 200 && this.apply(request.method, request.params, outcome.result, request.at)) this.changed();
    });
  }

  /** Makes the operators members of the group (Boris an administrator) and the group a forum, then follows the emulator. */
  static create(emulator: EmulatorView, options: { operatorChatId: number }): SandboxTranscript {
    return new SandboxTranscript(emulator, options.operatorChatId);
  }

  /** The screen now. */
  state(now = Date.now()): SandboxState {
    const fresh = (toasts: ShownToast[]) => toasts.filter((t) => now - t.at < TOAST_MS);
    return {
      version: this.version,
      users: [...this.chats.values()].map((c) => ({
        ...c.user,
        messages: c.messages,
        draft: c.draft && now - c.draft.at < DRAFT_MS ? c.draft : null,
        typing: now - c.typingAt < TYPING_MS,
        toasts: fresh(c.toasts),
      })),
      operators: [...this.operators.values()].map((o) => ({ ...o.person, toasts: fresh(o.toasts) })),
      group: {
        chatId: this.operatorChatId,
        title: 'Support operators',
        general: this.general,
        topics: [...this.topics.values()].sort((a, b) => b.threadId - a.threadId),
      },
    };
  }

  /**
   * The screen once its version is past `since`, or after `timeoutMs` whatever it is (so the page
   * also sees drafts and "typing…" expire).
   */
  async changedSince(since: number, timeoutMs: number): Promise<SandboxState> {
    if (this.version > since) return this.state();
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.watchers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.watchers.add(wake);
    });
    return this.state();
  }

  /** A new user in a private chat with the bot ("+ user" on the page). */
  addUser(firstName: string, lang: 'ru' | 'en'): SandboxPerson {
    if (this.chats.size >= MAX_USERS) {
      throw Object.assign(new Error(`the sandbox holds at most ${MAX_USERS} users`), { status: 409, expose: true, code: 'CONFLICT' });
    }
    const id = Math.max(...this.chats.keys()) + 1;
    const user: SandboxPerson = { id, firstName, lang };
    this.chats.set(id, newChat(user));
    this.changed();
    return user;
  }

  /** The user writes `text` to the bot: a `message` update in their private chat. */
  userSays(userId: number, text: string): ShownMessage {
    const chat = this.chat(userId);
    const update = this.updates.text(asTgUser(chat.user), text);
    const shown = this.shown(update.message.message_id, 'user', chat.user.firstName, escapeHtml(text), []);
    push(chat.messages, shown);
    this.deliver(update);
    return shown;
  }

  /** The user presses an inline button under the bot's message `messageId`: a `callback_query`. */
  userPresses(userId: number, messageId: number, data: string): void {
    const chat = this.chat(userId);
    const update = this.updates.callback(asTgUser(chat.user), data, { chatId: userId, messageId });
    this.pressedBy.set(update.callback_query.id, { kind: 'user', id: userId });
    this.deliver(update);
  }

  /** An operator writes in the operators' group: in a topic (`threadId`) or in General. */
  operatorSays(operatorId: number, text: string, threadId?: number): ShownMessage {
    const op = this.operator(operatorId);
    if (threadId !== undefined && !this.topics.has(threadId)) {
      throw Object.assign(new Error(`threadId: the group has no topic ${threadId}`), { status: 400, expose: true, code: 'VALIDATION_FAILED' });
    }
    const update = this.updates.groupText(this.operatorChatId, asTgUser(op.person), text, threadId === undefined ? { isForum: true } : { threadId });
    const shown = this.shown(update.message.message_id, 'operator', op.person.firstName, escapeHtml(text), []);
    this.place(threadId, shown);
    this.deliver(update);
    return shown;
  }

  /** An operator presses a button in the group (the ticket's Take). */
  operatorPresses(operatorId: number, messageId: number, data: string): void {
    const op = this.operator(operatorId);
    const update = this.updates.callback(asTgUser(op.person), data, { chatId: this.operatorChatId, messageId });
    this.pressedBy.set(update.callback_query.id, { kind: 'operator', id: operatorId });
    this.deliver(update);
  }

  /** Stops following the emulator and wakes the long polls. */
  close(): void {
    this.unsubscribe();
    for (const wake of [...this.watchers]) wake();
  }

  private deliver(update: { update_id: number }): void {
    // The emulator numbers updates itself (the factory's ids would collide with its own queue).
    const { update_id: _id, ...rest } = update;
    this.emulator.pushUpdate(rest);
    this.changed();
  }

  private chat(userId: number): PrivateChat {
    const chat = this.chats.get(userId);
    if (!chat) throw new UnknownPersonError(`no user ${userId} in the sandbox: add one with POST /sandbox/api/users`);
    return chat;
  }

  private operator(operatorId: number): { person: SandboxPerson; toasts: ShownToast[] } {
    const op = this.operators.get(operatorId);
    if (!op) throw new UnknownPersonError(`no operator ${operatorId}: the sandbox's operators are ${SANDBOX_OPERATORS.map((o) => `${o.id} (${o.firstName})`).join(', ')}`);
    return op;
  }

  private changed(): void {
    this.version += 1;
    for (const wake of [...this.watchers]) wake();
  }

  private shown(id: number, from: ShownMessage['from'], author: string, html: string, buttons: ShownButton[][]): ShownMessage {
    return { id, from, author, html, buttons, at: Date.now(), edited: false };
  }

  private place(threadId: number | undefined, message: ShownMessage): void {
    const topic = threadId === undefined ? undefined : this.topics.get(threadId);
    push(topic ? topic.messages : this.general, message);
  }

  /** Applies one successful call to the screen; true when something visible changed. */
  private apply(method: string, params: Record<string, unknown>, result: unknown, at: number): boolean {
    const chatId = intOf(params.chat_id);
    const threadId = intOf(params.message_thread_id);
    switch (method) {
      case 'sendMessage': {
        const message = result as Message.TextMessage;
        return this.botSent(chatId, threadId, message.message_id, htmlOf(params.text, params.parse_mode), buttonsOf(params.reply_markup));
      }
      case 'sendPhoto':
      case 'sendDocument': {
        const message = result as Message.CaptionableMessage;
        const label = method === 'sendPhoto' ? '🖼 photo' : '📎 document';
        const caption = params.caption === undefined ? '' : `\n${htmlOf(params.caption, params.parse_mode)}`;
        return this.botSent(chatId, threadId, message.message_id, `<i>${label}</i>${caption}`, buttonsOf(params.reply_markup));
      }
      case 'copyMessage':
        return this.copied(chatId, threadId, [(result as { message_id: number }).message_id]);
      case 'copyMessages':
        return this.copied(chatId, threadId, (result as Array<{ message_id: number }>).map((r) => r.message_id));
      case 'editMessageText':
        return this.edited(chatId, intOf(params.message_id), htmlOf(params.text, params.parse_mode), buttonsOf(params.reply_markup), at);
      case 'editMessageReplyMarkup':
        return this.edited(chatId, intOf(params.message_id), undefined, buttonsOf(params.reply_markup), at);
      case 'deleteMessage':
        return this.deleted(chatId, [intOf(params.message_id)]);
      case 'deleteMessages':
        return this.deleted(chatId, arrayParam(params.message_ids).map(intOf));
      case 'sendMessageDraft': {
        const chat = chatId === undefined ? undefined : this.chats.get(chatId);
        if (!chat) return false;
        chat.draft = { html: htmlOf(params.text ?? '', params.parse_mode), at };
        return true;
      }
      case 'sendChatAction': {
        const chat = chatId === undefined ? undefined : this.chats.get(chatId);
        if (!chat) return false;
        chat.typingAt = at;
        return true;
      }
      case 'answerCallbackQuery':
        return this.toast(String(params.callback_query_id ?? ''), typeof params.text === 'string' ? params.text : '', at);
      case 'createForumTopic': {
        if (chatId !== this.operatorChatId) return false;
        const topic = result as { message_thread_id: number; name: string };
        this.topics.set(topic.message_thread_id, { threadId: topic.message_thread_id, name: topic.name, closed: false, messages: [] });
        return true;
      }
      case 'editForumTopic':
      case 'closeForumTopic':
      case 'reopenForumTopic':
      case 'deleteForumTopic': {
        const topic = threadId === undefined ? undefined : this.topics.get(threadId);
        if (chatId !== this.operatorChatId || !topic) return false;
        if (method === 'deleteForumTopic') this.topics.delete(topic.threadId);
        else if (method === 'editForumTopic') topic.name = typeof params.name === 'string' ? params.name : topic.name;
        else topic.closed = method === 'closeForumTopic';
        return true;
      }
      default:
        return false;
    }
  }

  private botSent(chatId: number | undefined, threadId: number | undefined, messageId: number, html: string, buttons: ShownButton[][]): boolean {
    const message = this.shown(messageId, 'bot', 'Support bot', html, buttons);
    if (chatId === this.operatorChatId) {
      this.place(threadId, message);
      return true;
    }
    const chat = chatId === undefined ? undefined : this.chats.get(chatId);
    if (!chat) return false;
    push(chat.messages, message);
    chat.draft = null; // the answer replaces the preview
    chat.typingAt = 0;
    return true;
  }

  /** A copy (an operator's message relayed to the user, a user's to the topic): its content from the emulator's history. */
  private copied(chatId: number | undefined, threadId: number | undefined, ids: number[]): boolean {
    if (chatId === undefined) return false;
    const toGroup = chatId === this.operatorChatId;
    let changed = false;
    for (const id of ids) {
      const copy = this.emulator.findMessage(chatId, id) as (Message & { text?: string; caption?: string; photo?: unknown; document?: unknown }) | undefined;
      const text = copy?.text ?? copy?.caption ?? '';
      const media = copy?.photo ? '<i>🖼 photo</i>\n' : copy?.document ? '<i>📎 document</i>\n' : '';
      const html = `${media}${escapeHtml(text)}`;
      // Copies carry no "forwarded from": in the group it is the bot posting the user's words, in the user's chat the operator's.
      changed = this.botSent(chatId, toGroup ? threadId : undefined, id, html || '<i>(message)</i>', []) || changed;
    }
    return changed;
  }

  private edited(chatId: number | undefined, messageId: number | undefined, html: string | undefined, buttons: ShownButton[][], at: number): boolean {
    const message = this.find(chatId, messageId);
    if (!message) return false;
    if (html !== undefined) message.html = html;
    message.buttons = buttons;
    message.edited = html !== undefined;
    message.at = at;
    return true;
  }

  private deleted(chatId: number | undefined, ids: Array<number | undefined>): boolean {
    let changed = false;
    for (const list of this.listsOf(chatId)) {
      for (const id of ids) {
        const index = list.findIndex((m) => m.id === id);
        if (index >= 0) {
          list.splice(index, 1);
          changed = true;
        }
      }
    }
    return changed;
  }

  private find(chatId: number | undefined, messageId: number | undefined): ShownMessage | undefined {
    for (const list of this.listsOf(chatId)) {
      const found = list.find((m) => m.id === messageId);
      if (found) return found;
    }
    return undefined;
  }

  private listsOf(chatId: number | undefined): ShownMessage[][] {
    if (chatId === this.operatorChatId) return [this.general, ...[...this.topics.values()].map((t) => t.messages)];
    const chat = chatId === undefined ? undefined : this.chats.get(chatId);
    return chat ? [chat.messages] : [];
  }

  private toast(queryId: string, text: string, at: number): boolean {
    const who = this.pressedBy.get(queryId);
    this.pressedBy.delete(queryId);
    if (!who || text === '') return false;
    const toasts = who.kind === 'user' ? this.chats.get(who.id)?.toasts : this.operators.get(who.id)?.toasts;
    if (!toasts) return false;
    toasts.push({ text, at });
    if (toasts.length > 5) toasts.shift();
    return true;
  }
}

function newChat(user: SandboxPerson): PrivateChat {
  return { user, messages: [], draft: null, typingAt: 0, toasts: [] };
}

function asTgUser(person: SandboxPerson): TgUserLike {
  return { id: person.id, first_name: person.firstName, ...(person.username ? { username: person.username } : {}), ...(person.lang ? { language_code: person.lang } : {}) };
}

function push(list: ShownMessage[], message: ShownMessage): void {
  list.push(message);
  if (list.length > MAX_MESSAGES) list.splice(0, list.length - MAX_MESSAGES);
}
