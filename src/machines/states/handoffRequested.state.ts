import { enqueueActions } from 'xstate';
import { dialogSetup } from '../dialog.setup';
import { retryTicketLater, closeFromAnyOpenState } from '../dialog.fragments';
import { operatorsAwayUntil } from '../dialog.hours';
import type { DialogEvent } from '../dialog.types';

type Posted = { event: Extract<DialogEvent, { type: 'ticket.posted' }> };
const briefOfTicket = { type: 'writeBrief', params: ({ event }: Posted) => ({ messageId: event.messageId, html: event.html ?? '' }) } as const;

/** `handoffRequested`: A person was asked for: the user confirms (medium confidence), then the ticket is posted. */
export const handoffRequested = dialogSetup.createStateConfig({
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
        description: 'The user is told «Переключаю на человека…» (outside working hours, also when operators are back) and the ticket is being posted.',
        entry: [
          enqueueActions(({ context, event, enqueue }) => {
            const opensAt = operatorsAwayUntil(context, event);
            if (opensAt === null || event.stepAt === undefined) {
              enqueue.assign({ afterHours: null });
              enqueue({ type: 'notifyUser', params: { key: 'switching' } });
            } else {
              enqueue.assign({ afterHours: { at: event.stepAt, opensAt } });
              enqueue({ type: 'notifyAfterHours', params: { at: event.stepAt, opensAt } });
            }
          }),
          'postTicket',
        ],
        on: {
          'ticket.posted': [
            // AUTO_ASSIGN: the effect that posted the ticket picked an on-duty operator, who owns it at once.
            {
              guard: 'assignedOnPost',
              target: '#dialog.operatorActive',
              actions: ['rememberTicket', 'assignPostedTo', briefOfTicket],
            },
            { target: '#dialog.awaitingOperator', actions: ['rememberTicket', briefOfTicket] },
          ],
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
});
