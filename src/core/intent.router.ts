import type { TelegramClient } from '../adapters/telegram/telegram.client';
import { confirmationAnswer, detectHandoff } from '../handoff';
import { langFromTelegram, operatorText, userText } from '../i18n/texts';
import type { DialogEvent, HandoffSignal, Lang, OperatorTextKey, QueueChoice } from '../machines/dialog.types';
import type { FloodWindow } from '../adapters/redis/flood.window';
import type { RatingCommentMarker } from '../adapters/redis/rating-comment.marker';
import type { SavedReplies } from '../replies/saved.replies';
import type { BanStore } from '../store/ban.store';
import type { RatingStore } from '../store/rating.store';
import { systemClock, type Clock } from './clock';
import type { DialogStore } from '../store/dialog.store';
import { commandEvent, type CommandCaller, type CommandSpec } from '../telegram/commands.registry';
import { isOperatorStatus } from '../telegram/member.status';
import { mediaOf, operatorName, parseUpdate, type Intent, type Place } from '../telegram/update.parse';
import type { TgMessage, TgUpdate, TgUser } from '../telegram/update.types';
import type { DialogEngine, DialogTarget, StepOptions, StepResult, UserProfile } from './dialog.engine';
import type { Effect } from './effect.types';
import { CALLBACK, queueButtonOf } from './effects/user.effects';
import { parseRatingButton } from './effects/rating.effects';

/** What processing an update did, for the log. */
export interface Routed {
  dialogId: number | null;
  state: string | null;
  result?: StepResult;
}

/**
 * Turns a stored update into one committed step: parses it ({@link parseUpdate}), looks up what
 * the step needs (the dialog an operator's message belongs to, whether the sender is an operator,
 * the user's recent texts for the handoff detector) and hands the event to the engine. Every
 * reply, refusals included, is an effect the step queues; nothing is sent from here.
 */
export class IntentRouter {
  private constructor(
    private readonly deps: {
      engine: DialogEngine;
      store: DialogStore;
      bans: BanStore;
      /** The saved replies `/r <key>` sends (the router checks the key exists). */
      replies: Pick<SavedReplies, 'has'>;
      /** Flood control (USER_MESSAGES_PER_MINUTE); none: every message is answered. */
      flood?: FloodWindow;
      /** "The next message is the comment on a rating" (CSAT); none: every message is a question. */
      comments?: RatingCommentMarker;
      /** Whether a rating still takes its comment (the user may have moved on since pressing "Add a comment"). */
      ratings?: Pick<RatingStore, 'commentable'>;
      /** The service's clock (whether a rating still takes its comment); default the real one. */
      clock?: Clock;
      telegram: TelegramClient;
      operatorChatId: number;
      operatorLang: Lang;
    },
  ) {}

  static create(deps: IntentRouter['deps']): IntentRouter {
    return new IntentRouter(deps);
  }

  /** Processes one stored update, received at `receivedAt` (ms). */
  async route(update: TgUpdate, receivedAt: number): Promise<Routed> {
    const inboxUpdateId = update.update_id;
    const intent = parseUpdate(update, this.deps.operatorChatId);
    if (intent.kind === 'user.command' || intent.kind === 'user.message' || intent.kind === 'user.button') {
      if (await this.deps.bans.isBanned(intent.chatId)) return this.banned(intent, inboxUpdateId);
    }
    switch (intent.kind) {
      case 'none':
        return { dialogId: null, state: null };
      case 'user.stop':
        return this.step({ chatId: intent.chatId }, { type: 'user.stop', draftId: intent.draftId }, { actor: 'user', inboxUpdateId });
      case 'user.left':
        return this.step({ chatId: intent.chatId }, { type: 'user.blocked' }, { actor: 'user', inboxUpdateId });
      case 'user.misplacedCommand':
        return this.reply(inboxUpdateId, [{ type: 'replyToUser', params: { chatId: intent.chatId, key: 'operatorsOnly', lang: langFromTelegram(intent.from.language_code) } }]);
      case 'user.command':
        return this.step({ chatId: intent.chatId }, this.userCommandEvent(intent.command), this.userOptions(intent.from, inboxUpdateId));
      case 'user.message': {
        const lang = langFromTelegram(intent.from.language_code);
        // Too many messages this minute: not answered, not relayed; the user is asked once to slow down.
        const flood = await this.deps.flood?.check(intent.chatId, inboxUpdateId, receivedAt);
        if (flood?.flooding) {
          return this.reply(inboxUpdateId, flood.tellUser ? [{ type: 'replyToUser', params: { chatId: intent.chatId, key: 'slowDown', lang } }] : []);
        }
        // After "Add a comment" under a rating, the next text is the comment, not a question (it steps no dialog).
        const commentOn = intent.text.trim() ? await this.deps.comments?.take(intent.chatId) : null;
        if (commentOn && (await this.deps.ratings?.commentable({ dialogId: commentOn, userId: intent.chatId, at: (this.deps.clock ?? systemClock).now() })) != null) {
          return this.reply(inboxUpdateId, [{ type: 'saveRatingComment', params: { dialogId: commentOn, userId: intent.chatId, text: intent.text, lang } }]);
        }
        let signal: HandoffSignal | null = null;
        if (intent.text) {
          const previousUserTexts = await this.deps.store.recentUserTexts(intent.chatId);
          signal = detectHandoff({ text: intent.text, lang, previousUserTexts }) as HandoffSignal | null;
        }
        return this.step(
          { chatId: intent.chatId },
          {
            type: 'user.message', messageId: intent.messageId, text: intent.text, signal, at: receivedAt, answer: confirmationAnswer(intent.text) ?? undefined,
            ...(intent.mediaGroupId ? { mediaGroupId: intent.mediaGroupId } : {}),
          },
          {
            ...this.userOptions(intent.from, inboxUpdateId),
            record: { sender: 'user', telegramChatId: intent.chatId, telegramMessageId: intent.messageId, text: intent.text || undefined, media: intent.media },
          },
        );
      }
      // An edit goes to the chat's open dialog (it starts none): its copies there are updated.
      case 'user.edited':
        return this.step({ chatId: intent.chatId }, { type: 'user.edited', messageId: intent.messageId, edit: intent.edit }, { actor: 'user', inboxUpdateId });
      case 'operator.edited': {
        const { message, from } = intent;
        // An edit that makes a message a private note must not reach the user; a message that belongs to no dialog has no copy.
        if (isPrivateNote(intent.edit.text)) return this.reply(inboxUpdateId, []);
        const n = await this.dialogOfMessage(message);
        const target = n === null ? null : await this.deps.store.openDialog(n);
        if (n === null || !target) return this.reply(inboxUpdateId, []);
        const event: DialogEvent = { type: 'operator.edited', operatorId: from.id, fromChatId: message.chat.id, messageId: message.message_id, edit: intent.edit };
        return this.step({ chatId: target.chatId, dialogId: n }, event, { actor: `operator:${from.id}`, inboxUpdateId });
      }
      case 'user.button': {
        // A press under "How did we do?" is about a closed dialog: it steps none, its effect answers it.
        const rating = parseRatingButton(intent.data);
        if (rating) {
          const about = { dialogId: rating.dialogId, userId: intent.chatId, messageId: intent.messageId, callbackQueryId: intent.callbackId, lang: langFromTelegram(intent.from.language_code) };
          return this.reply(inboxUpdateId, [rating.choice === 'comment' ? { type: 'offerRatingComment', params: about } : { type: 'rateDialog', params: { ...about, score: rating.choice } }]);
        }
        const receipts: Effect[] = [{ type: 'answerCallback', params: { callbackQueryId: intent.callbackId } }];
        const queue = queueButtonOf(intent.data);
        if (queue) return this.queueButton(intent, queue, inboxUpdateId);
        const event = USER_BUTTONS[intent.data];
        if (!event) return this.reply(inboxUpdateId, receipts);
        if (intent.messageId !== null && intent.data !== CALLBACK.talkToHuman) {
          receipts.push({ type: 'removeKeyboard', params: { chatId: intent.chatId, messageId: intent.messageId } });
        }
        return this.step({ chatId: intent.chatId }, event, { ...this.userOptions(intent.from, inboxUpdateId), receipts });
      }
      case 'operator.button': {
        const take = /^take:(\d{1,15})$/.exec(intent.data);
        if (!take) return this.reply(inboxUpdateId, [{ type: 'answerCallback', params: { callbackQueryId: intent.callbackId } }]);
        const member = await this.isOperator(intent.from);
        const answer: Effect = { type: 'answerCallback', params: { callbackQueryId: intent.callbackId, text: member ? undefined : operatorText('notOperator', this.deps.operatorLang, { n: 0 }) } };
        if (!member) return this.reply(inboxUpdateId, [answer]);
        const n = Number(take[1]);
        // The Take button is the /take command.
        const event = commandEvent('take', { operatorId: intent.from.id, operatorName: operatorName(intent.from), place: {} });
        return this.toDialog(n, event, intent.from, inboxUpdateId, {}, [answer]);
      }
      case 'operator.command': {
        if (!(await this.isOperator(intent.from))) return this.refuse(inboxUpdateId, 'notOperator', intent.place);
        // A command about no dialog (/unban, /online, /offline) becomes its effect, answered where the operator wrote.
        if (intent.command.effect === 'unbanUser') {
          return this.reply(inboxUpdateId, [{ type: 'unbanUser', params: { who: intent.rest, place: intent.place } }]);
        }
        // /online, /offline: the operator's duty, about no dialog.
        if (intent.command.effect === 'setDuty') {
          const operator = { telegramId: intent.from.id, name: operatorName(intent.from), username: intent.from.username ?? null };
          return this.reply(inboxUpdateId, [{ type: 'setDuty', params: { operator, onDuty: intent.command.onDuty === true, place: intent.place } }]);
        }
        // `/r` alone, or with a key that has no file: the keys, and no dialog stepped.
        if (intent.command.args === 'savedReply' && !(intent.rest && (await this.deps.replies.has(intent.rest)))) {
          return this.reply(inboxUpdateId, [{ type: 'listSavedReplies', params: { place: intent.place, unknown: intent.rest || undefined } }]);
        }
        const n = intent.dialogNumber ?? (await this.dialogOfMessage(intent.message));
        if (n === null) return this.refuse(inboxUpdateId, 'whichDialog', intent.place);
        if (intent.command.closedDialog) return this.reopen(n, this.operatorCommandEvent(intent.command, intent.from, intent.place), intent.from, inboxUpdateId, intent.place);
        let to: CommandCaller['to'];
        if (intent.command.args === 'dialogAndOperator') {
          const target = await this.namedOperator(intent.rest, intent.mentioned);
          if (!target) return this.refuse(inboxUpdateId, 'transferWho', intent.place);
          if (!(await this.isOperator({ id: target.operatorId }))) return this.refuse(inboxUpdateId, 'transferNotMember', intent.place);
          to = target;
        }
        const event = this.operatorCommandEvent(intent.command, intent.from, intent.place, { to, text: intent.rest });
        return this.toDialog(n, event, intent.from, inboxUpdateId, intent.place, []);
      }
      case 'operator.message': {
        const n = await this.dialogOfMessage(intent.message);
        if (n === null) return { dialogId: null, state: null }; // operators talking among themselves
        const { message, from } = intent;
        const target = await this.deps.store.openDialog(n);
        if (!target) return { dialogId: n, state: 'closed' };
        const text = message.text ?? message.caption;
        if (isPrivateNote(text)) {
          return this.step({ chatId: target.chatId, dialogId: n }, { type: 'operator.note', operatorId: from.id }, {
            actor: `operator:${from.id}`,
            operator: { telegramId: from.id, name: operatorName(from), username: from.username },
            record: { sender: 'note', telegramChatId: message.chat.id, telegramMessageId: message.message_id, text, media: mediaOf(message) },
            inboxUpdateId,
          });
        }
        const event: DialogEvent = {
          type: 'operator.message',
          operatorId: from.id,
          operatorName: operatorName(from),
          fromChatId: message.chat.id,
          messageId: message.message_id,
          place: intent.place,
          ...(message.media_group_id ? { mediaGroupId: message.media_group_id } : {}),
        };
        return this.step({ chatId: target.chatId, dialogId: n }, event, {
          actor: `operator:${from.id}`,
          operator: { telegramId: from.id, name: operatorName(from), username: from.username },
          record: { sender: 'operator', telegramChatId: message.chat.id, telegramMessageId: message.message_id, text: message.text ?? message.caption, media: mediaOf(message) },
          inboxUpdateId,
        });
      }
    }
  }

  /** An operator's event for dialog `n`; "no such open dialog" when it is not open. */
  private async toDialog(n: number, event: DialogEvent, from: TgUser, inboxUpdateId: number, place: Place, receipts: Effect[]): Promise<Routed> {
    const target = await this.deps.store.openDialog(n);
    if (!target) return this.reply(inboxUpdateId, [...receipts, refusalEffect('noSuchDialog', place, n)]);
    return this.step({ chatId: target.chatId, dialogId: n }, event, {
      actor: `operator:${from.id}`,
      operator: { telegramId: from.id, name: operatorName(from), username: from.username },
      inboxUpdateId,
      receipts,
    });
  }

  /**
   * A button of the queue timeout's question, for the dialog it names. Only the open question
   * takes it: a button pressed after the dialog moved on (taken, closed, another dialog) changes
   * nothing, and the user is told the choice is no longer open.
   */
  private queueButton(intent: Extract<Intent, { kind: 'user.button' }>, button: { choice: QueueChoice; dialogId: number }, inboxUpdateId: number): Promise<Routed> {
    const lang = langFromTelegram(intent.from.language_code);
    const removeKeyboard: Effect[] = intent.messageId === null ? [] : [{ type: 'removeKeyboard', params: { chatId: intent.chatId, messageId: intent.messageId } }];
    return this.step({ chatId: intent.chatId, dialogId: button.dialogId }, { type: 'user.queueChoice', choice: button.choice }, {
      ...this.userOptions(intent.from, inboxUpdateId),
      receipts: [{ type: 'answerCallback', params: { callbackQueryId: intent.callbackId } }, ...removeKeyboard],
      ignoredReceipts: [{ type: 'answerCallback', params: { callbackQueryId: intent.callbackId, text: userText('choiceExpired', lang) } }, ...removeKeyboard],
    });
  }

  /**
   * `/reopen <n>`: the closed dialog `n` becomes its user's open dialog again, the operator's.
   * Refused when there is no dialog `n`, when it is open, when it never reached the operators (no
   * ticket to answer in), when its user is banned, or when the
   * user has another open dialog (named). The step is the machine's own (`closed` takes
   * `operator.reopen`), committed like any other: the one statement clears `closed_at`.
   */
  private async reopen(n: number, event: DialogEvent, from: TgUser, inboxUpdateId: number, place: Place): Promise<Routed> {
    const dialog = await this.deps.store.reopenCandidate(n);
    if (!dialog) return this.reply(inboxUpdateId, [refusalEffect('noDialog', place, n)]);
    if (dialog.open) return this.reply(inboxUpdateId, [refusalEffect('notClosed', place, n)]);
    if (!dialog.hadTicket) return this.reply(inboxUpdateId, [refusalEffect('reopenNoTicket', place, n)]);
    if (dialog.otherOpen !== null) return this.reply(inboxUpdateId, [refusalEffect('reopenBusy', place, dialog.otherOpen)]);
    if (await this.deps.bans.isBanned(dialog.chatId)) return this.reply(inboxUpdateId, [refusalEffect('reopenBanned', place, n)]);
    return this.step({ chatId: dialog.chatId, dialogId: n, reopens: true }, event, {
      actor: `operator:${from.id}`,
      operator: { telegramId: from.id, name: operatorName(from), username: from.username },
      inboxUpdateId,
      ignoredReceipts: [refusalEffect('cannotReopen', place, n)],
    });
  }

  /**
   * A banned user's update steps no dialog (no LLM call, no ticket): the polite fixed answer at
   * most once a day, a pressed button answered, nothing else.
   */
  private async banned(intent: Extract<Intent, { kind: 'user.command' | 'user.message' | 'user.button' }>, inboxUpdateId: number): Promise<Routed> {
    const effects: Effect[] = intent.kind === 'user.button' ? [{ type: 'answerCallback', params: { callbackQueryId: intent.callbackId } }] : [];
    if (await this.deps.bans.claimNotice(intent.chatId)) {
      effects.push({ type: 'replyToUser', params: { chatId: intent.chatId, key: 'banned', lang: langFromTelegram(intent.from.language_code) } });
    }
    return this.reply(inboxUpdateId, effects);
  }

  private userCommandEvent(command: CommandSpec): DialogEvent {
    return command.event!({ operatorId: 0, operatorName: '', place: {} }) as DialogEvent;
  }

  private operatorCommandEvent(command: CommandSpec, from: TgUser, place: Place, extra: Pick<CommandCaller, 'to' | 'text'> = {}): DialogEvent {
    return command.event!({ operatorId: from.id, operatorName: operatorName(from), place, ...extra }) as DialogEvent;
  }

  /**
   * The operator a command names: a text mention (a member picked from the list, with or without
   * a username), else `@username` of an operator who has acted on a dialog before. Telegram cannot
   * look a user up by username, so a colleague who never wrote in a dialog is named by a mention.
   */
  private async namedOperator(rest: string, mentioned: TgUser | undefined): Promise<CommandCaller['to'] | null> {
    if (mentioned && !mentioned.is_bot) return { operatorId: mentioned.id, operatorName: operatorName(mentioned) };
    const username = /^@([A-Za-z0-9_]{3,32})\b/.exec(rest)?.[1];
    if (!username) return null;
    const known = await this.deps.store.operatorByUsername(username);
    return known && { operatorId: known.telegramId, operatorName: known.name };
  }

  private userOptions(from: TgUser, inboxUpdateId: number): StepOptions {
    return { actor: 'user', user: profileOf(from), lang: langFromTelegram(from.language_code), inboxUpdateId };
  }

  private async step(target: DialogTarget, event: DialogEvent, options: StepOptions): Promise<Routed> {
    const result = await this.deps.engine.step(target, event, options);
    return { dialogId: result.dialogId, state: result.state, result };
  }

  private async reply(inboxUpdateId: number, effects: Effect[]): Promise<Routed> {
    await this.deps.store.commitReplies({ dialogId: null, inboxUpdateId, effects: effects.map((effect) => ({ kind: effect.type === 'answerCallback' ? 'parallel' : 'ordered', effect })) });
    return { dialogId: null, state: null };
  }

  private refuse(inboxUpdateId: number, key: OperatorTextKey, place: Place): Promise<Routed> {
    return this.reply(inboxUpdateId, [refusalEffect(key, place)]);
  }

  /** Only members of the operators' chat may take or close dialogs (the menu's scope is only a hint). */
  private async isOperator(user: Pick<TgUser, 'id'>): Promise<boolean> {
    const status = await this.deps.telegram.memberStatus(this.deps.operatorChatId, user.id).catch(() => 'unknown');
    return isOperatorStatus(status);
  }

  /** The dialog an operator's message belongs to: its forum topic, or the ticket or relayed copy it replies to. */
  private async dialogOfMessage(message: TgMessage): Promise<number | null> {
    if (message.is_topic_message && message.message_thread_id) {
      const n = await this.deps.store.dialogOfThread(message.message_thread_id);
      if (n !== null) return n;
    }
    if (message.reply_to_message) return this.deps.store.dialogOfLink(message.chat.id, message.reply_to_message.message_id);
    return null;
  }
}

/** The dialog events of the users' buttons. */
const USER_BUTTONS: Record<string, DialogEvent> = {
  [CALLBACK.talkToHuman]: commandEvent('operator', { operatorId: 0, operatorName: '', place: {} }),
  [CALLBACK.confirmYes]: { type: 'user.confirmHandoff' },
  [CALLBACK.confirmNo]: { type: 'user.declineHandoff' },
};

/** A message for the operators only: it starts with `!` or `//` (a text, or a media's caption). */
export function isPrivateNote(text: string | undefined): boolean {
  return text !== undefined && /^\s*(?:!|\/\/)/.test(text);
}

function refusalEffect(key: OperatorTextKey, place: Place, n?: number): Effect {
  return { type: 'replyToOperator', params: { key, place, n } };
}

function profileOf(user: TgUser): UserProfile {
  return { telegramId: user.id, firstName: user.first_name, lastName: user.last_name, username: user.username, languageCode: user.language_code };
}
