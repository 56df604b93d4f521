import { enqueueActions } from 'xstate';
import { dialogSetup } from '../dialog.setup';

/**
 * `closed`: The end of a dialog: the user and the operators are told why. Not a final state: an
 * operator's `/reopen` makes it the user's open dialog again ("closed" is this state, see
 * `isClosed` in src/core/step.build.ts); nothing else steps a closed dialog.
 */
export const closed = dialogSetup.createStateConfig({
    description: 'The dialog is over; the next user message starts a new dialog in botActive. /reopen opens it again.',
    // The fallbacks of the open states do not apply to a closed dialog.
    on: {
      'operator.close': {}, 'operator.transfer': {}, 'operator.release': {}, 'operator.savedReply': {}, 'operator.history': {}, 'operator.note': {}, 'admin.message': {}, 'ticket.moved': {}, 'timer.userAlbum': {}, 'timer.operatorAlbum': {},
      // The router finds the closed dialog by number and checks its user has no other open one.
      'operator.reopen': { target: 'operatorActive', actions: 'reopenBy' },
    },
    entry: enqueueActions(({ context, enqueue }) => {
      // An album still being gathered goes first: it was sent before the dialog closed.
      const { user, operator } = context.albums ?? {};
      if (user) enqueue({ type: 'relayAlbumToOperators', params: { messageIds: user.messageIds } });
      if (operator && context.closeReason !== 'blocked') enqueue({ type: 'relayAlbumToUser', params: { fromChatId: operator.fromChatId, messageIds: operator.messageIds } });
      if (user) enqueue({ type: 'cancelTimer', params: { name: 'userAlbum' } });
      if (operator) enqueue({ type: 'cancelTimer', params: { name: 'operatorAlbum' } });
      // A user who blocked the bot cannot be told anything; a banned one hears the ban's notice on their next message.
      if (context.closeReason !== 'blocked' && context.closeReason !== 'banned') {
        const key = context.closeReason === 'idle' ? 'closedIdle' : context.closeReason === 'leftMessage' ? 'messageLeft' : 'closedByOperator';
        enqueue({ type: 'notifyUser', params: { key } });
      }
      enqueue({ type: 'notifyOperators', params: { key: context.closeReason === 'leftMessage' ? 'leftMessage' : 'closed' } });
      // The user rates the operator who had the dialog, after the operator's /close only.
      if (context.closeReason === 'operator' && context.operator) enqueue({ type: 'askRating' });
    }),
});
