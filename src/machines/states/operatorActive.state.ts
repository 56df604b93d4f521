import { dialogSetup } from '../dialog.setup';
import { albumTimer, applyEdit, closeFromAnyOpenState, flushOperatorAlbum, refuse, relayUserMessage } from '../dialog.fragments';

/** `operatorActive`: An operator owns the dialog: messages both ways, saved replies, transfer, release, close. */
export const operatorActive = dialogSetup.createStateConfig({
    description: 'One operator owns the dialog; messages are relayed both ways; the LLM is never called.',
    entry: [
      // Reopened (`/reopen` of a closed dialog) or taken.
      { type: 'notifyUser', params: ({ event }) => ({ key: event.type === 'operator.reopen' ? 'reopened' : 'operatorJoined' }) },
      // Taken (/take, Take, a transfer while waiting), given by AUTO_ASSIGN (the ticket names them), or reopened.
      {
        type: 'notifyOperators',
        params: ({ context, event }) => ({ key: event.type === 'operator.reopen' ? 'reopenedBy' : context.operator?.assigned ? 'assigned' : 'taken', operatorName: context.operator?.name }),
      },
      { type: 'scheduleTimer', params: ({ context }) => ({ name: 'idle', delayMs: context.settings.idleCloseMs }) },
    ],
    exit: { type: 'cancelTimer', params: { name: 'idle' } },
    on: {
      ...closeFromAnyOpenState,
      // Relayed at once; an album's parts are gathered and go as one album.
      'user.message': relayUserMessage([{ type: 'scheduleTimer', params: ({ context }) => ({ name: 'idle', delayMs: context.settings.idleCloseMs }) }]),
      'operator.message': [
        {
          guard: 'ownerAlbumPart',
          actions: [
            flushOperatorAlbum,
            'gatherOperatorAlbum',
            albumTimer('operatorAlbum'),
            { type: 'scheduleTimer', params: ({ context }) => ({ name: 'idle', delayMs: context.settings.idleCloseMs }) },
          ],
        },
        {
          guard: 'isOwner',
          actions: [
            flushOperatorAlbum,
            { type: 'relayToUser', params: ({ event }) => ({ fromChatId: event.fromChatId, messageId: event.messageId }) },
            { type: 'scheduleTimer', params: ({ context }) => ({ name: 'idle', delayMs: context.settings.idleCloseMs }) },
          ],
        },
      ],
      // Edits of relayed messages update their copies on the other side (any operator's: the message was relayed).
      'user.edited': applyEdit,
      'operator.edited': applyEdit,
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
});
