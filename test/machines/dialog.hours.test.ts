import { initialTransition, transition } from 'xstate';
import { effectsOf, type DialogEffect } from '../../src/machines/dialog.effects';
import { dialogMachine } from '../../src/machines/dialog.machine';
import type { DialogEvent, DialogSettings } from '../../src/machines/dialog.types';
import { settings as base, type Snapshot } from './machine-fixtures';

/** Mon-Fri 09:00-18:00 in Moscow; reminders every minute. */
const settings: DialogSettings = { ...base, hours: { rules: 'Mon-Fri 09:00-18:00', timeZone: 'Europe/Moscow', holidays: [] } };
const FRIDAY_20 = Date.parse('2026-12-04T17:00:00Z');
const MONDAY_9 = Date.parse('2026-12-07T06:00:00Z');
const TUESDAY_NOON = Date.parse('2026-12-08T09:00:00Z');

const fresh = (s: DialogSettings = settings): Snapshot => initialTransition(dialogMachine, { dialogId: 1, chatId: 1001, lang: 'ru', settings: s })[0];

/** Steps and returns the snapshot and the effects, named like `notifyUser:switching`. */
function step(snapshot: Snapshot, event: DialogEvent): [Snapshot, string[], DialogEffect[]] {
  const [next, actions] = transition(dialogMachine, snapshot, event);
  const effects = effectsOf(actions);
  const names = effects.map((e) => {
    const p = e.params as { key?: string; name?: string } | undefined;
    return p?.key || p?.name ? `${e.type}:${p.key ?? p.name}` : e.type;
  });
  return [next, names, effects];
}
const timerDelay = (effects: DialogEffect[]) => (effects.find((e) => e.type === 'scheduleTimer')?.params as { delayMs: number } | undefined)?.delayMs;

describe('working hours in the dialog machine', () => {
  it('a handoff on Friday 20:00: the user hears when operators are back, the ticket is posted, the first reminder waits for Monday 9:00', () => {
    let [s, names, effects] = step(fresh(), { type: 'user.requestHuman', stepAt: FRIDAY_20 });
    expect(names).toEqual(['notifyAfterHours', 'postTicket']);
    expect(effects[0]?.params).toEqual({ at: FRIDAY_20, opensAt: MONDAY_9 });
    expect(s.context.afterHours).toEqual({ at: FRIDAY_20, opensAt: MONDAY_9 });

    [s, names, effects] = step(s, { type: 'ticket.posted', messageId: 900, threadId: null, stepAt: FRIDAY_20 + 1000 });
    expect(s.value).toBe('awaitingOperator');
    expect(names).toContain('scheduleTimer:operatorWait');
    expect(timerDelay(effects)).toBe(MONDAY_9 - (FRIDAY_20 + 1000));

    // The user may add details meanwhile: they are relayed to the ticket as always.
    [s, names] = step(s, { type: 'user.message', messageId: 12, text: 'Order 123, paid twice', signal: null, at: FRIDAY_20 + 5000, stepAt: FRIDAY_20 + 5000 });
    expect(names).toEqual(['relayToOperators']);

    // Monday 9:00: the first reminder, and the next one a wait later.
    [s, names, effects] = step(s, { type: 'timer.operatorWait', stepAt: MONDAY_9 });
    expect(names).toEqual(['notifyUser:stillWaiting', 'notifyOperators:reminder', 'scheduleTimer:operatorWait']);
    expect(timerDelay(effects)).toBe(settings.operatorWaitMs);
    expect(s.context.operatorWaitReminders).toBe(1);
  });

  it('a wait that runs past closing time reminds nobody: it is set again for the opening', () => {
    const tuesday1759 = Date.parse('2026-12-08T14:59:00Z');
    let [s] = step(fresh(), { type: 'user.requestHuman', stepAt: tuesday1759 });
    [s] = step(s, { type: 'ticket.posted', messageId: 900, threadId: null, stepAt: tuesday1759 });
    const [after, names, effects] = step(s, { type: 'timer.operatorWait', stepAt: tuesday1759 + settings.operatorWaitMs });
    expect(names).toEqual(['scheduleTimer:operatorWait']);
    expect(timerDelay(effects)).toBe(Date.parse('2026-12-09T06:00:00Z') - (tuesday1759 + settings.operatorWaitMs));
    expect(after.context.operatorWaitReminders).toBe(0);
  });

  it('within the hours, and without OPERATOR_HOURS, everything is as before', () => {
    const [open, names] = step(fresh(), { type: 'user.requestHuman', stepAt: TUESDAY_NOON });
    expect(names).toEqual(['notifyUser:switching', 'postTicket']);
    expect(open.context.afterHours).toBeNull();
    const [, always] = step(fresh(base), { type: 'user.requestHuman', stepAt: FRIDAY_20 });
    expect(always).toEqual(['notifyUser:switching', 'postTicket']);
    // An event nobody stamped (no step time) decides as without hours.
    const [, unstamped] = step(fresh(), { type: 'user.requestHuman' });
    expect(unstamped).toEqual(['notifyUser:switching', 'postTicket']);
  });

  it('back to the bot meanwhile: /bot works as always and forgets the after-hours handoff', () => {
    let [s] = step(fresh(), { type: 'user.requestHuman', stepAt: FRIDAY_20 });
    [s] = step(s, { type: 'ticket.posted', messageId: 900, threadId: null, stepAt: FRIDAY_20 });
    const [back, names] = step(s, { type: 'user.backToBot', stepAt: FRIDAY_20 + 60_000 });
    expect(back.value).toBe('botActive');
    expect(names).toEqual(['cancelTimer:operatorWait', 'notifyUser:backToBot', 'notifyOperators:userLeftQueue']);
    expect(back.context.afterHours).toBeNull();
  });
});
