import { assign, enqueueActions } from 'xstate';
import { DEFAULT_MERGE_WINDOW_MS, dialogSetup } from './dialog.setup';
import type { DialogContext, DialogEvent, OperatorTextKey } from './dialog.types';

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

/** The ticket retry timer, after `ticketFailures` failures (counted before this action runs). */
const retryTicketLater = {
  type: 'scheduleTimer',
  params: ({ context }: { context: DialogContext }) => ({
    name: 'ticketRetry' as const,
    delayMs: Math.min(600_000, 30_000 * 2 ** Math.max(0, (context.ticketFailures ?? 1) - 1)),
  }),
} as const;

/** A refusal of an operator's command, answered where the operator wrote. */
const refuse = (key: OperatorTextKey) =>
  ({ type: 'replyToOperator', params: ({ event }: { event: DialogEvent }) => ({ key, place: ('place' in event ? event.place : undefined) ?? {} }) }) as const;

/** A user who blocked the bot, an operator's /ban, or the admin API, closes the dialog in every state but `closed`. */
const closeFromAnyOpenState = {
  'user.blocked': { target: '#dialog.closed', actions: { type: 'closeBecause', params: { reason: 'blocked' } } },
  'operator.ban': {
    target: '#dialog.closed',
    actions: [
      { type: 'banUser', params: ({ event }: { event: Extract<DialogEvent, { type: 'operator.ban' }> }) => ({ operatorId: event.operatorId, operatorName: event.operatorName, reason: event.reason }) },
      { type: 'notifyOperators', params: ({ event }: { event: Extract<DialogEvent, { type: 'operator.ban' }> }) => ({ key: 'bannedUser' as const, operatorName: event.operatorName }) },
      { type: 'closeBecause', params: { reason: 'banned' as const } },
    ],
  },
  'admin.close': { target: '#dialog.closed', actions: { type: 'closeBecause', params: { reason: 'admin' } } },
} as const;

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
    botActive: {
      description: 'The LLM answers the user.',
      // Leaving the bot: a request still being written is stopped, and nothing waits for it.
      exit: enqueueActions(({ context, event, enqueue }) => {
        const pending = context.pendingLlmRequest;
        const answersIt = 'requestId' in event && event.requestId === pending;
        if (pending !== null && !answersIt) enqueue({ type: 'cancelLlm', params: { requestId: pending } });
        enqueue.assign({ pendingLlmRequest: null, burstStartedAt: null, queuedMessageId: null });
      }),
      on: {
        ...closeFromAnyOpenState,
        'user.message': [
          { guard: 'highSignal', target: 'handoffRequested.posting', actions: 'rememberSignal' },
          { guard: 'mediumSignal', target: 'handoffRequested.confirming', actions: 'rememberSignal' },
          // A photo or a voice message without words: the LLM reads text only.
          { guard: 'noText', actions: { type: 'notifyUser', params: { key: 'textOnly' } } },
          // Part of the burst being answered: one answer to the whole burst replaces the pending one.
          {
            guard: 'answerPendingInBurst',
            actions: [
              { type: 'cancelLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) },
              'waitForMessage', { type: 'askLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) },
            ],
          },
          // Later than that: answered right after the pending answer, never dropped.
          { guard: 'answerPending', actions: 'queueMessage' },
          { actions: ['startBurst', 'waitForMessage', { type: 'askLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) }] },
        ],
        'llm.reply': [
          {
            guard: 'isPendingWithQueue',
            actions: [
              { type: 'sendLlmReply', params: ({ event }) => ({ text: event.text }) },
              assign({ llmFailures: 0 }),
              'waitForQueued', { type: 'askLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) },
              'takeQueued',
            ],
          },
          {
            guard: 'secondStop',
            target: 'handoffRequested.confirming',
            actions: [{ type: 'sendLlmReply', params: ({ event }) => ({ text: event.text }) }, 'llmAnswered', 'rememberStops'],
          },
          {
            guard: 'isPendingAndCannotHelp',
            target: 'handoffRequested.confirming',
            actions: [
              { type: 'sendLlmReply', params: ({ event }) => ({ text: event.text }) },
              'llmAnswered',
              'rememberCannotHelp',
            ],
          },
          {
            guard: 'isPendingLlm',
            actions: [{ type: 'sendLlmReply', params: ({ event }) => ({ text: event.text }) }, 'llmAnswered'],
          },
        ],
        'llm.transfer': [
          // What the model wrote with its decision is sent first: "Let me get you a colleague."
          {
            guard: 'transferWithText',
            target: 'handoffRequested.posting',
            actions: [{ type: 'sendLlmReply', params: ({ event }) => ({ text: event.text ?? '' }) }, 'rememberLlmTransfer'],
          },
          { guard: 'isPendingLlm', target: 'handoffRequested.posting', actions: 'rememberLlmTransfer' },
        ],
        // The base has no answer: say so, and offer a person (a question that waited is asked about instead).
        'llm.notCovered': [
          {
            guard: 'isPendingWithQueue',
            actions: [
              { type: 'sendLlmReply', params: ({ event }) => ({ text: event.text }) },
              'waitForQueued',
              { type: 'askLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) },
              'takeQueued',
            ],
          },
          {
            guard: 'isPendingLlm',
            target: 'handoffRequested.confirming',
            actions: [{ type: 'sendLlmReply', params: ({ event }) => ({ text: event.text }) }, 'llmAnswered', 'rememberNotCovered'],
          },
        ],
        'user.stop': { guard: 'stopsPending', actions: { type: 'stopLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) } },
        'llm.stopped': [
          {
            guard: 'isPendingWithQueue',
            actions: ['countStop', 'waitForQueued', { type: 'askLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) }, 'takeQueued'],
          },
          { guard: 'secondStop', target: 'handoffRequested.confirming', actions: ['countStop', 'rememberStops'] },
          { guard: 'isPendingStopped', actions: 'countStop' },
        ],
        'llm.failed': [
          {
            guard: 'isPendingWithQueue',
            actions: [
              { type: 'notifyUser', params: { key: 'llmFailed' } },
              assign({ llmFailures: ({ context }) => context.llmFailures + 1 }),
              'waitForQueued', { type: 'askLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) },
              'takeQueued',
            ],
          },
          {
            guard: 'isPendingAndTooManyFailures',
            target: 'handoffRequested.confirming',
            actions: ['llmFailed', 'rememberLlmFailures', { type: 'notifyUser', params: { key: 'llmFailedOfferHuman' } }],
          },
          { guard: 'isPendingLlm', actions: ['llmFailed', { type: 'notifyUser', params: { key: 'llmFailed' } }] },
        ],
        'user.requestHuman': { target: 'handoffRequested.posting', actions: 'rememberExplicitRequest' },
        'admin.handoff': { target: 'handoffRequested.posting', actions: 'rememberAdminRequest' },
        'user.start': { actions: { type: 'notifyUser', params: { key: 'greeting' } } },
        'user.backToBot': { actions: { type: 'notifyUser', params: { key: 'alreadyWithBot' } } },
        'operator.take': { target: 'operatorActive', actions: 'assignOperator' },
      },
    },

    handoffRequested: {
      description: 'A person was asked for: confirm with the user (medium confidence) or post the ticket.',
      initial: 'posting',
      on: {
        ...closeFromAnyOpenState,
        'operator.take': { target: 'operatorActive', actions: 'assignOperator' },
      },
      states: {
        confirming: {
          description: 'The bot asked "Switch you to a human?" with Yes and No buttons.',
          entry: 'askConfirmation',
          on: {
            'user.confirmHandoff': { target: 'posting' },
            'user.requestHuman': { target: 'posting', actions: 'rememberExplicitRequest' },
            'admin.handoff': { target: 'posting', actions: 'rememberAdminRequest' },
            'user.declineHandoff': {
              target: '#dialog.botActive',
              actions: ['forgetHandoff', { type: 'notifyUser', params: { key: 'handoffDeclined' } }],
            },
            'user.backToBot': {
              target: '#dialog.botActive',
              actions: ['forgetHandoff', { type: 'notifyUser', params: { key: 'backToBot' } }],
            },
            'user.message': [
              // A typed "да" or "no thanks" answers the question like the buttons do.
              { guard: 'saysYes', target: 'posting' },
              { guard: 'saysNo', target: '#dialog.botActive', actions: ['forgetHandoff', { type: 'notifyUser', params: { key: 'handoffDeclined' } }] },
              { guard: 'highSignal', target: 'posting', actions: 'rememberSignal' },
              {
                guard: 'noText',
                target: '#dialog.botActive',
                actions: ['forgetHandoff', { type: 'notifyUser', params: { key: 'textOnly' } }],
              },
              {
                target: '#dialog.botActive',
                actions: ['forgetHandoff', 'startBurst', 'waitForMessage', { type: 'askLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) }],
              },
            ],
          },
        },
        posting: {
          description: 'The user is told «Переключаю на человека…» and the ticket is being posted.',
          entry: [{ type: 'notifyUser', params: { key: 'switching' } }, 'postTicket'],
          on: {
            'ticket.posted': {
              target: '#dialog.awaitingOperator',
              actions: [
                assign({ ticketFailures: 0, ticket: ({ event }) => ({ messageId: event.messageId, threadId: event.threadId }) }),
                { type: 'writeBrief', params: ({ event }) => ({ messageId: event.messageId, html: event.html ?? '' }) },
              ],
            },
            // Tell the user once; retry after 30 s, doubling up to 10 minutes.
            'ticket.failed': [
              {
                guard: 'firstTicketFailure',
                actions: [{ type: 'notifyUser', params: { key: 'ticketDelayed' } }, 'countTicketFailure', retryTicketLater],
              },
              { actions: ['countTicketFailure', retryTicketLater] },
            ],
            'timer.ticketRetry': { actions: 'postTicket' },
            // The message is stored; it reaches the operators with the ticket's last messages.
            'user.message': { actions: 'keepForTicket' },
            'user.requestHuman': { actions: { type: 'notifyUser', params: { key: 'alreadyWaiting' } } },
          },
        },
      },
    },

    awaitingOperator: {
      description: 'The ticket is in the operators\' chat; the bot is silent and relays the user\'s messages.',
      entry: {
        type: 'scheduleTimer',
        params: ({ context }) => ({ name: 'operatorWait', delayMs: context.settings.operatorWaitMs }),
      },
      exit: { type: 'cancelTimer', params: { name: 'operatorWait' } },
      on: {
        ...closeFromAnyOpenState,
        'user.message': {
          actions: { type: 'relayToOperators', params: ({ event }) => ({ messageId: event.messageId }) },
        },
        'user.backToBot': {
          target: 'botActive',
          actions: [
            'forgetHandoff',
            { type: 'notifyUser', params: { key: 'backToBot' } },
            { type: 'notifyOperators', params: { key: 'userLeftQueue' } },
          ],
        },
        'user.requestHuman': { actions: { type: 'notifyUser', params: { key: 'alreadyWaiting' } } },
        // An operator wrote before taking the dialog: nothing is relayed until someone owns it.
        'operator.message': { actions: { type: 'notifyOperators', params: { key: 'takeFirst' } } },
        'timer.operatorWait': {
          actions: [
            'countReminder',
            { type: 'notifyUser', params: { key: 'stillWaiting' } },
            { type: 'notifyOperators', params: { key: 'reminder' } },
            {
              type: 'scheduleTimer',
              params: ({ context }) => ({ name: 'operatorWait', delayMs: context.settings.operatorWaitMs }),
            },
          ],
        },
        'operator.take': { target: 'operatorActive', actions: 'assignOperator' },
        // An operator hands a waiting dialog straight to a colleague: as if the colleague took it.
        'operator.transfer': { target: 'operatorActive', actions: 'assignTransferTarget' },
        'operator.close': { target: 'closed', actions: { type: 'closeBecause', params: { reason: 'operator' } } },
      },
    },

    operatorActive: {
      description: 'One operator owns the dialog; messages are relayed both ways; the LLM is never called.',
      entry: [
        { type: 'notifyUser', params: { key: 'operatorJoined' } },
        { type: 'notifyOperators', params: ({ context }) => ({ key: 'taken', operatorName: context.operator?.name }) },
        { type: 'scheduleTimer', params: ({ context }) => ({ name: 'idle', delayMs: context.settings.idleCloseMs }) },
      ],
      exit: { type: 'cancelTimer', params: { name: 'idle' } },
      on: {
        ...closeFromAnyOpenState,
        'user.message': {
          actions: [
            { type: 'relayToOperators', params: ({ event }) => ({ messageId: event.messageId }) },
            { type: 'scheduleTimer', params: ({ context }) => ({ name: 'idle', delayMs: context.settings.idleCloseMs }) },
          ],
        },
        'operator.message': {
          guard: 'isOwner',
          actions: [
            {
              type: 'relayToUser',
              params: ({ event }) => ({ fromChatId: event.fromChatId, messageId: event.messageId }),
            },
            { type: 'scheduleTimer', params: ({ context }) => ({ name: 'idle', delayMs: context.settings.idleCloseMs }) },
          ],
        },
        // A saved reply (the router checked its key) goes to the user from the dialog's operator only.
        'operator.savedReply': [
          {
            guard: 'isOwner',
            actions: [
              { type: 'sendSavedReply', params: ({ event }) => ({ key: event.key }) },
              { type: 'scheduleTimer', params: ({ context }) => ({ name: 'idle', delayMs: context.settings.idleCloseMs }) },
            ],
          },
          { actions: refuse('cannotSendReply') },
        ],
        'operator.take': [
          { guard: 'isOwner' },
          {
            actions: {
              type: 'notifyOperators',
              params: ({ context }) => ({ key: 'alreadyTaken', operatorName: context.operator?.name }),
            },
          },
        ],
        // Any operator may hand the dialog over (a lead reassigning it); the colleague is mentioned in the ticket.
        'operator.transfer': [
          { guard: 'transferToOwner' },
          {
            actions: [
              'assignTransferTarget',
              { type: 'notifyUser', params: { key: 'operatorChanged' } },
              { type: 'notifyOperators', params: ({ event }) => ({ key: 'transferred' as const, operatorName: event.to.name, operatorId: event.to.id }) },
              { type: 'scheduleTimer', params: ({ context }) => ({ name: 'idle', delayMs: context.settings.idleCloseMs }) },
            ],
          },
        ],
        // Only the owner gives the dialog back to the queue; the reminders start again there.
        'operator.release': [
          {
            guard: 'isOwner',
            target: 'awaitingOperator',
            actions: ['releaseOperator', { type: 'notifyUser', params: { key: 'backInQueue' } }, { type: 'notifyOperators', params: { key: 'released' } }],
          },
          { actions: refuse('cannotRelease') },
        ],
        'operator.close': { target: 'closed', actions: { type: 'closeBecause', params: { reason: 'operator' } } },
        'timer.idle': { target: 'closed', actions: { type: 'closeBecause', params: { reason: 'idle' } } },
        'user.requestHuman': { actions: { type: 'notifyUser', params: { key: 'alreadyWithOperator' } } },
        'user.backToBot': { actions: { type: 'notifyUser', params: { key: 'alreadyWithOperator' } } },
      },
    },

    closed: {
      description: 'The dialog is over; the next user message starts a new dialog in botActive.',
      type: 'final',
      // The fallbacks of the open states do not apply to a closed dialog.
      on: { 'operator.close': {}, 'operator.transfer': {}, 'operator.release': {}, 'operator.savedReply': {}, 'operator.history': {}, 'operator.note': {}, 'admin.message': {}, 'ticket.moved': {} },
      entry: enqueueActions(({ context, enqueue }) => {
        // A user who blocked the bot cannot be told anything; a banned one hears the ban's notice on their next message.
        if (context.closeReason !== 'blocked' && context.closeReason !== 'banned') {
          enqueue({ type: 'notifyUser', params: { key: context.closeReason === 'idle' ? 'closedIdle' : 'closedByOperator' } });
        }
        enqueue({ type: 'notifyOperators', params: { key: 'closed' } });
      }),
    },
  },
});

/** The machine's type, for stores and the runtime. */
export type DialogMachine = typeof dialogMachine;
