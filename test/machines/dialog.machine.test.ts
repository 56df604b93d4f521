import { transition } from 'xstate';
import { isClosed, statePath } from '../../src/core/step.build';
import { dialogMachine } from '../../src/machines/dialog.machine';
import { DIALOG_EVENT_TYPES, type DialogEvent, type DialogEventType } from '../../src/machines/dialog.types';
import { draftIdFor } from '../../src/streaming/draft.id';
import { fresh, run, sampleEvents, settings, states, T0, type Snapshot } from './machine-fixtures';

/** The effects of one step, named like `notifyUser:switching` or `scheduleTimer:idle`. */
function step(snapshot: Snapshot, type: DialogEventType) {
  const event = sampleEvents[type];
  if (!snapshot.can(event)) return 'ignored' as const;
  const [next, actions] = transition(dialogMachine, snapshot, event);
  const effects = actions
    .filter((a) => !a.type.startsWith('xstate.'))
    .map((a) => {
      const p = (a.params ?? {}) as { key?: string; name?: string };
      return p.key ? `${a.type}:${p.key}` : p.name ? `${a.type}:${p.name}` : a.type;
    });
  return [statePath(next), effects] as const;
}

type Outcome = 'ignored' | typeof TICKET_MOVED | typeof SUPPORT_TEXT | readonly [string, readonly string[]];
const ignored = 'ignored';
const switching = ['notifyUser:switching', 'postTicket'];
const joined = ['notifyUser:operatorJoined', 'notifyOperators:taken', 'scheduleTimer:idle'];
/** Fallbacks every open state shares: a moved topic is remembered, a text from support is sent. */
const TICKET_MOVED = 'same state, no effects' as const;
const SUPPORT_TEXT = 'same state, sendSupportText' as const;

/**
 * The specification: what every event does in every state. An event a state does not accept is
 * ignored (no effects, no state change); the runtime logs it.
 */
const spec: Record<string, Record<DialogEventType, Outcome>> = {
  botActive: {
    // A question is being answered (the fixture's, at T0); this one, ten seconds later, waits its turn.
    'user.message': ['botActive', []],
    'user.start': ['botActive', ['notifyUser:greeting']],
    'user.requestHuman': ['handoffRequested.posting', ['cancelLlm', ...switching]],
    'user.confirmHandoff': ignored,
    'user.declineHandoff': ignored,
    'user.backToBot': ['botActive', ['notifyUser:alreadyWithBot']],
    'user.blocked': ['closed', ['cancelLlm', 'notifyOperators:closed']],
    'operator.ban': ['closed', ['cancelLlm', 'banUser', 'notifyOperators:bannedUser', 'notifyOperators:closed']],
    'user.stop': ['botActive', ['stopLlm']],
    'llm.stopped': ['botActive', []],
    'llm.notCovered': ['handoffRequested.confirming', ['sendLlmReply', 'askConfirmation']],
    'llm.reply': ['botActive', ['sendLlmReply']],
    'llm.transfer': ['handoffRequested.posting', switching],
    'llm.failed': ['botActive', ['notifyUser:llmFailed']],
    'ticket.posted': ignored,
    'ticket.failed': ignored,
    'ticket.moved': TICKET_MOVED,
    'operator.take': ['operatorActive', ['cancelLlm', ...joined]],
    'operator.message': ignored,
    'operator.note': ['botActive', ['keepNote']],
    'operator.close': ['botActive', ['replyToOperator:cannotClose']],
    'operator.transfer': ['botActive', ['replyToOperator:cannotTransfer']],
    'operator.release': ['botActive', ['replyToOperator:cannotRelease']],
    'operator.savedReply': ['botActive', ['replyToOperator:cannotSendReply']],
    'operator.history': ['botActive', ['showHistory']],
    'admin.handoff': ['handoffRequested.posting', ['cancelLlm', ...switching]],
    'admin.close': ['closed', ['cancelLlm', 'notifyUser:closedByOperator', 'notifyOperators:closed']],
    'admin.message': SUPPORT_TEXT,
    'timer.operatorWait': ignored,
    'timer.idle': ignored,
    'timer.ticketRetry': ignored,
    // An edit of a message the bot answered changes nothing (no new answer); an album timer with nothing gathered sends nothing.
    'user.edited': ignored,
    'operator.edited': ignored,
    'timer.userAlbum': TICKET_MOVED,
    'timer.operatorAlbum': TICKET_MOVED,
    'timer.queueTimeout': ignored,
    'user.queueChoice': ignored,
    'operator.reopen': ignored,
  },
  'handoffRequested.confirming': {
    'user.message': ['botActive', ['askLlm']],
    'user.start': ignored,
    'user.requestHuman': ['handoffRequested.posting', switching],
    'user.confirmHandoff': ['handoffRequested.posting', switching],
    'user.declineHandoff': ['botActive', ['notifyUser:handoffDeclined']],
    'user.backToBot': ['botActive', ['notifyUser:backToBot']],
    'user.blocked': ['closed', ['notifyOperators:closed']],
    'operator.ban': ['closed', ['banUser', 'notifyOperators:bannedUser', 'notifyOperators:closed']],
    'user.stop': ignored,
    'llm.stopped': ignored,
    'llm.notCovered': ignored,
    'llm.reply': ignored,
    'llm.transfer': ignored,
    'llm.failed': ignored,
    'ticket.posted': ignored,
    'ticket.failed': ignored,
    'ticket.moved': TICKET_MOVED,
    'operator.take': ['operatorActive', joined],
    'operator.message': ignored,
    'operator.note': ['handoffRequested.confirming', ['keepNote']],
    'operator.close': ['handoffRequested.confirming', ['replyToOperator:cannotClose']],
    'operator.transfer': ['handoffRequested.confirming', ['replyToOperator:cannotTransfer']],
    'operator.release': ['handoffRequested.confirming', ['replyToOperator:cannotRelease']],
    'operator.savedReply': ['handoffRequested.confirming', ['replyToOperator:cannotSendReply']],
    'operator.history': ['handoffRequested.confirming', ['showHistory']],
    'admin.handoff': ['handoffRequested.posting', switching],
    'admin.close': ['closed', ['notifyUser:closedByOperator', 'notifyOperators:closed']],
    'admin.message': SUPPORT_TEXT,
    'timer.operatorWait': ignored,
    'timer.idle': ignored,
    'timer.ticketRetry': ignored,
    // An edit of a message the bot answered changes nothing (no new answer); an album timer with nothing gathered sends nothing.
    'user.edited': ignored,
    'operator.edited': ignored,
    'timer.userAlbum': TICKET_MOVED,
    'timer.operatorAlbum': TICKET_MOVED,
    'timer.queueTimeout': ignored,
    'user.queueChoice': ignored,
    'operator.reopen': ignored,
  },
  'handoffRequested.posting': {
    'user.message': ['handoffRequested.posting', ['keepForTicket']],
    'user.start': ignored,
    'user.requestHuman': ['handoffRequested.posting', ['notifyUser:alreadyWaiting']],
    'user.confirmHandoff': ignored,
    'user.declineHandoff': ignored,
    'user.backToBot': ignored,
    'user.blocked': ['closed', ['notifyOperators:closed']],
    'operator.ban': ['closed', ['banUser', 'notifyOperators:bannedUser', 'notifyOperators:closed']],
    'user.stop': ignored,
    'llm.stopped': ignored,
    'llm.notCovered': ignored,
    'llm.reply': ignored,
    'llm.transfer': ignored,
    'llm.failed': ignored,
    'ticket.posted': ['awaitingOperator', ['writeBrief', 'scheduleTimer:operatorWait']],
    'ticket.failed': ['handoffRequested.posting', ['notifyUser:ticketDelayed', 'scheduleTimer:ticketRetry']],
    'ticket.moved': TICKET_MOVED,
    'operator.take': ['operatorActive', joined],
    'operator.message': ignored,
    'operator.note': ['handoffRequested.posting', ['keepNote']],
    'operator.close': ['handoffRequested.posting', ['replyToOperator:cannotClose']],
    'operator.transfer': ['handoffRequested.posting', ['replyToOperator:cannotTransfer']],
    'operator.release': ['handoffRequested.posting', ['replyToOperator:cannotRelease']],
    'operator.savedReply': ['handoffRequested.posting', ['replyToOperator:cannotSendReply']],
    'operator.history': ['handoffRequested.posting', ['showHistory']],
    'admin.handoff': ignored,
    'admin.close': ['closed', ['notifyUser:closedByOperator', 'notifyOperators:closed']],
    'admin.message': SUPPORT_TEXT,
    'timer.operatorWait': ignored,
    'timer.idle': ignored,
    'timer.ticketRetry': ['handoffRequested.posting', ['postTicket']],
    // An edit of a message the bot answered changes nothing (no new answer); an album timer with nothing gathered sends nothing.
    'user.edited': ignored,
    'operator.edited': ignored,
    'timer.userAlbum': TICKET_MOVED,
    'timer.operatorAlbum': TICKET_MOVED,
    'timer.queueTimeout': ignored,
    'user.queueChoice': ignored,
    'operator.reopen': ignored,
  },
  awaitingOperator: {
    'user.message': ['awaitingOperator', ['relayToOperators']],
    'user.start': ignored,
    'user.requestHuman': ['awaitingOperator', ['notifyUser:alreadyWaiting']],
    'user.confirmHandoff': ignored,
    'user.declineHandoff': ignored,
    'user.backToBot': ['botActive', ['cancelTimer:operatorWait', 'notifyUser:backToBot', 'notifyOperators:userLeftQueue']],
    'user.blocked': ['closed', ['cancelTimer:operatorWait', 'notifyOperators:closed']],
    'operator.ban': ['closed', ['cancelTimer:operatorWait', 'banUser', 'notifyOperators:bannedUser', 'notifyOperators:closed']],
    'user.stop': ignored,
    'llm.stopped': ignored,
    'llm.notCovered': ignored,
    'llm.reply': ignored,
    'llm.transfer': ignored,
    'llm.failed': ignored,
    'ticket.posted': ignored,
    'ticket.failed': ignored,
    'ticket.moved': TICKET_MOVED,
    'operator.take': ['operatorActive', ['cancelTimer:operatorWait', ...joined]],
    'operator.message': ['awaitingOperator', ['notifyOperators:takeFirst']],
    'operator.note': ['awaitingOperator', ['keepNote']],
    'operator.close': ['closed', ['cancelTimer:operatorWait', 'notifyUser:closedByOperator', 'notifyOperators:closed']],
    'operator.transfer': ['operatorActive', ['cancelTimer:operatorWait', ...joined]],
    'operator.release': ['awaitingOperator', ['replyToOperator:cannotRelease']],
    'operator.savedReply': ['awaitingOperator', ['replyToOperator:cannotSendReply']],
    'operator.history': ['awaitingOperator', ['showHistory']],
    'admin.handoff': ignored,
    'admin.close': ['closed', ['cancelTimer:operatorWait', 'notifyUser:closedByOperator', 'notifyOperators:closed']],
    'admin.message': SUPPORT_TEXT,
    'timer.operatorWait': ['awaitingOperator', ['notifyUser:stillWaiting', 'notifyOperators:reminder', 'scheduleTimer:operatorWait']],
    'timer.idle': ignored,
    'timer.ticketRetry': ignored,
    // An edit of a relayed message updates its copies; an album timer with nothing gathered sends nothing.
    'user.edited': ['awaitingOperator', ['applyEdit']],
    'operator.edited': ['awaitingOperator', ['applyEdit']],
    'timer.userAlbum': TICKET_MOVED,
    'timer.operatorAlbum': TICKET_MOVED,
    // The queue timeout's question (its choices are stories in dialog.queue.test.ts); no question open: a button does nothing.
    'timer.queueTimeout': ['awaitingOperator', ['offerQueueChoices']],
    'user.queueChoice': ignored,
    'operator.reopen': ignored,
  },
  operatorActive: {
    'user.message': ['operatorActive', ['relayToOperators', 'scheduleTimer:idle']],
    'user.start': ignored,
    'user.requestHuman': ['operatorActive', ['notifyUser:alreadyWithOperator']],
    'user.confirmHandoff': ignored,
    'user.declineHandoff': ignored,
    'user.backToBot': ['operatorActive', ['notifyUser:alreadyWithOperator']],
    'user.blocked': ['closed', ['cancelTimer:idle', 'notifyOperators:closed']],
    'operator.ban': ['closed', ['cancelTimer:idle', 'banUser', 'notifyOperators:bannedUser', 'notifyOperators:closed']],
    'user.stop': ignored,
    'llm.stopped': ignored,
    'llm.notCovered': ignored,
    'llm.reply': ignored,
    'llm.transfer': ignored,
    'llm.failed': ignored,
    'ticket.posted': ignored,
    'ticket.failed': ignored,
    'ticket.moved': TICKET_MOVED,
    'operator.take': ignored, // the owner taking again: nothing to do
    'operator.message': ['operatorActive', ['relayToUser', 'scheduleTimer:idle']],
    'operator.note': ['operatorActive', ['keepNote']],
    // Only the operator's own close of a dialog they had asks the user for a rating (not the admin API's, not an idle close).
    'operator.close': ['closed', ['cancelTimer:idle', 'notifyUser:closedByOperator', 'notifyOperators:closed', 'askRating']],
    'operator.transfer': ['operatorActive', ['notifyUser:operatorChanged', 'notifyOperators:transferred', 'scheduleTimer:idle']],
    'operator.release': ['awaitingOperator', ['cancelTimer:idle', 'notifyUser:backInQueue', 'notifyOperators:released', 'scheduleTimer:operatorWait']],
    'operator.savedReply': ['operatorActive', ['sendSavedReply:delivery', 'scheduleTimer:idle']],
    'operator.history': ['operatorActive', ['showHistory']],
    'admin.handoff': ignored,
    'admin.close': ['closed', ['cancelTimer:idle', 'notifyUser:closedByOperator', 'notifyOperators:closed']],
    'admin.message': SUPPORT_TEXT,
    'timer.operatorWait': ignored,
    'timer.idle': ['closed', ['cancelTimer:idle', 'notifyUser:closedIdle', 'notifyOperators:closed']],
    'timer.ticketRetry': ignored,
    // An edit of a relayed message updates its copies; an album timer with nothing gathered sends nothing.
    'user.edited': ['operatorActive', ['applyEdit']],
    'operator.edited': ['operatorActive', ['applyEdit']],
    'timer.userAlbum': TICKET_MOVED,
    'timer.operatorAlbum': TICKET_MOVED,
    'timer.queueTimeout': ignored,
    'user.queueChoice': ignored,
    'operator.reopen': ignored,
  },
  // A closed dialog takes nothing but an operator's /reopen.
  closed: {
    ...(Object.fromEntries(DIALOG_EVENT_TYPES.map((t) => [t, ignored])) as Record<DialogEventType, Outcome>),
    'operator.reopen': ['operatorActive', ['notifyUser:reopened', 'notifyOperators:reopenedBy', 'scheduleTimer:idle']],
  },
};

describe('the dialog machine: every event in every state', () => {
  for (const [stateName, outcomes] of Object.entries(spec)) {
    describe(stateName, () => {
      it('is the state the fixture reaches', () => {
        expect(statePath(states[stateName]!())).toBe(stateName);
      });
      for (const type of DIALOG_EVENT_TYPES) {
        const outcome = outcomes[type];
        const expected = outcome === TICKET_MOVED ? [stateName, []] : outcome === SUPPORT_TEXT ? [stateName, ['sendSupportText']] : outcome;
        it(`${type} → ${expected === ignored ? 'ignored' : expected[0]}`, () => {
          expect(step(states[stateName]!(), type)).toEqual(expected);
        });
      }
    });
  }
});

describe('the dialog machine: stories', () => {
  it('asks before handing off on a medium-confidence signal, and remembers why', () => {
    const s = states['handoffRequested.confirming']!();
    const [, actions] = transition(dialogMachine, fresh(), {
      type: 'user.message',
      messageId: 3,
      text: 'is there a real person here?',
      signal: { layer: 'rules', confidence: 'medium', reason: 'rules.maybe_human' },
      at: T0,
    });
    expect(actions.map((a) => a.type)).toEqual(['askConfirmation']);
    expect(s.context.handoff).toEqual({ layer: 'rules', confidence: 'medium', reason: 'rules.maybe_human' });
  });

  it('hands off at once on a high-confidence signal', () => {
    const s = run(fresh(), {
      type: 'user.message',
      messageId: 3,
      text: 'позовите оператора',
      signal: { layer: 'rules', confidence: 'high', reason: 'rules.request_human' },
      at: T0,
    });
    expect(statePath(s)).toBe('handoffRequested.posting');
    expect(s.context.handoff?.reason).toBe('rules.request_human');
  });

  it('answers a burst of messages once: a message within the merge window replaces the pending request', () => {
    const first = { type: 'user.message', messageId: 10, text: 'How do I pay?', signal: null, at: T0 } as const;
    const [s, actions] = transition(dialogMachine, run(fresh(), first), { ...first, messageId: 12, at: T0 + 800 });
    expect(actions.filter((a) => !a.type.startsWith('xstate.')).map((a) => [a.type, a.params])).toEqual([
      ['cancelLlm', { requestId: '1:10' }],
      ['askLlm', { requestId: '1:12' }],
    ]);
    expect(s.can({ type: 'llm.reply', requestId: '1:10', text: 'old', cannotHelp: false, at: T0 + 900 })).toBe(false);
    expect(s.can({ type: 'llm.reply', requestId: '1:12', text: 'new', cannotHelp: false, at: T0 + 900 })).toBe(true);
  });

  it('a question after the merge window waits for the answer being written, then is asked about', () => {
    const first = { type: 'user.message', messageId: 10, text: 'How do I pay?', signal: null, at: T0 } as const;
    const waiting = run(fresh(), first, { ...first, messageId: 12, at: T0 + 5000 });
    expect(waiting.context.pendingLlmRequest).toBe('1:10');
    expect(waiting.context.queuedMessageId).toBe(12);
    const [s, actions] = transition(dialogMachine, waiting, { type: 'llm.reply', requestId: '1:10', text: 'first answer', cannotHelp: false, at: T0 + 6000 });
    expect(actions.filter((a) => !a.type.startsWith('xstate.')).map((a) => [a.type, a.params])).toEqual([
      ['sendLlmReply', { text: 'first answer' }],
      ['askLlm', { requestId: '1:12' }],
    ]);
    expect(s.context).toMatchObject({ pendingLlmRequest: '1:12', queuedMessageId: null, burstStartedAt: T0 + 6000 });
  });

  it('sends the text the model wrote with a transfer, then hands off', () => {
    const [s, actions] = transition(dialogMachine, states.botActive!(), { ...sampleEvents['llm.transfer'], text: 'Let me get you a colleague.' } as never);
    expect(statePath(s)).toBe('handoffRequested.posting');
    expect(actions.filter((a) => !a.type.startsWith('xstate.')).map((a) => a.type)).toEqual(['sendLlmReply', 'notifyUser', 'postTicket']);
  });

  it('remembers the ticket the effect posted, and a topic created again', () => {
    const s = run(states['handoffRequested.posting']!(), sampleEvents['ticket.posted'], sampleEvents['ticket.moved']);
    expect(s.context.ticket).toEqual({ messageId: 900, threadId: 43 });
  });

  it('offers a human after repeated LLM failures, with the failure recorded as the reason', () => {
    const ask = (id: number) => ({ ...sampleEvents['user.message'], messageId: id }) as never;
    let s = run(fresh(), ask(10), { type: 'llm.failed', requestId: '1:10', code: 'LLM_TIMEOUT', at: T0 });
    expect(statePath(s)).toBe('botActive');
    const [next, actions] = transition(dialogMachine, run(s, ask(11)), { type: 'llm.failed', requestId: '1:11', code: 'LLM_TIMEOUT', at: T0 });
    s = next;
    expect(statePath(s)).toBe('handoffRequested.confirming');
    expect(actions.map((a) => a.type)).toEqual(['notifyUser', 'askConfirmation']);
    expect(s.context.handoff).toEqual({ layer: 'failure', confidence: 'medium', reason: 'failure.llm_errors' });
  });

  it('sends the answer and then asks to switch when the model says it cannot help', () => {
    const [s, actions] = transition(dialogMachine, states.botActive!(), {
      type: 'llm.reply',
      requestId: '1:10',
      text: 'Sorry, I cannot help with that.',
      cannotHelp: true,
      at: T0,
    });
    expect(statePath(s)).toBe('handoffRequested.confirming');
    expect(actions.map((a) => a.type)).toEqual(['sendLlmReply', 'askConfirmation']);
    expect(s.context.handoff?.reason).toBe('failure.bot_cannot_help');
  });

  it('tells the user once when the ticket cannot be posted, and retries less and less often', () => {
    let s = states['handoffRequested.posting']!();
    const delays: number[] = [];
    const notices: string[] = [];
    for (let i = 0; i < 6; i++) {
      const [next, actions] = transition(dialogMachine, s, { type: 'ticket.failed' });
      s = next;
      for (const a of actions) {
        if (a.type === 'scheduleTimer') delays.push((a.params as { delayMs: number }).delayMs);
        if (a.type === 'notifyUser') notices.push((a.params as { key: string }).key);
      }
    }
    expect(notices).toEqual(['ticketDelayed']);
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 600_000]);
    expect(run(s, sampleEvents['ticket.posted']).context.ticketFailures).toBe(0);
  });

  it('records the reason the model gave for a transfer', () => {
    const s = run(states.botActive!(), sampleEvents['llm.transfer']);
    expect(s.context.handoff).toEqual({ layer: 'llm', confidence: 'high', reason: 'llm.refund_dispute' });
  });

  it('tells a second operator who already has the dialog', () => {
    const [s, actions] = transition(dialogMachine, states.operatorActive!(), {
      type: 'operator.take',
      operatorId: 777,
      operatorName: 'Boris',
      place: {},
    });
    expect(statePath(s)).toBe('operatorActive');
    expect(actions.map((a) => [a.type, a.params])).toEqual([['notifyOperators', { key: 'alreadyTaken', operatorName: 'Anna' }]]);
    expect(s.context.operator).toEqual({ id: 501, name: 'Anna' });
  });

  it('does not relay messages from an operator who does not own the dialog', () => {
    const s = states.operatorActive!();
    expect(s.can({ type: 'operator.message', operatorId: 777, operatorName: 'Boris', fromChatId: -100500, messageId: 9 })).toBe(false);
  });

  it('is closed, and says nothing to a user who blocked the bot', () => {
    const [s, actions] = transition(dialogMachine, states.awaitingOperator!(), { type: 'user.blocked' });
    expect(isClosed(s)).toBe(true);
    expect(s.context.closeReason).toBe('blocked');
    expect(actions.some((a) => a.type === 'notifyUser')).toBe(false);
  });

  it('cancels the pending LLM request when an operator takes over', () => {
    const s = run(states.botActive!(), sampleEvents['operator.take']);
    expect(s.context.pendingLlmRequest).toBeNull();
    expect(s.can(sampleEvents['llm.reply'])).toBe(false);
  });
});

describe('the dialog machine: a question the knowledge base does not cover', () => {
  it('says so honestly and offers a person, recorded as layer knowledge', () => {
    const [s, actions] = transition(dialogMachine, states.botActive!(), sampleEvents['llm.notCovered']);
    expect(statePath(s)).toBe('handoffRequested.confirming');
    expect(actions.filter((a) => !a.type.startsWith('xstate.')).map((a) => [a.type, a.params])).toEqual([
      ['sendLlmReply', { text: 'Our knowledge base has no answer to this question.' }],
      ['askConfirmation', undefined],
    ]);
    expect(s.context.handoff).toEqual({ layer: 'knowledge', confidence: 'medium', reason: 'knowledge.not_covered' });
  });
});

describe('the dialog machine: the Stop button', () => {
  it('keeps the text written so far as the answer, and offers a person after the second stop in a row', () => {
    let s = states.botActive!();
    const [stopping, stopActions] = transition(dialogMachine, s, sampleEvents['user.stop']);
    expect(stopActions.map((a) => [a.type, a.params])).toEqual([['stopLlm', { requestId: '1:10' }]]);
    const [afterFirst, first] = transition(dialogMachine, stopping, { type: 'llm.reply', requestId: '1:10', text: 'Half an', cannotHelp: false, at: T0 + 1000, stopped: true });
    expect(first.map((a) => a.type).filter((t) => !t.startsWith('xstate.'))).toEqual(['sendLlmReply']);
    expect(statePath(afterFirst)).toBe('botActive');
    s = run(afterFirst, { ...sampleEvents['user.message'], messageId: 12, at: T0 + 20_000 } as never);
    const [afterSecond] = transition(dialogMachine, s, { type: 'llm.stopped', requestId: '1:12', at: T0 + 21_000 });
    expect(statePath(afterSecond)).toBe('handoffRequested.confirming');
    expect(afterSecond.context.handoff?.reason).toBe('failure.user_stopped');
  });

  it('a Stop on another answer\'s draft does nothing', () => {
    expect(states.botActive!().can({ type: 'user.stop', draftId: draftIdFor('1:9') })).toBe(false);
  });
});

describe('the dialog machine: a typed answer to "Switch you to a human?"', () => {
  const typed = (answer: 'yes' | 'no' | undefined, text: string) => ({ type: 'user.message', messageId: 30, text, signal: null, at: T0, answer }) as const;

  it('"да" hands off like the Yes button', () => {
    const [s, actions] = transition(dialogMachine, states['handoffRequested.confirming']!(), typed('yes', 'да'));
    expect(statePath(s)).toBe('handoffRequested.posting');
    expect(actions.map((a) => a.type).filter((t) => !t.startsWith('xstate.'))).toEqual(['notifyUser', 'postTicket']);
    expect(s.context.handoff?.reason).toBe('rules.maybe_human');
  });

  it('"no thanks" goes back to the bot like the No button', () => {
    const [s, actions] = transition(dialogMachine, states['handoffRequested.confirming']!(), typed('no', 'no thanks'));
    expect(statePath(s)).toBe('botActive');
    expect(actions.map((a) => [a.type, a.params]).filter(([t]) => !String(t).startsWith('xstate.'))).toEqual([['notifyUser', { key: 'handoffDeclined' }]]);
  });

  it('a question that is not an answer goes to the bot', () => {
    const [s, actions] = transition(dialogMachine, states['handoffRequested.confirming']!(), typed(undefined, 'yes, but how do I pay?'));
    expect(statePath(s)).toBe('botActive');
    expect(actions.map((a) => a.type).filter((t) => !t.startsWith('xstate.'))).toEqual(['askLlm']);
  });
});

describe('the dialog machine: messages without text', () => {
  const photo = { type: 'user.message', messageId: 20, text: '', signal: null, at: T0 } as const;

  it('the bot says it reads text only instead of asking the LLM about nothing', () => {
    const [s, actions] = transition(dialogMachine, fresh(), photo);
    expect(statePath(s)).toBe('botActive');
    expect(actions.map((a) => [a.type, a.params])).toEqual([['notifyUser', { key: 'textOnly' }]]);
  });

  it('while waiting for an operator, a photo is relayed like any message', () => {
    const [, actions] = transition(dialogMachine, states.awaitingOperator!(), photo);
    expect(actions.map((a) => a.type)).toEqual(['relayToOperators']);
  });
});

describe('the dialog machine: AUTO_ASSIGN gives a posted ticket to an operator on duty', () => {
  const assigned = { ...sampleEvents['ticket.posted'], assignedTo: { id: 502, name: 'Boris' } } as DialogEvent;

  it('the operator the posting effect picked owns the dialog at once, as if they had taken it', () => {
    const [s, actions] = transition(dialogMachine, states['handoffRequested.posting']!(), assigned);
    expect(statePath(s)).toBe('operatorActive');
    expect(s.context.operator).toEqual({ id: 502, name: 'Boris', assigned: true });
    expect(s.context.ticket).toEqual({ messageId: 900, threadId: 42 });
    expect(actions.filter((a) => !a.type.startsWith('xstate.')).map((a) => [a.type, a.params])).toEqual([
      ['writeBrief', { messageId: 900, html: '' }],
      ['notifyUser', { key: 'operatorJoined' }],
      ['notifyOperators', { key: 'assigned', operatorName: 'Boris' }],
      ['scheduleTimer', { name: 'idle', delayMs: settings.idleCloseMs }],
    ]);
  });

  it('the assignee can /release it back to the queue; a colleague cannot', () => {
    const s = run(states['handoffRequested.posting']!(), assigned);
    const [refused] = transition(dialogMachine, s, { ...sampleEvents['operator.release'], operatorId: 501 } as DialogEvent);
    expect(statePath(refused)).toBe('operatorActive');
    const [released] = transition(dialogMachine, s, { ...sampleEvents['operator.release'], operatorId: 502, operatorName: 'Boris' } as DialogEvent);
    expect(statePath(released)).toBe('awaitingOperator');
    expect(released.context.operator).toBeNull();
  });
});
