import { enqueueActions } from 'xstate';
import { dialogSetup } from '../dialog.setup';

/** `closed`: The end of a dialog: the user and the operators are told why. */
export const closed = dialogSetup.createStateConfig({
    description: 'The dialog is over; the next user message starts a new dialog in botActive.',
    type: 'final',
    // The fallbacks of the open states do not apply to a closed dialog.
    on: { 'operator.close': {}, 'operator.transfer': {}, 'operator.release': {}, 'operator.savedReply': {}, 'operator.history': {}, 'operator.note': {}, 'admin.message': {}, 'ticket.moved': {}, 'timer.userAlbum': {}, 'timer.operatorAlbum': {} },
    entry: enqueueActions(({ context, enqueue }) => {
      // An album still being gathered goes first: it was sent before the dialog closed.
      const { user, operator } = context.albums ?? {};
      if (user) enqueue({ type: 'relayAlbumToOperators', params: { messageIds: user.messageIds } });
      if (operator && context.closeReason !== 'blocked') enqueue({ type: 'relayAlbumToUser', params: { fromChatId: operator.fromChatId, messageIds: operator.messageIds } });
      if (user) enqueue({ type: 'cancelTimer', params: { name: 'userAlbum' } });
      if (operator) enqueue({ type: 'cancelTimer', params: { name: 'operatorAlbum' } });
      // A user who blocked the bot cannot be told anything; a banned one hears the ban's notice on their next message.
      if (context.closeReason !== 'blocked' && context.closeReason !== 'banned') {
        enqueue({ type: 'notifyUser', params: { key: context.closeReason === 'idle' ? 'closedIdle' : 'closedByOperator' } });
      }
      enqueue({ type: 'notifyOperators', params: { key: 'closed' } });
      // The user rates the operator who had the dialog, after the operator's /close only.
      if (context.closeReason === 'operator' && context.operator) enqueue({ type: 'askRating' });
    }),
});
