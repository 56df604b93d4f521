import { initialTransition, transition } from 'xstate';
import { isClosed, statePath } from '../../src/core/step.build';
import { dialogMachine } from '../../src/machines/dialog.machine';
import type { DialogEvent } from '../../src/machines/dialog.types';
import { run, sampleEvents, settings, T0, type Snapshot } from './machine-fixtures';

/** A dialog with the queue timeout on (15 minutes), waiting for an operator. */
function waiting(queueTimeoutMs = 15 * 60_000): Snapshot {
  const fresh = initialTransition(dialogMachine, { dialogId: 1, chatId: 1001, lang: 'ru', settings: { ...settings, queueTimeoutMs } })[0];
  return run(fresh, { type: 'user.requestHuman' }, { ...sampleEvents['ticket.posted'], stepAt: T0 });
}

/** The step's effects as `type:key` / `type:name`, XState's own actions left out. */
function effects(snapshot: Snapshot, event: DialogEvent): [string, string[], Snapshot] {
  const [next, actions] = transition(dialogMachine, snapshot, event);
  const named = actions
    .filter((a) => !a.type.startsWith('xstate.'))
    .map((a) => {
      const p = (a.params ?? {}) as { key?: string; name?: string };
      return p.key ? `${a.type}:${p.key}` : p.name ? `${a.type}:${p.name}` : a.type;
    });
  return [statePath(next), named, next];
}

const choice = (c: 'wait' | 'bot' | 'leave'): DialogEvent => ({ type: 'user.queueChoice', choice: c });
const message = (messageId: number, text = 'Заказ 123 не пришёл'): DialogEvent => ({ type: 'user.message', messageId, text, signal: null, at: T0 + 60_000 });

describe('the dialog machine: a queue that does not wait forever', () => {
  it('arms the queue timeout with the reminders when the ticket is posted, and remembers when it was posted', () => {
    const fresh = initialTransition(dialogMachine, { dialogId: 1, chatId: 1001, lang: 'ru', settings: { ...settings, queueTimeoutMs: 900_000 } })[0];
    const [, named, next] = effects(run(fresh, { type: 'user.requestHuman' }), { ...sampleEvents['ticket.posted'], stepAt: T0 });
    expect(named).toEqual(['writeBrief', 'scheduleTimer:operatorWait', 'scheduleTimer:queueTimeout']);
    expect(next.context.ticket?.postedAt).toBe(T0);
  });

  it('a reminder carries how long the user has waited since then, by the step\'s time', () => {
    const [, actions] = transition(dialogMachine, waiting(), { type: 'timer.operatorWait', stepAt: T0 + 12 * 60_000 });
    expect(actions.find((a) => a.type === 'notifyOperators')?.params).toEqual({ key: 'reminder', waitedMs: 12 * 60_000 });
  });

  it('with QUEUE_TIMEOUT_MINUTES=0 no timeout is armed', () => {
    const fresh = initialTransition(dialogMachine, { dialogId: 1, chatId: 1001, lang: 'ru', settings: { ...settings, queueTimeoutMs: 0 } })[0];
    const [, named] = effects(run(fresh, { type: 'user.requestHuman' }), sampleEvents['ticket.posted']);
    expect(named).toEqual(['writeBrief', 'scheduleTimer:operatorWait']);
  });

  it('on the timeout the user gets the three choices; "keep waiting" arms it again, and the same button later does nothing', () => {
    const [state, offered, asked] = effects(waiting(), { type: 'timer.queueTimeout' });
    expect([state, offered]).toEqual(['awaitingOperator', ['offerQueueChoices']]);
    const [again, kept, stillWaiting] = effects(asked, choice('wait'));
    expect([again, kept]).toEqual(['awaitingOperator', ['notifyUser:keepWaiting', 'scheduleTimer:queueTimeout']]);
    expect(stillWaiting.can(choice('wait'))).toBe(false);
    expect(stillWaiting.can(choice('leave'))).toBe(false);
  });

  it('"back to the bot" is /bot: the bot answers again and the operators hear the user left', () => {
    const [state, named, next] = effects(run(waiting(), { type: 'timer.queueTimeout' }), choice('bot'));
    expect(state).toBe('botActive');
    expect(named).toEqual(['cancelTimer:operatorWait', 'cancelTimer:queueTimeout', 'notifyUser:backToBot', 'notifyOperators:userLeftQueue']);
    expect(next.context.handoff).toBeNull();
  });

  it('"leave a message": the next message is relayed to the ticket and the dialog closes with a reason of its own', () => {
    const [state, asked, leaving] = effects(run(waiting(), { type: 'timer.queueTimeout' }), choice('leave'));
    expect([state, asked]).toEqual(['awaitingOperator', ['notifyUser:writeYourMessage']]);
    // Exit, transition, entry: the message reaches the ticket before the notice that it was left.
    const [closed, named, next] = effects(leaving, message(40));
    expect(closed).toBe('closed');
    expect(named).toEqual(['cancelTimer:operatorWait', 'cancelTimer:queueTimeout', 'relayToOperators', 'notifyUser:messageLeft', 'notifyOperators:leftMessage']);
    expect(next.context.closeReason).toBe('leftMessage');
    expect(isClosed(next)).toBe(true);
  });

  it('"leave a message" after the user already wrote details: those are the message, the dialog closes at once', () => {
    const wrote = run(waiting(), message(40), { type: 'timer.queueTimeout' });
    const [closed, named] = effects(wrote, choice('leave'));
    expect(closed).toBe('closed');
    expect(named).toEqual(['cancelTimer:operatorWait', 'cancelTimer:queueTimeout', 'notifyUser:messageLeft', 'notifyOperators:leftMessage']);
  });

  it('an operator who takes the dialog meanwhile makes the question old: its buttons do nothing', () => {
    const taken = run(waiting(), { type: 'timer.queueTimeout' }, sampleEvents['operator.take']);
    expect(statePath(taken)).toBe('operatorActive');
    expect(taken.can(choice('leave'))).toBe(false);
  });
});

describe('the dialog machine: /reopen', () => {
  it('a dialog closed with a left message becomes the reopening operator\'s open dialog, its ticket kept', () => {
    const left = run(waiting(), { type: 'timer.queueTimeout' }, choice('leave'), message(40));
    const [state, named, reopened] = effects(left, sampleEvents['operator.reopen']);
    expect(state).toBe('operatorActive');
    expect(named).toEqual(['notifyUser:reopened', 'notifyOperators:reopenedBy', 'scheduleTimer:idle']);
    expect(reopened.context.operator).toEqual({ id: 502, name: 'Boris' });
    expect(reopened.context.closeReason).toBeNull();
    expect(reopened.context.ticket).toEqual({ messageId: 900, threadId: 42, postedAt: T0 });
    expect(isClosed(reopened)).toBe(false);
  });

  it('an open dialog does not take it', () => {
    expect(waiting().can(sampleEvents['operator.reopen'])).toBe(false);
  });
});
