import { FakeClock } from '../support/fake.clock';
import { ivan, OPS, startHarness, type Harness } from './harness';

/** The operators work Mon–Fri 9:00–18:00 in Moscow; the reminder comes after a minute of waiting. */
const HOURS = { OPERATOR_HOURS: 'Mon-Fri 09:00-18:00', OPERATOR_TIMEZONE: 'Europe/Moscow', OPERATOR_WAIT_SECONDS: '60' };
const FRIDAY_20_MOSCOW = '2026-12-04T17:00:00Z';
const MONDAY_9_MOSCOW = '2026-12-07T06:00:00Z';

let h: Harness;
let clock: FakeClock;
afterEach(() => h.close());

const opsTexts = () => h.tg.textsTo(OPS);
const reminders = () => opsTexts().filter((t) => t.includes('is still waiting for an operator'));
/** A few of the timer poller's rounds (every 100 ms in the harness) on the real clock. */
const pollerRounds = () => new Promise((r) => setTimeout(r, 500));

describe('working hours: a handoff outside them', () => {
  beforeEach(async () => {
    clock = new FakeClock(FRIDAY_20_MOSCOW);
    h = await startHarness(HOURS, { clock });
  });

  it('Friday 20:00: the user hears "Monday 9:00", the ticket is posted, no reminder until Monday 9:00, then one', async () => {
    await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
    await h.tg.waitFor(() => opsTexts().length >= 1);
    await h.settled();

    // One message: switching, the hours, and when operators are back.
    expect(h.tg.textsTo(ivan.id)).toEqual([
      'Переключаю на человека… Операторы работают пн–пт с 9 до 18 по Москве; ответим в понедельник после 9:00. Пока можно описать вопрос подробнее — оператор всё увидит. Вернуться к боту: /bot',
    ]);
    // The ticket is in the group, marked as posted outside hours.
    expect(opsTexts()[0]).toContain('🆘 Dialog #1');
    expect(opsTexts()[0]).toContain('🌙 Posted outside working hours; the user was told we answer on Monday after 9:00.');

    // The user leaves details: they reach the ticket as always.
    const details = h.updates.text(ivan, 'Заказ 123 списали дважды');
    await h.post(details);
    await h.settled();
    expect(h.tg.callsTo('copyMessage').filter((c) => c.params.chat_id === OPS).map((c) => c.params.message_id)).toEqual([details.message.message_id]);

    // The weekend passes: no reminder reaches the group (the wait of 60 s is long over).
    clock.set('2026-12-06T20:00:00Z'); // Sunday 23:00 in Moscow
    await pollerRounds();
    await h.settled();
    expect(reminders()).toEqual([]);
    const waiting = h.tg.textsTo(ivan.id).length;

    // Monday 9:00: the first reminder, in the group and to the user.
    clock.set(MONDAY_9_MOSCOW);
    await h.tg.waitFor(() => reminders().length === 1);
    await h.settled();
    expect(reminders()).toEqual(['⏰ Dialog #1 is still waiting for an operator: /take 1']);
    expect(h.tg.textsTo(ivan.id).slice(waiting)).toEqual([
      'Все операторы пока заняты, вы в очереди. Можно написать подробности — оператор их увидит. Вернуться к боту: /bot',
    ]);
    // And the next one a wait later, as within hours.
    clock.advance(60_000);
    await h.tg.waitFor(() => reminders().length === 2);
  });

  it('the user may go back to the bot meanwhile, and the bot answers', async () => {
    await h.post(h.updates.text(ivan, '/operator'));
    await h.tg.waitFor(() => opsTexts().length >= 1);
    await h.settled();
    await h.post(h.updates.text(ivan, '/bot'));
    await h.settled();
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Вы снова общаетесь с ботом. Чем помочь?');
    expect(opsTexts().at(-1)).toBe('The user of dialog #1 went back to the bot.');

    h.ai.enqueue({ text: 'Возврат оформляется в личном кабинете.' });
    await h.post(h.updates.text(ivan, 'Как оформить возврат?'));
    await h.tg.waitFor(() => h.tg.textsTo(ivan.id).at(-1) === 'Возврат оформляется в личном кабинете.');
    // Monday comes: the dialog is with the bot, so the group gets no reminder about it.
    clock.set(MONDAY_9_MOSCOW);
    await pollerRounds();
    await h.settled();
    expect(reminders()).toEqual([]);
  });
});

describe('working hours: a handoff within them', () => {
  it('Tuesday noon: «Переключаю на человека…» as always, and the reminder a wait later by the clock', async () => {
    clock = new FakeClock('2026-12-08T09:00:00Z');
    h = await startHarness(HOURS, { clock });
    await h.post(h.updates.text(ivan, '/operator'));
    await h.tg.waitFor(() => opsTexts().length >= 1);
    await h.settled();
    expect(h.tg.textsTo(ivan.id)).toEqual(['Переключаю на человека…']);
    expect(opsTexts()[0]).not.toContain('outside working hours');

    await pollerRounds();
    expect(reminders()).toEqual([]); // the clock has not moved: no wait is over
    clock.advance(60_000);
    await h.tg.waitFor(() => reminders().length === 1);
  });
});
