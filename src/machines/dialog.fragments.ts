import { operatorsAwayUntil } from './dialog.hours';
import { DEFAULT_ALBUM_WAIT_MS, dialogSetup } from './dialog.setup';
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

/** The part of an event that may name an album. */
const groupOf = (event: DialogEvent): string | undefined => ('mediaGroupId' in event ? event.mediaGroupId : undefined);

/**
 * The user's gathered album goes to the operators as one, before anything that came after it: on
 * its timer, on a message that is not a part of it. (A part of the same album joins it instead.)
 */
export const flushUserAlbum = dialogSetup.enqueueActions(({ context, event, enqueue }) => {
  const album = context.albums?.user;
  if (!album || album.groupId === groupOf(event)) return;
  enqueue({ type: 'relayAlbumToOperators', params: { messageIds: album.messageIds } });
  enqueue({ type: 'cancelTimer', params: { name: 'userAlbum' } });
  enqueue.assign({ albums: ({ context: c }) => ({ ...c.albums, user: undefined }) });
});

/** The operator's gathered album goes to the user as one (see {@link flushUserAlbum}). */
export const flushOperatorAlbum = dialogSetup.enqueueActions(({ context, event, enqueue }) => {
  const album = context.albums?.operator;
  if (!album || album.groupId === groupOf(event)) return;
  enqueue({ type: 'relayAlbumToUser', params: { fromChatId: album.fromChatId, messageIds: album.messageIds } });
  enqueue({ type: 'cancelTimer', params: { name: 'operatorAlbum' } });
  enqueue.assign({ albums: ({ context: c }) => ({ ...c.albums, operator: undefined }) });
});

/** The album timer, set again by every part: it fires once no part came for `albumWaitMs`. */
export const albumTimer = (name: 'userAlbum' | 'operatorAlbum') =>
  ({
    type: 'scheduleTimer',
    params: ({ context }: { context: DialogContext }) => ({ name, delayMs: context.settings.albumWaitMs ?? DEFAULT_ALBUM_WAIT_MS }),
  }) as const;

/**
 * A user's message to the operators, in a state that relays (awaitingOperator, operatorActive):
 * a part of an album waits for the others; anything else goes at once, after an album gathered
 * before it. `also`: what the state does on every user message besides (the idle timer).
 */
export const relayUserMessage = <A>(also: readonly A[]) =>
  [
    {
      guard: 'albumPart',
      // A part of another album: the pending one goes first.
      actions: [
        flushUserAlbum,
        'gatherUserAlbum',
        albumTimer('userAlbum'),
        ...also,
      ],
    },
    { actions: [flushUserAlbum, { type: 'relayToOperators', params: ({ event }: { event: Extract<DialogEvent, { type: 'user.message' }> }) => ({ messageId: event.messageId }) }, ...also] },
  ] as const;

/** An edit of a message relayed to the other side: its copies there are updated (a message never relayed has none). */
export const applyEdit = {
  actions: {
    type: 'applyEdit',
    params: ({ context, event }: { context: DialogContext; event: Extract<DialogEvent, { type: 'user.edited' | 'operator.edited' }> }) => ({
      fromChatId: event.type === 'user.edited' ? context.chatId : event.fromChatId,
      messageId: event.messageId,
      edit: event.edit,
    }),
  },
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
