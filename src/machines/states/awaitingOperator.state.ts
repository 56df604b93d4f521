import { dialogSetup } from '../dialog.setup';
import { applyEdit, closeFromAnyOpenState, relayUserMessage } from '../dialog.fragments';
import { operatorWaitDelay } from '../dialog.hours';

/** `awaitingOperator`: The ticket waits in the operators' chat: the user's messages are relayed, reminders are sent, an operator takes it. */
export const awaitingOperator = dialogSetup.createStateConfig({
    description: 'The ticket is in the operators\' chat; the bot is silent and relays the user\'s messages.',
    // Outside working hours the first reminder waits for them to start.
    entry: {
      type: 'scheduleTimer',
      params: ({ context, event }) => ({ name: 'operatorWait', delayMs: operatorWaitDelay(context, event) }),
    },
    exit: { type: 'cancelTimer', params: { name: 'operatorWait' } },
    on: {
      ...closeFromAnyOpenState,
      // Relayed at once; an album's parts are gathered and go as one album.
      'user.message': relayUserMessage([]),
      // An edit of a relayed message (the user's, or an operator's before a /release) updates its copy.
      'user.edited': applyEdit,
      'operator.edited': applyEdit,
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
        {
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
      ],
      'operator.take': { target: 'operatorActive', actions: 'assignOperator' },
      // An operator hands a waiting dialog straight to a colleague: as if the colleague took it.
      'operator.transfer': { target: 'operatorActive', actions: 'assignTransferTarget' },
      'operator.close': { target: 'closed', actions: { type: 'closeBecause', params: { reason: 'operator' } } },
    },
});
