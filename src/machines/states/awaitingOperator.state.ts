import { dialogSetup } from '../dialog.setup';
import type { DialogContext, DialogEvent } from '../dialog.types';
import { applyEdit, armQueueTimeout, closeFromAnyOpenState, flushUserAlbum, leaveQueue, relayUserMessage, waitedSincePosted } from '../dialog.fragments';
import { operatorWaitDelay } from '../dialog.hours';

/** The group's reminder (how long the user has waited since the ticket was posted, by the step's clock), and the next one armed. */
const remindOperators = [
  { type: 'notifyOperators', params: ({ context, event }: { context: DialogContext; event: DialogEvent }) => ({ key: 'reminder' as const, waitedMs: waitedSincePosted(context, event) }) },
  { type: 'scheduleTimer', params: ({ context }: { context: DialogContext }) => ({ name: 'operatorWait' as const, delayMs: context.settings.operatorWaitMs }) },
] as const;

/** `awaitingOperator`: The ticket waits in the operators' chat: the user's messages are relayed, reminders are sent, an operator takes it. */
export const awaitingOperator = dialogSetup.createStateConfig({
    description: 'The ticket is in the operators\' chat; the bot is silent and relays the user\'s messages.',
    // Outside working hours the first reminder waits for them to start; the queue does not wait forever (QUEUE_TIMEOUT_MINUTES, when on).
    entry: [
      {
        type: 'scheduleTimer',
        params: ({ context, event }) => ({ name: 'operatorWait', delayMs: operatorWaitDelay(context, event) }),
      },
      armQueueTimeout,
    ],
    exit: [{ type: 'cancelTimer', params: { name: 'operatorWait' } }, leaveQueue],
    on: {
      ...closeFromAnyOpenState,
      'user.message': [
        // The message the user chose to leave: it is relayed to the ticket (after an album gathered before it) and the dialog closes.
        {
          guard: 'leavingMessage',
          target: 'closed',
          actions: [flushUserAlbum, { type: 'relayToOperators', params: ({ event }) => ({ messageId: event.messageId }) }, { type: 'closeBecause', params: { reason: 'leftMessage' } }],
        },
        // Relayed at once; an album's parts are gathered and go as one album.
        ...relayUserMessage(['countWaitingMessage' as const]),
      ],
      // An edit of a relayed message (the user's, or an operator's before a /release) updates its copy.
      'user.edited': applyEdit,
      'operator.edited': applyEdit,
      // Nobody took the dialog in QUEUE_TIMEOUT_MINUTES: the user chooses, with three buttons.
      'timer.queueTimeout': [
        // Due while operators are away (their hours ended meanwhile): counted again from when they are back.
        { guard: 'operatorsAway', actions: armQueueTimeout },
        { actions: ['offerQueue', 'offerQueueChoices'] },
      ],
      'user.queueChoice': [
        {
          guard: 'choseWait',
          actions: ['keepQueue', { type: 'notifyUser', params: { key: 'keepWaiting' } }, armQueueTimeout],
        },
        {
          guard: 'choseBot',
          target: 'botActive',
          actions: ['forgetHandoff', { type: 'notifyUser', params: { key: 'backToBot' } }, { type: 'notifyOperators', params: { key: 'userLeftQueue' } }],
        },
        // The details the user wrote while waiting are on the ticket already: that is the message.
        { guard: 'choseLeaveWithDetails', target: 'closed', actions: { type: 'closeBecause', params: { reason: 'leftMessage' } } },
        { guard: 'choseLeave', actions: ['awaitLeftMessage', { type: 'notifyUser', params: { key: 'writeYourMessage' } }] },
      ],
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
      // (Once for an album: its later parts are not accepted, so nothing is said again.)
      'operator.message': [
        { guard: 'laterPartOfSeenOperatorAlbum' },
        { actions: [{ type: 'notifyOperators', params: { key: 'takeFirst' } }, 'noteOperatorAlbum'] },
      ],
      'timer.operatorWait': [
        // Due while operators are away (the wait ran past closing time): no reminder; it comes when they are back.
        { guard: 'operatorsAway', actions: { type: 'scheduleTimer', params: ({ context, event }) => ({ name: 'operatorWait', delayMs: operatorWaitDelay(context, event) }) } },
        // The user is answering the queue timeout's question (or writing the message they leave): the group is reminded, the user is not told again.
        { guard: 'queueQuestionOpen', actions: ['countReminder', ...remindOperators] },
        { actions: ['countReminder', { type: 'notifyUser', params: { key: 'stillWaiting' } }, ...remindOperators] },
      ],
      'operator.take': { target: 'operatorActive', actions: 'assignOperator' },
      // An operator hands a waiting dialog straight to a colleague: as if the colleague took it.
      'operator.transfer': { target: 'operatorActive', actions: 'assignTransferTarget' },
      'operator.close': { target: 'closed', actions: { type: 'closeBecause', params: { reason: 'operator' } } },
    },
});
