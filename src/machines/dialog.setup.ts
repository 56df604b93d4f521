import { assign, setup } from 'xstate';
import { draftIdFor } from '../streaming/draft.id';
import { dialogEffects } from './dialog.effects';
import { operatorsAwayUntil } from './dialog.hours';
import type { CloseReason, DialogContext, DialogEvent, DialogInput, HandoffSignal, PendingAlbum, QueueChoice } from './dialog.types';

type E<T extends DialogEvent['type']> = Extract<DialogEvent, { type: T }>;

/** The id of the LLM request that answers a message (and the burst it ends). */
export const requestIdFor = (context: DialogContext, messageId: number) => `${context.dialogId}:${messageId}`;

/** The user pressed the queue timeout's `choice` button while its question is open. */
const chose = (context: DialogContext, event: DialogEvent, choice: QueueChoice) =>
  context.queueChoice === 'offered' && (event as E<'user.queueChoice'>).choice === choice;

/** Default of `settings.mergeWindowMs`. */
export const DEFAULT_MERGE_WINDOW_MS = 1500;

/** Default of `settings.albumWaitMs`: Telegram sends an album's parts within a few hundred ms of each other. */
export const DEFAULT_ALBUM_WAIT_MS = 1000;

/** The part of a message that may be a piece of an album. */
type AlbumPart = E<'user.message' | 'operator.message'>;

/** A new album of one part, or the pending one with this part added. */
const withPart = (pending: PendingAlbum | undefined, event: AlbumPart, fromChatId: number): PendingAlbum =>
  pending && pending.groupId === event.mediaGroupId
    ? { ...pending, messageIds: [...pending.messageIds, event.messageId] }
    : { groupId: event.mediaGroupId ?? '', fromChatId, messageIds: [event.messageId] };

/**
 * The dialog machine's implementations, named: its effects (which do nothing when stepped: the
 * runtime reads them from `transition()`'s result), its context updates and its guards. The
 * statechart that uses them by name is in dialog.machine.ts.
 */
export const dialogSetup = setup({
  types: {
    context: {} as DialogContext,
    events: {} as DialogEvent,
    input: {} as DialogInput,
  },
  actions: {
    ...dialogEffects,

    rememberSignal: assign({
      handoff: ({ event }) => (event as E<'user.message'>).signal,
    }),
    rememberLlmTransfer: assign({
      handoff: ({ event }): HandoffSignal => ({
        layer: 'llm',
        confidence: 'high',
        reason: `llm.${(event as E<'llm.transfer'>).reason || 'transfer_to_human'}`,
      }),
    }),
    rememberExplicitRequest: assign({
      handoff: (): HandoffSignal => ({ layer: 'explicit', confidence: 'high', reason: 'explicit.request' }),
    }),
    rememberAdminRequest: assign({
      handoff: ({ event }): HandoffSignal => ({
        layer: 'admin',
        confidence: 'high',
        reason: `admin.${(event as E<'admin.handoff'>).reason}`,
      }),
    }),
    rememberCannotHelp: assign({
      handoff: (): HandoffSignal => ({ layer: 'failure', confidence: 'medium', reason: 'failure.bot_cannot_help' }),
    }),
    rememberLlmFailures: assign({
      handoff: (): HandoffSignal => ({ layer: 'failure', confidence: 'medium', reason: 'failure.llm_errors' }),
    }),
    /** Wait for the answer to this message (the history carries the rest of the burst). */
    waitForMessage: assign({ pendingLlmRequest: ({ context, event }) => requestIdFor(context, (event as E<'user.message'>).messageId) }),
    /** Wait for the answer to the message that waited while the last answer was written. */
    waitForQueued: assign({ pendingLlmRequest: ({ context }) => requestIdFor(context, context.queuedMessageId ?? 0) }),
    startBurst: assign({ burstStartedAt: ({ event }) => (event as E<'user.message'>).at }),
    queueMessage: assign({ queuedMessageId: ({ event }) => (event as E<'user.message'>).messageId }),
    /** The queued message becomes the next request's burst; its answer follows the one just sent. */
    takeQueued: assign({ burstStartedAt: ({ event }) => (event as E<'llm.reply' | 'llm.failed'>).at, queuedMessageId: null }),
    llmAnswered: assign({
      pendingLlmRequest: null,
      llmFailures: 0,
      burstStartedAt: null,
      stops: ({ context, event }) => ((event as E<'llm.reply'>).stopped ? (context.stops ?? 0) + 1 : 0),
    }),
    countStop: assign({ pendingLlmRequest: null, burstStartedAt: null, stops: ({ context }) => (context.stops ?? 0) + 1 }),
    rememberNotCovered: assign({
      handoff: (): HandoffSignal => ({ layer: 'knowledge', confidence: 'medium', reason: 'knowledge.not_covered' }),
    }),
    rememberStops: assign({
      handoff: (): HandoffSignal => ({ layer: 'failure', confidence: 'medium', reason: 'failure.user_stopped' }),
    }),
    llmFailed: assign({ pendingLlmRequest: null, llmFailures: ({ context }) => context.llmFailures + 1, burstStartedAt: null }),
    forgetHandoff: assign({ handoff: null, operatorWaitReminders: 0, ticketFailures: 0, afterHours: null }),
    countTicketFailure: assign({ ticketFailures: ({ context }) => (context.ticketFailures ?? 0) + 1 }),
    assignOperator: assign({
      operator: ({ event }) => {
        const e = event as E<'operator.take'>;
        return { id: e.operatorId, name: e.operatorName };
      },
    }),
    assignTransferTarget: assign({
      operator: ({ event }) => {
        const e = event as E<'operator.transfer'>;
        return { id: e.to.id, name: e.to.name };
      },
    }),
    /** The posted ticket's ids (from `ticket.posted`). */
    rememberTicket: assign({
      ticketFailures: 0,
      ticket: ({ event }) => {
        const e = event as E<'ticket.posted'>;
        // When it was posted, by the step's clock: the reminders say how long the user has waited.
        return { messageId: e.messageId, threadId: e.threadId, postedAt: e.stepAt };
      },
    }),
    /** AUTO_ASSIGN: the on-duty operator picked when the ticket was posted owns the dialog, as if they had taken it. */
    assignPostedTo: assign({
      operator: ({ event }) => {
        const to = (event as E<'ticket.posted'>).assignedTo;
        return to ? { id: to.id, name: to.name, assigned: true } : null;
      },
    }),
    releaseOperator: assign({ operator: null, operatorWaitReminders: 0 }),
    countReminder: assign({ operatorWaitReminders: ({ context }) => context.operatorWaitReminders + 1 }),
    closeBecause: assign({
      closeReason: (_, params: { reason: CloseReason }) => params.reason,
    }),
    /** A part of the user's album waits for the others (the timer is set again by the transition). */
    gatherUserAlbum: assign({
      albums: ({ context, event }) => ({ ...context.albums, user: withPart(context.albums?.user, event as AlbumPart, context.chatId) }),
    }),
    gatherOperatorAlbum: assign({
      albums: ({ context, event }) => {
        const e = event as E<'operator.message'>;
        return { ...context.albums, operator: withPart(context.albums?.operator, e, e.fromChatId) };
      },
    }),
    /** The bot saw this album: its later parts without words are kept quietly. */
    noteUserAlbum: assign({ seenUserAlbum: ({ context, event }) => (event as E<'user.message'>).mediaGroupId ?? context.seenUserAlbum }),
    noteOperatorAlbum: assign({ seenOperatorAlbum: ({ context, event }) => (event as E<'operator.message'>).mediaGroupId ?? context.seenOperatorAlbum }),
    // The queue timeout (QUEUE_TIMEOUT_MINUTES) and /reopen.
    offerQueue: assign({ queueChoice: 'offered' as const }),
    keepQueue: assign({ queueChoice: null }),
    awaitLeftMessage: assign({ queueChoice: 'leaving' as const }),
    countWaitingMessage: assign({ waitingMessages: ({ context }) => (context.waitingMessages ?? 0) + 1 }),
    /** A closed dialog reopened by an operator (`/reopen`): open again, theirs, its history and ticket kept. */
    reopenBy: assign({
      operator: ({ event }) => {
        const e = event as E<'operator.reopen'>;
        return { id: e.operatorId, name: e.operatorName };
      },
      closeReason: null,
      operatorWaitReminders: 0,
      queueChoice: null,
      waitingMessages: 0,
    }),
  },
  guards: {
    /** Outside working hours at this step (never without OPERATOR_HOURS). */
    operatorsAway: ({ context, event }) => operatorsAwayUntil(context, event) !== null,
    saysYes: ({ event }) => (event as E<'user.message'>).answer === 'yes',
    saysNo: ({ event }) => (event as E<'user.message'>).answer === 'no',
    highSignal: ({ event }) => (event as E<'user.message'>).signal?.confidence === 'high',
    mediumSignal: ({ event }) => (event as E<'user.message'>).signal?.confidence === 'medium',
    isPendingLlm: ({ context, event }) =>
      context.pendingLlmRequest !== null &&
      context.pendingLlmRequest === (event as E<'llm.reply' | 'llm.transfer' | 'llm.failed'>).requestId,
    isPendingAndCannotHelp: ({ context, event }) => {
      const e = event as E<'llm.reply'>;
      return context.pendingLlmRequest === e.requestId && e.cannotHelp && context.queuedMessageId === null;
    },
    isPendingWithQueue: ({ context, event }) =>
      context.pendingLlmRequest === (event as E<'llm.reply' | 'llm.failed'>).requestId && context.queuedMessageId !== null,
    answerPendingInBurst: ({ context, event }) =>
      context.pendingLlmRequest !== null &&
      context.burstStartedAt !== null &&
      (event as E<'user.message'>).at - context.burstStartedAt <= (context.settings.mergeWindowMs ?? DEFAULT_MERGE_WINDOW_MS),
    answerPending: ({ context }) => context.pendingLlmRequest !== null,
    /** The Stop pressed is on the draft of the answer being written (its draft id derives from the request). */
    stopsPending: ({ context, event }) =>
      context.pendingLlmRequest !== null && draftIdFor(context.pendingLlmRequest) === (event as E<'user.stop'>).draftId,
    isPendingStopped: ({ context, event }) => context.pendingLlmRequest === (event as E<'llm.stopped'>).requestId,
    /** The second answer in a row the user stopped: offer a person. */
    secondStop: ({ context, event }) => {
      const e = event as E<'llm.reply' | 'llm.stopped'>;
      const stopped = e.type === 'llm.stopped' || (e as E<'llm.reply'>).stopped === true;
      return context.pendingLlmRequest === e.requestId && stopped && (context.stops ?? 0) + 1 >= 2 && context.queuedMessageId === null;
    },
    transferWithText: ({ context, event }) => {
      const e = event as E<'llm.transfer'>;
      return context.pendingLlmRequest === e.requestId && Boolean(e.text?.trim());
    },
    isPendingAndTooManyFailures: ({ context, event }) =>
      context.pendingLlmRequest === (event as E<'llm.failed'>).requestId &&
      context.llmFailures + 1 >= context.settings.llmFailuresBeforeOffer,
    noText: ({ event }) => (event as E<'user.message'>).text.trim() === '',
    /** A part of an album (`media_group_id`). */
    albumPart: ({ event }) => Boolean((event as AlbumPart).mediaGroupId),
    /** A later part, without words, of an album the bot already answered or noticed. */
    laterPartOfSeenAlbum: ({ context, event }) => {
      const e = event as E<'user.message'>;
      return Boolean(e.mediaGroupId) && e.mediaGroupId === context.seenUserAlbum && e.text.trim() === '';
    },
    /** A later part of an album an operator already heard "take it first" about. */
    laterPartOfSeenOperatorAlbum: ({ context, event }) => {
      const e = event as E<'operator.message'>;
      return Boolean(e.mediaGroupId) && e.mediaGroupId === context.seenOperatorAlbum;
    },
    /** The dialog's operator sends a part of an album. */
    ownerAlbumPart: ({ context, event }) => {
      const e = event as E<'operator.message'>;
      return context.operator !== null && context.operator.id === e.operatorId && Boolean(e.mediaGroupId);
    },
    firstTicketFailure: ({ context }) => !context.ticketFailures,
    /** The ticket went to an on-duty operator (AUTO_ASSIGN). */
    assignedOnPost: ({ event }) => Boolean((event as E<'ticket.posted'>).assignedTo),
    isOwner: ({ context, event }) =>
      context.operator !== null && context.operator.id === (event as E<'operator.message' | 'operator.take' | 'operator.release' | 'operator.savedReply'>).operatorId,
    // The user pressed a button of the queue timeout's question while it is open (an old button matches nothing).
    choseWait: ({ context, event }) => chose(context, event, 'wait'),
    choseBot: ({ context, event }) => chose(context, event, 'bot'),
    choseLeave: ({ context, event }) => chose(context, event, 'leave'),
    /** "Leave a message" when the user already wrote details while waiting: they are the message. */
    choseLeaveWithDetails: ({ context, event }) => chose(context, event, 'leave') && (context.waitingMessages ?? 0) > 0,
    /** The user chose to leave a message and this is it. */
    leavingMessage: ({ context }) => context.queueChoice === 'leaving',
    /** The queue timeout's question is open, or the user is writing the message they leave. */
    queueQuestionOpen: ({ context }) => context.queueChoice === 'offered' || context.queueChoice === 'leaving',
    /** A transfer to the operator who has the dialog already: nothing to do. */
    transferToOwner: ({ context, event }) => context.operator !== null && context.operator.id === (event as E<'operator.transfer'>).to.id,
  },
});
