import type { HoursSpec } from '../hours/working.hours';
import { COMMAND_EVENT_TYPES, type CommandEvent } from '../telegram/commands.registry';

/**
 * Types shared by the dialog machine and the runtime that drives it.
 *
 * The machine is pure: it never sends a message itself. It returns named effects (see
 * {@link DialogEffect}) that the runtime stores in the outbox and carries out after the
 * transition is committed.
 */

/** Where a handoff decision came from (see docs/handoff.md). `admin` is the admin API. */
export type HandoffLayer = 'explicit' | 'rules' | 'llm' | 'failure' | 'admin' | 'knowledge';

/** High: hand off at once. Medium: ask the user first. */
export type HandoffConfidence = 'high' | 'medium';

/** A suggestion to hand the dialog to a person, attached to a user message by the detector. */
export interface HandoffSignal {
  layer: HandoffLayer;
  confidence: HandoffConfidence;
  /** Stable code such as `rules.request_human` or `llm.transfer_to_human`. */
  reason: string;
}

/** Languages the bot speaks; anything else falls back to English. */
export type Lang = 'ru' | 'en';

/** Why a dialog was closed. */
export type CloseReason = 'operator' | 'idle' | 'blocked' | 'admin' | 'banned'
  /** The user could not wait (QUEUE_TIMEOUT_MINUTES) and left a message for the operators, who answer it with `/reopen`. */
  | 'leftMessage';

/** Keys of texts the bot sends; the runtime renders them in the user's language (src/i18n). */
export type UserTextKey =
  | 'greeting'
  | 'switching'
  | 'confirmHandoff'
  | 'handoffDeclined'
  | 'ticketDelayed'
  | 'stillWaiting'
  | 'operatorJoined'
  | 'backToBot'
  | 'alreadyWithBot'
  | 'alreadyWaiting'
  | 'alreadyWithOperator'
  | 'textOnly'
  | 'llmFailed'
  | 'llmFailedOfferHuman'
  | 'closedByOperator'
  | 'closedIdle'
  | 'operatorsOnly'
  | 'operatorChanged'
  | 'backInQueue'
  | 'banned'
  | 'slowDown'
  | 'edited'

  // The queue that does not wait forever (QUEUE_TIMEOUT_MINUTES) and /reopen: src/i18n/texts.queue.ts.
  | 'queueTimeout'
  | 'keepWaiting'
  | 'writeYourMessage'
  | 'messageLeft'
  | 'choiceExpired'
  | 'reopened';

/** Keys of texts for the operators' chat. */
export type OperatorTextKey =
  | 'taken'
  | 'alreadyTaken'
  | 'takeFirst'
  | 'reminder'
  | 'userLeftQueue'
  | 'closed'
  | 'cannotClose'
  | 'notOperator'
  | 'whichDialog'
  | 'noSuchDialog'
  | 'updateSetAside'
  | 'deliveryFailed'
  | 'transferred'
  | 'transferWho'
  | 'transferNotMember'
  | 'cannotTransfer'
  | 'released'
  | 'cannotRelease'
  | 'cannotSendReply'
  | 'historyHeader'
  | 'historyNone'
  | 'savedReplies'
  | 'noSavedReply'
  | 'bannedUser'
  | 'unbanned'
  | 'notBanned'
  | 'unbanWho'
  | 'edited'
  | 'onDuty'
  | 'offDuty'
  | 'onDutyNow'
  | 'assigned'

  // The queue timeout and /reopen: src/i18n/texts.queue.ts.
  | 'leftMessage'
  | 'reopenedBy'
  | 'noDialog'
  | 'notClosed'
  | 'reopenBusy'
  | 'reopenBanned'
  | 'reopenNoTicket'
  | 'cannotReopen';

/** Where in the operators' chat an operator wrote: a refusal is answered right there. */
export interface Placement {
  threadId?: number;
  replyTo?: number;
}

/** The dialog's ticket in the operators' chat: its message, and its forum topic in a forum group. */
export interface TicketRef {
  messageId: number;
  threadId: number | null;
  /** When it was posted (ms; the `stepAt` of `ticket.posted`): the reminders say how long the user has waited. */
  postedAt?: number;
}

/** The user's answer to the queue timeout's question (QUEUE_TIMEOUT_MINUTES): its three buttons. */
export type QueueChoice = 'wait' | 'bot' | 'leave';
/** A MessageEntity as an edit carries it back to the copy (formatting, links, mentions). */
export interface EntityLike {
  type: string;
  offset: number;
  length: number;
  [field: string]: unknown;
}

/** A message's content after an edit: its text (a media's caption) with its formatting. */
export interface EditedContent {
  text: string;
  entities?: EntityLike[];
  /** A photo, document…: its caption was edited (the copy gets a note "edited:"). */
  media: boolean;
}

/**
 * An album being gathered: Telegram sends each part of a media group as an update of its own, a
 * few milliseconds apart; the parts wait here until a short timer fires (or another message
 * comes), then go to the other side as one album (`copyMessages`).
 */
export interface PendingAlbum {
  groupId: string;
  fromChatId: number;
  /** The parts' message ids, in the order they came. */
  messageIds: number[];
}

/** The machine's context: everything it needs to decide, and nothing it can look up later. */
export interface DialogContext {
  dialogId: number;
  /** The user's private chat with the bot. */
  chatId: number;
  lang: Lang;
  /** Id of the LLM request whose answer the dialog waits for; answers to older requests are dropped. */
  pendingLlmRequest: string | null;
  /**
   * When the burst of messages the pending request answers began (ms). A message within
   * `settings.mergeWindowMs` of it replaces the request with one that answers the whole burst;
   * a later one waits ({@link queuedMessageId}) and is answered right after.
   */
  burstStartedAt: number | null;
  /** The latest user message that arrived while an answer was being written: asked about next. */
  queuedMessageId: number | null;
  /** LLM failures in a row. */
  llmFailures: number;
  /** Answers the user stopped in a row: a weak sign that the bot is not helping (two make it offer a human). */
  stops?: number;
  handoff: HandoffSignal | null;
  /** Who owns the dialog; `assigned`: AUTO_ASSIGN gave it to them (it was not taken). */
  operator: { id: number; name: string; assigned?: boolean } | null;
  operatorWaitReminders: number;
  /** Failed attempts at posting the current ticket (the user is told once; retries back off). */
  ticketFailures: number;
  /** The ticket, once posted (its ids come back in `ticket.posted`). */
  ticket: TicketRef | null;
  closeReason: CloseReason | null;
  /**
   * The queue timeout (awaitingOperator): `offered` while the user has the three buttons,
   * `leaving` once they chose to leave a message and the bot waits for it; null otherwise.
   */
  queueChoice?: 'offered' | 'leaving' | null;
  /** The user's messages relayed while the dialog waited for an operator: "details they already wrote". */
  waitingMessages?: number;
  /** Albums being gathered, one per side (absent in snapshots older than albums). */
  albums?: { user?: PendingAlbum; operator?: PendingAlbum };
  /** The last album the user sent while the bot answers: its later parts without words get no "text only" notice. */
  seenUserAlbum?: string;
  /** The last album an operator sent before anyone took the dialog: one "take it first" for all its parts. */
  seenOperatorAlbum?: string;
  settings: DialogSettings;
  /** The handoff came while operators were away (working hours): when, and when they are back; the ticket says so. */
  afterHours?: { at: number; opensAt: number } | null;
}

/** Timings and thresholds, fixed when the dialog starts (from configuration). */
export interface DialogSettings {
  operatorWaitMs: number;
  idleCloseMs: number;
  llmFailuresBeforeOffer: number;
  /** Messages this close to the first of a burst are answered together (default 1500 ms). */
  mergeWindowMs?: number;
  /** QUEUE_TIMEOUT_MINUTES: nobody took the dialog this long, the user chooses what next; 0 or absent: never. */
  queueTimeoutMs?: number;
  /** How long an album's parts are gathered after the last one came (default 1000 ms). */
  albumWaitMs?: number;
  /** Operators' working hours (src/hours); unset: always open. */
  hours?: HoursSpec;
}

/** What a new dialog starts from. */
export interface DialogInput {
  dialogId: number;
  chatId: number;
  lang: Lang;
  settings: DialogSettings;
}

/** Timers the machine can set; each is kept as an absolute deadline in PostgreSQL. */
export type TimerName = 'operatorWait' | 'idle' | 'ticketRetry' | 'userAlbum' | 'operatorAlbum' | 'queueTimeout';

/**
 * Everything that can happen to a dialog. Dotted names: `<who>.<what>`; `at` is when it happened
 * (ms since the epoch). The events commands become (`/take` → `operator.take`) are declared with
 * their commands, in the command registry.
 */
export type DialogEvent = DialogEventBody & StepStamp;

/**
 * When the step that applies an event is taken (ms since the epoch, by the service's clock): the
 * engine stamps every event with it, so the machine knows "now" (working hours) without a clock of
 * its own. Optional for events built without the engine (the machine's tests); without it the
 * machine decides as if there were no working hours.
 */
export interface StepStamp {
  stepAt?: number;
}

/** The events as their sources build them; the engine adds the {@link StepStamp}. */
type DialogEventBody =
  | CommandEvent
  | {
      type: 'user.message';
      messageId: number;
      text: string;
      signal: HandoffSignal | null;
      at: number;
      /** The text read as an answer to "Switch you to a human?" ("да", "no thanks"), if it is one. */
      answer?: 'yes' | 'no';
      /** The album (`media_group_id`) this message is a part of. */
      mediaGroupId?: string;
    }
  /** The user edited a message of theirs: relayed copies are updated; an edit of a message the bot answered changes nothing. */
  | { type: 'user.edited'; messageId: number; edit: EditedContent }
  | { type: 'user.confirmHandoff' }
  | { type: 'user.declineHandoff' }
  | { type: 'user.blocked' }
  | { type: 'user.stop'; draftId: number }
  /** `stopped`: the user pressed Stop and this is the text written until then. */
  | { type: 'llm.reply'; requestId: string; text: string; cannotHelp: boolean; at: number; stopped?: boolean }
  /** The knowledge base does not cover the question: `text` says so honestly (a human is offered next). */
  | { type: 'llm.notCovered'; requestId: string; text: string; at: number }
  /** The user pressed Stop before the model wrote anything. */
  | { type: 'llm.stopped'; requestId: string; at: number }
  | { type: 'llm.transfer'; requestId: string; reason: string; text?: string; at: number }
  | { type: 'llm.failed'; requestId: string; code: string; at: number }
  /**
   * `html`: the ticket as posted, for the brief edited into it later. `assignedTo`: the on-duty
   * operator AUTO_ASSIGN picked when posting it (named in the ticket), who owns the dialog at once.
   */
  | { type: 'ticket.posted'; messageId: number; threadId: number | null; html?: string; assignedTo?: { id: number; name: string } }
  /** A button of the queue timeout's question; only the open question takes it (an old button does nothing). */
  | { type: 'user.queueChoice'; choice: QueueChoice }
  | { type: 'ticket.failed' }
  | { type: 'ticket.moved'; threadId: number }
  | { type: 'operator.message'; operatorId: number; operatorName: string; fromChatId: number; messageId: number; place?: Placement; mediaGroupId?: string }
  /** An operator edited a message in the operators' chat: the user's copy of it, if there is one, is updated. */
  | { type: 'operator.edited'; operatorId: number; fromChatId: number; messageId: number; edit: EditedContent }
  /** An operator's private note (`!…` or `//…` in the dialog's topic or a reply to its ticket): stored, never sent. */
  | { type: 'operator.note'; operatorId: number }
  | { type: 'admin.handoff'; reason: string }
  | { type: 'admin.close' }
  | { type: 'admin.message'; text: string }
  | { type: 'timer.operatorWait' }
  | { type: 'timer.idle' }
  | { type: 'timer.ticketRetry' }
  /** The user's album has had all its parts (none came for `albumWaitMs`): it goes to the operators. */
  | { type: 'timer.userAlbum' }
  | { type: 'timer.operatorAlbum' }
  | { type: 'timer.queueTimeout' };

/** The type names of {@link DialogEvent}. */
export type DialogEventType = DialogEvent['type'];

/** Every event type, for exhaustive tests and the diagram. */
export const DIALOG_EVENT_TYPES: readonly DialogEventType[] = [
  ...COMMAND_EVENT_TYPES,
  'user.message',
  'user.confirmHandoff',
  'user.declineHandoff',
  'user.blocked',
  'llm.reply',
  'llm.transfer',
  'llm.failed',
  'user.stop',
  'llm.stopped',
  'llm.notCovered',
  'ticket.posted',
  'ticket.failed',
  'ticket.moved',
  'operator.message',
  'operator.note',
  'admin.handoff',
  'admin.close',
  'admin.message',
  'timer.operatorWait',
  'timer.idle',
  'timer.ticketRetry',
  'user.queueChoice',
  'timer.queueTimeout',
  'user.edited',
  'operator.edited',
  'timer.userAlbum',
  'timer.operatorAlbum',
];
