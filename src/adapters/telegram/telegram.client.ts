import { backOff } from 'exponential-backoff';
import { Telegram, TelegramError } from 'telegraf';
import { classifyTelegramError, isNotModified, TelegramApiError } from './telegram.errors';
import { draftOutcomeOf, type DraftOptions, type DraftOutcome } from './draft.outcome';

/** An inline keyboard, as the Bot API takes it. */
export interface InlineKeyboard {
  inline_keyboard: Array<Array<{ text: string; callback_data: string }>>;
}

/** Where in a chat a message goes: a forum topic, and/or as a reply. */
export interface Placement {
  threadId?: number | null;
  replyTo?: number | null;
}

/** A sent message's id. */
export interface SentMessage {
  message_id: number;
}

/** Observes every failed call (metrics). */
export type TelegramErrorObserver = (method: string, code: number | 'network') => void;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Time one Bot API request may take before it counts as a network failure (and is retried). */
const CALL_TIMEOUT_MS = 20_000;

/**
 * The Bot API, as the service uses it, over telegraf's `Telegram` client.
 *
 * One retry policy lives here: a 429 waits `retry_after` (up to `maxRetryAfterSeconds`), 5xx and
 * network errors back off exponentially (up to `attempts` tries), any other error is thrown at
 * once as a {@link TelegramApiError}. telegraf's webhook reply is off, so every call's result is seen.
 */
export class TelegramClient {
  private constructor(
    private readonly api: Telegram,
    private readonly attempts: number,
    private readonly maxRetryAfterSeconds: number,
    private readonly onError: TelegramErrorObserver,
  ) {}

  /**
   * @param apiRoot `TELEGRAM_API_ROOT`: the official API, a local Bot API server, or a test fake.
   */
  static create(options: {
    token: string;
    apiRoot: string;
    attempts?: number;
    maxRetryAfterSeconds?: number;
    onError?: TelegramErrorObserver;
  }): TelegramClient {
    // telegraf resolves `./bot<token>/<method>` against apiRoot: a trailing slash keeps a path prefix.
    const apiRoot = options.apiRoot.endsWith('/') ? options.apiRoot : `${options.apiRoot}/`;
    const api = new Telegram(options.token, { apiRoot, webhookReply: false });
    return new TelegramClient(api, options.attempts ?? 4, options.maxRetryAfterSeconds ?? 60, options.onError ?? (() => undefined));
  }

  /** Calls a Bot API method with the retry policy. */
  async call<T>(method: string, payload: Record<string, unknown>, timeoutMs = CALL_TIMEOUT_MS): Promise<T> {
    const callApi = this.api.callApi.bind(this.api) as unknown as (
      m: string,
      p: Record<string, unknown>,
      o: { signal: AbortSignal },
    ) => Promise<T>;
    try {
      // telegraf's own timeout is 500 s; each try gets its own, shorter one.
      return await backOff(() => callApi(method, payload, { signal: AbortSignal.timeout(timeoutMs) }), {
        numOfAttempts: this.attempts,
        startingDelay: 300,
        timeMultiple: 3,
        maxDelay: 5_000,
        jitter: 'full',
        retry: async (error: unknown) => {
          if (error instanceof TelegramError) {
            const { code, retryAfter } = refusalOf(error);
            this.onError(method, code ?? 'network');
            if (code === 429) {
              const wait = retryAfter ?? 1;
              if (wait > this.maxRetryAfterSeconds) return false;
              await sleep(wait * 1000);
              return true;
            }
            return code !== null && code >= 500;
          }
          this.onError(method, 'network');
          return true; // network failure: try again
        },
      });
    } catch (error) {
      if (error instanceof TelegramError) {
        const { code, description, retryAfter } = refusalOf(error);
        throw new TelegramApiError(classifyTelegramError(code, description), method, code, description || 'no description', retryAfter);
      }
      const message = error instanceof Error ? error.message.replace(/bot\d+:[\w-]+/g, 'bot<token>') : String(error);
      throw new TelegramApiError('network', method, null, message.slice(0, 300));
    }
  }

  /** {@link call}, for methods that answer a Message: a result without a message_id is a broken answer, not a message. */
  private async callForMessage(method: string, payload: Record<string, unknown>): Promise<SentMessage> {
    const result = await this.call<unknown>(method, payload);
    const id = isObject(result) ? result.message_id : undefined;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new TelegramApiError('server', method, null, 'the answer has no message_id');
    return { message_id: id };
  }

  /** sendMessage with Telegram HTML. */
  sendHtml(chatId: number, html: string, where: Placement = {}, replyMarkup?: InlineKeyboard): Promise<SentMessage> {
    return this.callForMessage('sendMessage', {
      chat_id: chatId,
      text: html,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...placement(where),
      ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
    });
  }

  /** sendMessage without formatting. */
  sendPlain(chatId: number, text: string, where: Placement = {}, replyMarkup?: InlineKeyboard): Promise<SentMessage> {
    return this.callForMessage('sendMessage', {
      chat_id: chatId,
      text,
      ...placement(where),
      ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
    });
  }

  /** copyMessage: relays any message (text, photo, document, voice, sticker) without "forwarded from". */
  copyMessage(toChatId: number, fromChatId: number, messageId: number, where: Placement = {}): Promise<SentMessage> {
    return this.callForMessage('copyMessage', { chat_id: toChatId, from_chat_id: fromChatId, message_id: messageId, ...placement(where) });
  }

  /**
   * copyMessages: an album (or any messages) copied at once, kept together as an album. The Bot
   * API takes the ids in strictly increasing order ({@link increasingIds}) and at most 100, and
   * answers the copies' ids in that order (it skips messages it cannot copy). It has no reply
   * parameters: only the topic of `where` is used.
   */
  async copyMessages(toChatId: number, fromChatId: number, messageIds: number[], where: Placement = {}): Promise<number[]> {
    const result = await this.call<unknown>('copyMessages', {
      chat_id: toChatId,
      from_chat_id: fromChatId,
      message_ids: messageIds,
      ...(where.threadId ? { message_thread_id: where.threadId } : {}),
    });
    if (!Array.isArray(result)) throw new TelegramApiError('server', 'copyMessages', null, 'the answer is not a list of MessageId');
    return result.flatMap((m: unknown) => (isObject(m) && typeof m.message_id === 'number' && Number.isSafeInteger(m.message_id) ? [m.message_id] : []));
  }

  /**
   * editMessageText with the text and entities as the sender wrote them (an edit relayed to a
   * copy: no parse mode, so nothing needs escaping). True when the text changed, false when the
   * copy already read so ("message is not modified": the edit was applied before).
   */
  async editText(chatId: number, messageId: number, text: string, entities?: unknown[]): Promise<boolean> {
    try {
      await this.call('editMessageText', { chat_id: chatId, message_id: messageId, text, ...(entities?.length ? { entities } : {}) });
      return true;
    } catch (error) {
      if (isNotModified(error)) return false;
      throw error;
    }
  }

  /** "typing…" for about 5 seconds. */
  async sendTyping(chatId: number): Promise<void> {
    await this.call('sendChatAction', { chat_id: chatId, action: 'typing' });
  }

  /** Creates a forum topic; returns its thread id. */
  async createForumTopic(chatId: number, name: string): Promise<number> {
    const topic = await this.call<unknown>('createForumTopic', { chat_id: chatId, name: name.slice(0, 128) });
    const threadId = isObject(topic) ? topic.message_thread_id : undefined;
    if (typeof threadId !== 'number' || !Number.isSafeInteger(threadId)) throw new TelegramApiError('server', 'createForumTopic', null, 'the answer has no message_thread_id');
    return threadId;
  }

  /** Whether the chat is a forum supergroup. */
  async isForum(chatId: number): Promise<boolean> {
    const chat = await this.call<unknown>('getChat', { chat_id: chatId });
    return isObject(chat) && chat.is_forum === true;
  }

  /** The member's status in a chat: creator, administrator, member, restricted, left, kicked. */
  async memberStatus(chatId: number, userId: number): Promise<string> {
    const member = await this.call<unknown>('getChatMember', { chat_id: chatId, user_id: userId });
    return isObject(member) && typeof member.status === 'string' ? member.status : 'unknown';
  }

  /** Stops the button's spinner, optionally with a short notice. */
  async answerCallback(callbackQueryId: string, text?: string): Promise<void> {
    await this.call('answerCallbackQuery', { callback_query_id: callbackQueryId, ...(text ? { text } : {}) });
  }

  /** editMessageText with Telegram HTML (a ticket's brief); `replyMarkup` must be given again, or the buttons go. */
  async editHtml(chatId: number, messageId: number, html: string, replyMarkup?: InlineKeyboard): Promise<void> {
    await this.call('editMessageText', {
      chat_id: chatId,
      message_id: messageId,
      text: html,
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(replyMarkup ? { reply_markup: replyMarkup } : {}),
    });
  }

  /** Removes the inline keyboard from a message. */
  async removeKeyboard(chatId: number, messageId: number): Promise<void> {
    await this.call('editMessageReplyMarkup', { chat_id: chatId, message_id: messageId, reply_markup: { inline_keyboard: [] } });
  }

  /** Registers the webhook with its secret and the update kinds the service handles. */
  async setWebhook(url: string, secret: string | undefined, allowedUpdates: readonly string[]): Promise<void> {
    await this.call('setWebhook', {
      url,
      ...(secret ? { secret_token: secret } : {}),
      allowed_updates: allowedUpdates,
      max_connections: 40,
    });
  }

  /** Removes the webhook (polling mode needs it gone). Pending updates are kept. */
  async deleteWebhook(): Promise<void> {
    await this.call('deleteWebhook', { drop_pending_updates: false });
  }

  /** Long-polls for updates (polling mode). The updates are as sent, unchecked: an answer that is not a list is none. */
  async getUpdates(offset: number, timeoutSeconds: number, allowedUpdates: readonly string[]): Promise<unknown[]> {
    const result = await this.call<unknown>('getUpdates', { offset, timeout: timeoutSeconds, allowed_updates: allowedUpdates }, (timeoutSeconds + 10) * 1000);
    return Array.isArray(result) ? result : [];
  }

  /** Reopens a forum topic an operator closed. */
  async reopenForumTopic(chatId: number, threadId: number): Promise<void> {
    await this.call('reopenForumTopic', { chat_id: chatId, message_thread_id: threadId });
  }

  /** Sets the command menu for a scope. */
  async setMyCommands(commands: Array<{ command: string; description: string }>, scope?: Record<string, unknown>): Promise<void> {
    await this.call('setMyCommands', { commands, ...(scope ? { scope } : {}) });
  }

  /**
   * Shows a draft of an answer being written (`sendMessageDraft`, Bot API 9.3+; `can_stop` and
   * `keep_on_stop` since 10.3) in a private chat: drafts with the same non-zero `draftId` replace
   * each other, animated; '' shows Telegram's "Thinking…" placeholder. A draft is a preview of
   * about 30 seconds: the answer exists only once it is sent with `sendMessage`.
   *
   * Outside the retry policy of {@link TelegramClient.call}, on purpose: a draft is one try
   * (timing out after 5 s), never retried and never queued, since the next draft replaces it.
   * Every failure is an outcome, never a throw: see {@link DraftOutcome} (a 429 is `skipped`
   * with its `retry_after`; "no drafts here" is `unsupported`, so the caller can show "typing…").
   * Failures are reported to the error observer like other calls.
   *
   * @example const outcome = await telegram.sendDraft(chatId, draftId, '', { canStop: true });
   */
  async sendDraft(chatId: number, draftId: number, text: string, options: DraftOptions = {}): Promise<DraftOutcome> {
    const callApi = this.api.callApi.bind(this.api) as unknown as (
      m: string,
      p: Record<string, unknown>,
      o: { signal: AbortSignal },
    ) => Promise<unknown>;
    const payload: Record<string, unknown> = {
      chat_id: chatId,
      draft_id: draftId,
      text,
      ...(options.parseMode ? { parse_mode: options.parseMode } : {}),
      ...(options.threadId ? { message_thread_id: options.threadId } : {}),
      ...(options.canStop ? { can_stop: true } : {}),
      ...(options.canStop && options.keepOnStop ? { keep_on_stop: true } : {}),
    };
    try {
      await callApi('sendMessageDraft', payload, { signal: AbortSignal.timeout(DRAFT_TIMEOUT_MS) });
      return { kind: 'sent' };
    } catch (error) {
      if (error instanceof TelegramError) {
        const refusal = refusalOf(error);
        this.onError('sendMessageDraft', refusal.code ?? 'network');
        return draftOutcomeOf(refusal.code ?? 0, refusal.description, refusal.retryAfter);
      }
      this.onError('sendMessageDraft', 'network');
      return { kind: 'skipped', reason: 'failed', code: null };
    }
  }
}

/** Message ids as copyMessages takes them: distinct, strictly increasing, at most 100. */
export function increasingIds(ids: readonly number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b).slice(0, 100);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The fields of an error answer, each guarded: `error_code` and `description` may be missing
 * (the latter is optional in the Bot API), `parameters.retry_after` may be anything.
 */
function refusalOf(error: TelegramError): { code: number | null; description: string; retryAfter?: number } {
  const response: unknown = error.response;
  const body = isObject(response) ? response : {};
  const code = typeof body.error_code === 'number' && Number.isInteger(body.error_code) ? body.error_code : null;
  const description = typeof body.description === 'string' ? body.description.slice(0, 300) : '';
  const parameters = isObject(body.parameters) ? body.parameters : {};
  const wait = parameters.retry_after;
  const retryAfter = typeof wait === 'number' && Number.isFinite(wait) && wait >= 0 ? Math.ceil(wait) : undefined;
  return { code, description, ...(retryAfter === undefined ? {} : { retryAfter }) };
}

/** One try of a draft: after this long it is stale anyway, and the next one replaces it. */
const DRAFT_TIMEOUT_MS = 5_000;

function placement(where: Placement): Record<string, unknown> {
  return {
    ...(where.threadId ? { message_thread_id: where.threadId } : {}),
    ...(where.replyTo ? { reply_parameters: { message_id: where.replyTo, allow_sending_without_reply: true } } : {}),
  };
}
