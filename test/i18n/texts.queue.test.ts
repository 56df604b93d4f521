import { operatorText } from '../../src/i18n/texts';
import { waitedText } from '../../src/i18n/texts.queue';

describe('how long a user has waited, as the reminders say it', () => {
  it.each([
    [0, 'less than a minute', 'меньше минуты'],
    [59_999, 'less than a minute', 'меньше минуты'],
    [12 * 60_000 + 30_000, '12 min', '12 мин'],
    [60 * 60_000, '1 h', '1 ч'],
    [65 * 60_000, '1 h 5 min', '1 ч 5 мин'],
    // Friday 20:00 to Monday 9:00, outside working hours.
    [61 * 3_600_000, '2 d 13 h', '2 дн 13 ч'],
    [48 * 3_600_000 + 59 * 60_000, '2 d', '2 дн'],
  ])('%d ms: "%s" / "%s"', (ms, en, ru) => {
    expect(waitedText(ms, 'en')).toBe(en);
    expect(waitedText(ms, 'ru')).toBe(ru);
  });

  it('a reminder reads "user waits 12 min"', () => {
    expect(operatorText('reminder', 'en', { n: 7, wait: waitedText(12 * 60_000, 'en') })).toBe('⏰ Dialog #7 is still waiting for an operator (user waits 12 min): /take 7');
    expect(operatorText('reminder', 'ru', { n: 7, wait: waitedText(12 * 60_000, 'ru') })).toBe('⏰ Диалог #7 всё ещё ждёт оператора (пользователь ждёт 12 мин): /take 7');
  });
});
