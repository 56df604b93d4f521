import { assign } from 'xstate';
import { DEFAULT_MERGE_WINDOW_MS, dialogSetup } from './dialog.setup';
import { flushOperatorAlbum, flushUserAlbum, refuse } from './dialog.fragments';
import { awaitingOperator } from './states/awaitingOperator.state';
import { botActive } from './states/botActive.state';
import { closed } from './states/closed.state';
import { handoffRequested } from './states/handoffRequested.state';
import { operatorActive } from './states/operatorActive.state';

/**
 * Bump when a change to the machine makes old persisted snapshots unreadable (renamed states or
 * context fields). A Redis snapshot of another version is not restored; the dialog is rebuilt
 * from its PostgreSQL row (`state_value` + `context`), so a change that renames states also
 * needs a migration that rewrites those columns.
 */
export const DIALOG_MACHINE_VERSION = 2;

/** The five top-level states, in the order a dialog usually visits them. */
export const DIALOG_STATES = ['botActive', 'handoffRequested', 'awaitingOperator', 'operatorActive', 'closed'] as const;

/** A top-level state name. */
export type DialogStateName = (typeof DIALOG_STATES)[number];

/** The user message (Telegram id) an LLM request answers: the last of its burst. */
export function answeredMessageOf(requestId: string): number | undefined {
  const n = Number(requestId.split(':')[1]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

export { DEFAULT_MERGE_WINDOW_MS };

/**
 * The dialog machine: who answers the user right now, and what must happen on each event.
 *
 * Pure by design: it is stepped with XState's `transition()` and returns named effects
 * (`notifyUser`, `askLlm`, `postTicket`, …) that the runtime stores in the outbox and carries out
 * after the transition is committed. Timers are `scheduleTimer`/`cancelTimer` effects kept as
 * deadlines in PostgreSQL and delivered back as `timer.*` events, because XState does not re-arm
 * `after` delays when a persisted snapshot is restored.
 *
 * @example const [next, effects] = transition(dialogMachine, snapshot, { type: 'user.start' });
 */
export const dialogMachine = dialogSetup.createMachine({
  id: 'dialog',
  initial: 'botActive',
  // What every open state does unless it says otherwise (`closed` refuses them all).
  on: {
    // A close the state cannot do is refused where the operator wrote.
    'operator.close': { actions: refuse('cannotClose') },
    'operator.transfer': { actions: refuse('cannotTransfer') },
    'operator.release': { actions: refuse('cannotRelease') },
    'operator.savedReply': { actions: refuse('cannotSendReply') },
    // Read-only, in every open state: the user's earlier dialogs, for the operators.
    'operator.history': { actions: { type: 'showHistory', params: ({ event }) => ({ place: event.place ?? {} }) } },
    'admin.message': { actions: { type: 'sendSupportText', params: ({ event }) => ({ text: event.text }) } },
    // A private note stays with the operators: its step stores it (sender `note`) and sends nothing.
    'operator.note': { actions: 'keepNote' },
    // An album's parts have all come: it goes to the other side as one (also after /bot or /release).
    'timer.userAlbum': { actions: flushUserAlbum },
    'timer.operatorAlbum': { actions: flushOperatorAlbum },
    // A forum topic created again (an operator deleted the old one).
    'ticket.moved': { actions: assign({ ticket: ({ context, event }) => context.ticket && { ...context.ticket, threadId: event.threadId } }) },
  },
  context: ({ input }) => ({
    dialogId: input.dialogId,
    chatId: input.chatId,
    lang: input.lang,
    pendingLlmRequest: null,
    burstStartedAt: null,
    queuedMessageId: null,
    llmFailures: 0,
    stops: 0,
    handoff: null,
    operator: null,
    operatorWaitReminders: 0,
    ticketFailures: 0,
    ticket: null,
    closeReason: null,
    settings: input.settings,
  }),
  states: {
    botActive,
    handoffRequested,
    awaitingOperator,
    operatorActive,
    closed,
  },
});

/** The machine's type, for stores and the runtime. */
export type DialogMachine = typeof dialogMachine;
