import { afterHoursText, afterHoursTicketNote } from '../../src/i18n/texts.hours';
import type { HoursSpec } from '../../src/hours/working.hours';

const spec: HoursSpec = { rules: 'Mon-Fri 09:00-18:00', timeZone: 'Europe/Moscow', holidays: [] };
const FRIDAY_20 = Date.parse('2026-12-04T17:00:00Z');
const MONDAY_9 = Date.parse('2026-12-07T06:00:00Z');

describe('what the user and the ticket say outside working hours', () => {
  it('the user, in English: switching, the hours, when we answer, what they can do meanwhile', () => {
    expect(afterHoursText(spec, FRIDAY_20, MONDAY_9, 'en')).toBe(
      'Switching you to a human… Operators work Mon–Fri 9:00–18:00 Moscow time; we will answer on Monday after 9:00. Meanwhile you can add details: the operator will see them. Back to the bot: /bot',
    );
  });

  it('the ticket, in Russian operators\' language', () => {
    expect(afterHoursTicketNote(spec, FRIDAY_20, MONDAY_9, 'ru')).toBe('🌙 Создан в нерабочее время; пользователю сказано, что ответим в понедельник после 9:00.');
  });
});
