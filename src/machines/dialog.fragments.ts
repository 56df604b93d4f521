import { operatorsAwayUntil } from './dialog.hours';
import { dialogSetup } from './dialog.setup';
import type { DialogContext, DialogEvent, OperatorTextKey } from './dialog.types';

/** Pieces of transitions that several states share (src/machines/states/). */

/** The ticket retry timer, after `ticketFailures` failures (counted before this action runs). */
export const retryTicketLater = {
  type: 'scheduleTimer',
  params: ({ context }: { context: DialogContext }) => ({
    name: 'ticketRetry' as const,
    delayMs: Math.min(600_000, 30_000 * 2 ** Math.max(0, (context.ticketFailures ?? 1) - 1)),
  }),
} as const;

/** A refusal of an operator's command, answered where the operator wrote. */
export const refuse = (key: OperatorTextKey) =>
  ({ type: 'replyToOperator', params: ({ event }: { event: DialogEvent }) => ({ key, place: ('place' in event ? event.place : undefined) ?? {} }) }) as const;

/** A user who blocked the bot, an operator's /ban, or the admin API, closes the dialog in every state but `closed`. */
export const closeFromAnyOpenState = {
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
 * Arms the queue timeout (QUEUE_TIMEOUT_MINUTES) when it is on: on entering the queue, on "keep
 * waiting", and again when it fell due outside working hours. It counts the operators' time:
 * while they are away (OPERATOR_HOURS) it starts when they are back, since nobody could take the
 * dialog before.
 */
export const armQueueTimeout = dialogSetup.enqueueActions(({ context, event, enqueue }) => {
  const timeoutMs = context.settings.queueTimeoutMs ?? 0;
  if (timeoutMs <= 0) return;
  const opensAt = operatorsAwayUntil(context, event);
  const away = opensAt === null || event.stepAt === undefined ? 0 : Math.max(0, opensAt - event.stepAt);
  enqueue({ type: 'scheduleTimer', params: { name: 'queueTimeout', delayMs: away + timeoutMs } });
});

/** Leaving the queue: its timeout cancelled (when on), its question and counted messages forgotten. */
export const leaveQueue = dialogSetup.enqueueActions(({ context, enqueue }) => {
  if ((context.settings.queueTimeoutMs ?? 0) > 0) enqueue({ type: 'cancelTimer', params: { name: 'queueTimeout' } });
  enqueue.assign({ queueChoice: null, waitingMessages: 0 });
});

/** How long the user has waited since the ticket was posted, at the event's step; undefined when either time is unknown. */
export function waitedSincePosted(context: DialogContext, event: DialogEvent): number | undefined {
  const postedAt = context.ticket?.postedAt;
  return postedAt === undefined || event.stepAt === undefined ? undefined : Math.max(0, event.stepAt - postedAt);
}
