import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { dialogMachine } from '../../src/machines/dialog.machine';
import { draftIdFor } from '../../src/streaming/draft.id';
import type { DialogEvent, DialogEventType, DialogSettings } from '../../src/machines/dialog.types';

/** A dialog machine snapshot. */
export type Snapshot = SnapshotFrom<typeof dialogMachine>;

export const settings: DialogSettings = { operatorWaitMs: 60_000, idleCloseMs: 600_000, llmFailuresBeforeOffer: 2, mergeWindowMs: 1500 };

/** The time the sample events happen at (ms): the burst of the pending request began at T0. */
export const T0 = 1_700_000_000_000;

/** One sample of every event, as the runtime would send it in a dialog whose pending LLM request is `1:10`. */
export const sampleEvents: Record<DialogEventType, DialogEvent> = {
  // Ten seconds after the pending question: not part of its burst.
  'user.message': { type: 'user.message', messageId: 11, text: 'How do I reset my password?', signal: null, at: T0 + 10_000 },
  'user.start': { type: 'user.start' },
  'user.requestHuman': { type: 'user.requestHuman' },
  'user.confirmHandoff': { type: 'user.confirmHandoff' },
  'user.declineHandoff': { type: 'user.declineHandoff' },
  'user.backToBot': { type: 'user.backToBot' },
  'user.blocked': { type: 'user.blocked' },
  'llm.reply': { type: 'llm.reply', requestId: '1:10', text: 'Open Settings → Security.', cannotHelp: false, at: T0 + 2000 },
  'llm.transfer': { type: 'llm.transfer', requestId: '1:10', reason: 'refund_dispute', at: T0 + 2000 },
  'llm.failed': { type: 'llm.failed', requestId: '1:10', code: 'LLM_TIMEOUT', at: T0 + 2000 },
  // Stop pressed on the draft of the pending answer.
  'user.stop': { type: 'user.stop', draftId: draftIdFor('1:10') },
  'llm.stopped': { type: 'llm.stopped', requestId: '1:10', at: T0 + 1000 },
  'llm.notCovered': { type: 'llm.notCovered', requestId: '1:10', text: 'Our knowledge base has no answer to this question.', at: T0 + 1000 },
  'ticket.posted': { type: 'ticket.posted', messageId: 900, threadId: 42 },
  'ticket.failed': { type: 'ticket.failed' },
  'ticket.moved': { type: 'ticket.moved', threadId: 43 },
  'operator.take': { type: 'operator.take', operatorId: 501, operatorName: 'Anna', place: {} },
  'operator.message': { type: 'operator.message', operatorId: 501, operatorName: 'Anna', fromChatId: -100500, messageId: 77 },
  'operator.close': { type: 'operator.close', operatorId: 501, place: {} },
  'operator.note': { type: 'operator.note', operatorId: 501 },
  'operator.ban': { type: 'operator.ban', operatorId: 501, operatorName: 'Anna', place: {}, reason: 'spam' },
  // Anna hands the dialog to Boris; Anna gives it back to the queue.
  'operator.transfer': { type: 'operator.transfer', operatorId: 501, operatorName: 'Anna', place: {}, to: { id: 502, name: 'Boris' } },
  'operator.release': { type: 'operator.release', operatorId: 501, operatorName: 'Anna', place: {} },
  'operator.history': { type: 'operator.history', operatorId: 501, place: {} },
  'operator.savedReply': { type: 'operator.savedReply', operatorId: 501, operatorName: 'Anna', place: {}, key: 'delivery' },
  'admin.handoff': { type: 'admin.handoff', reason: 'vip' },
  'admin.close': { type: 'admin.close' },
  'admin.message': { type: 'admin.message', text: 'Hello from support' },
  'timer.operatorWait': { type: 'timer.operatorWait' },
  'timer.idle': { type: 'timer.idle' },
  'timer.ticketRetry': { type: 'timer.ticketRetry' },
  'timer.queueTimeout': { type: 'timer.queueTimeout' },
  'user.queueChoice': { type: 'user.queueChoice', choice: 'wait' },
  // Boris reopens the closed dialog.
  'operator.reopen': { type: 'operator.reopen', operatorId: 502, operatorName: 'Boris', place: {} },
  'user.edited': { type: 'user.edited', messageId: 11, edit: { text: 'How do I reset my PIN?', media: false } },
  'operator.edited': { type: 'operator.edited', operatorId: 501, fromChatId: -100500, messageId: 77, edit: { text: 'Open Settings, then Security.', media: false } },
  // No album is being gathered in the fixtures' states: the timer finds nothing to send.
  'timer.userAlbum': { type: 'timer.userAlbum' },
  'timer.operatorAlbum': { type: 'timer.operatorAlbum' },
};

/** Steps a snapshot through events, returning the last snapshot. */
export function run(snapshot: Snapshot, ...events: DialogEvent[]): Snapshot {
  return events.reduce((s, e) => transition(dialogMachine, s, e)[0], snapshot);
}

/** A new dialog in botActive. */
export function fresh(): Snapshot {
  return initialTransition(dialogMachine, { dialogId: 1, chatId: 1001, lang: 'ru', settings })[0];
}

const ask = sampleEvents['user.message'] as Extract<DialogEvent, { type: 'user.message' }>;

/** Snapshots of every reachable state, reached the way users reach them. */
export const states: Record<string, () => Snapshot> = {
  // A question is pending (request 1:10), so LLM events have something to match.
  botActive: () => run(fresh(), { ...ask, messageId: 10, at: T0 }),
  'handoffRequested.confirming': () =>
    run(fresh(), { ...ask, messageId: 9, signal: { layer: 'rules', confidence: 'medium', reason: 'rules.maybe_human' } }),
  'handoffRequested.posting': () => run(fresh(), { type: 'user.requestHuman' }),
  awaitingOperator: () => run(fresh(), { type: 'user.requestHuman' }, sampleEvents['ticket.posted']),
  operatorActive: () => run(fresh(), { type: 'user.requestHuman' }, sampleEvents['ticket.posted'], sampleEvents['operator.take']),
  closed: () =>
    run(fresh(), { type: 'user.requestHuman' }, sampleEvents['ticket.posted'], sampleEvents['operator.take'], sampleEvents['operator.close']),
};
