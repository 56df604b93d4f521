import { describeHours, describeOpening } from '../../src/hours/hours.text';
import { closedUntil, HoursSyntaxError, isOpen, nextOpening, parseHolidays, parseHoursRules, workingHours, type HoursSpec } from '../../src/hours/working.hours';

const moscow = (rules = 'Mon-Fri 09:00-18:00', holidays: string[] = []) => workingHours({ rules, timeZone: 'Europe/Moscow', holidays });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const at = (text: string) => Date.parse(text);

describe('reading OPERATOR_HOURS', () => {
  it('reads ranges, lists, several rules and Russian day names', () => {
    expect(parseHoursRules('Mon-Fri 09:00-18:00')).toEqual([{ days: [0, 1, 2, 3, 4], start: 540, end: 1080 }]);
    expect(parseHoursRules('Mon-Fri 09:00-18:00; Sat 10:00-14:00')).toEqual([
      { days: [0, 1, 2, 3, 4], start: 540, end: 1080 },
      { days: [5], start: 600, end: 840 },
    ]);
    expect(parseHoursRules('mon,wed 9:30-18:00, Fri-Mon 10:00-24:00')).toEqual([
      { days: [0, 2], start: 570, end: 1080 },
      { days: [0, 4, 5, 6], start: 600, end: 1440 },
    ]);
    expect(parseHoursRules('пн–пт 09:00–18:00')).toEqual([{ days: [0, 1, 2, 3, 4], start: 540, end: 1080 }]);
    expect(parseHoursRules('Fri 22:00-02:00')).toEqual([{ days: [4], start: 1320, end: 120 }]);
  });

  it('says what it could not read and how to write it', () => {
    expect(() => parseHoursRules('Mon-Fr 9-18')).toThrow("'Mon-Fr 9-18' is not understood: write e.g. Mon-Fri 09:00-18:00");
    expect(() => parseHoursRules('Mon-Fri 09:00-18:00; Sat 10-14')).toThrow("'Sat 10-14' is not understood");
    expect(() => parseHoursRules('Mon-Fri 09:00-25:00')).toThrow(HoursSyntaxError);
    expect(() => parseHoursRules('Mon 09:00-09:00')).toThrow('opens and closes at the same time');
    expect(() => parseHoursRules('always')).toThrow("'always' is not understood");
  });

  it('reads holidays as real ISO dates', () => {
    expect(parseHolidays('2026-12-31, 2027-01-01')).toEqual(['2026-12-31', '2027-01-01']);
    expect(() => parseHolidays('2026-02-30')).toThrow("'2026-02-30' is not a date: write ISO dates separated by commas");
    expect(() => parseHolidays('31.12.2026')).toThrow(HoursSyntaxError);
  });

  it('refuses a time zone the runtime does not know', () => {
    expect(() => workingHours({ rules: 'Mon 09:00-18:00', timeZone: 'Europe/Mosow', holidays: [] })).toThrow(
      "'Europe/Mosow' is not a time zone: write an IANA name such as Europe/Moscow",
    );
  });
});

describe('open or not, and when next (Mon-Fri 09:00-18:00, Moscow)', () => {
  const hours = moscow();

  it('Friday 20:00 → Monday 9:00: "в понедельник после 9:00"', () => {
    const friday20 = at('2026-12-04T17:00:00Z'); // Friday 20:00 in Moscow (UTC+3)
    expect(isOpen(hours, friday20)).toBe(false);
    const back = nextOpening(hours, friday20);
    expect(iso(back)).toBe('2026-12-07T06:00:00.000Z');
    expect(describeOpening(hours, friday20, back!, 'ru')).toBe('в понедельник после 9:00');
    expect(describeOpening(hours, friday20, back!, 'en')).toBe('on Monday after 9:00');
  });

  it('the edges: 9:00 is open, 18:00 is not', () => {
    expect(isOpen(hours, at('2026-12-07T06:00:00Z'))).toBe(true);
    expect(isOpen(hours, at('2026-12-07T05:59:59Z'))).toBe(false);
    expect(isOpen(hours, at('2026-12-07T14:59:59Z'))).toBe(true);
    expect(isOpen(hours, at('2026-12-07T15:00:00Z'))).toBe(false);
    expect(nextOpening(hours, at('2026-12-07T10:00:00Z'))).toBe(at('2026-12-07T10:00:00Z')); // open: now
  });

  it('"today later" before the opening, "tomorrow" after the closing', () => {
    const tuesday7 = at('2026-12-08T04:00:00Z');
    expect(describeOpening(hours, tuesday7, nextOpening(hours, tuesday7)!, 'ru')).toBe('сегодня после 9:00');
    const tuesday19 = at('2026-12-08T16:00:00Z');
    expect(iso(nextOpening(hours, tuesday19))).toBe('2026-12-09T06:00:00.000Z');
    expect(describeOpening(hours, tuesday19, nextOpening(hours, tuesday19)!, 'en')).toBe('tomorrow after 9:00');
    // Thursday night → Friday is "tomorrow", not "on Friday".
    const thursday23 = at('2026-12-10T20:00:00Z');
    expect(describeOpening(hours, thursday23, nextOpening(hours, thursday23)!, 'ru')).toBe('завтра после 9:00');
  });

  it('a holiday Monday → Tuesday; long holidays → the date', () => {
    const withHoliday = moscow('Mon-Fri 09:00-18:00', ['2026-12-07']);
    const friday20 = at('2026-12-04T17:00:00Z');
    expect(isOpen(withHoliday, at('2026-12-07T08:00:00Z'))).toBe(false); // Monday noon, a holiday
    const back = nextOpening(withHoliday, friday20)!;
    expect(iso(back)).toBe('2026-12-08T06:00:00.000Z');
    expect(describeOpening(withHoliday, friday20, back, 'ru')).toBe('во вторник после 9:00');

    const newYear = moscow('Mon-Fri 09:00-18:00', ['2026-12-31', '2027-01-01', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08']);
    const dec30evening = at('2026-12-30T16:00:00Z');
    const after = nextOpening(newYear, dec30evening)!;
    expect(iso(after)).toBe('2027-01-11T06:00:00.000Z');
    expect(describeOpening(newYear, dec30evening, after, 'ru')).toBe('11 января после 9:00');
    expect(describeOpening(newYear, dec30evening, after, 'en')).toBe('on 11 January after 9:00');
  });

  it('a window past midnight: Friday 22:00 to Saturday 02:00', () => {
    const night = moscow('Fri 22:00-02:00');
    expect(isOpen(night, at('2026-12-04T18:30:00Z'))).toBe(false); // Fri 21:30
    expect(isOpen(night, at('2026-12-04T19:00:00Z'))).toBe(true); // Fri 22:00
    expect(isOpen(night, at('2026-12-04T22:30:00Z'))).toBe(true); // Sat 01:30
    expect(isOpen(night, at('2026-12-04T23:00:00Z'))).toBe(false); // Sat 02:00
    expect(isOpen(night, at('2026-12-03T22:30:00Z'))).toBe(false); // Fri 01:30: Thursday has no night window
    const fri2130 = at('2026-12-04T18:30:00Z');
    expect(describeOpening(night, fri2130, nextOpening(night, fri2130)!, 'en')).toBe('today after 22:00');
    expect(iso(nextOpening(night, at('2026-12-04T23:00:00Z')))).toBe('2026-12-11T19:00:00.000Z'); // the next Friday
    // A holiday Friday cancels its night window, Saturday morning included.
    const holiday = moscow('Fri 22:00-02:00', ['2026-12-04']);
    expect(isOpen(holiday, at('2026-12-04T22:30:00Z'))).toBe(false);
  });

  it('a holiday cancels its night window and that night\'s early hours: next is the evening after', () => {
    const shifts = moscow('Mon-Sun 22:00-02:00', ['2026-12-05']);
    // Saturday is a holiday: Saturday 22:00 does not open, and Sunday 00:00-02:00 is its window's rest, cancelled too.
    expect(iso(nextOpening(shifts, at('2026-12-04T23:30:00Z')))).toBe('2026-12-06T19:00:00.000Z'); // Sunday 22:00
  });
});

describe('daylight saving time', () => {
  it('Berlin in spring: Friday 20:00 CET → Monday 9:00 CEST', () => {
    const berlin = workingHours({ rules: 'Mon-Fri 09:00-18:00', timeZone: 'Europe/Berlin', holidays: [] });
    const friday20 = at('2026-03-27T19:00:00Z'); // UTC+1; the clocks go forward on Sunday the 29th
    expect(iso(nextOpening(berlin, friday20))).toBe('2026-03-30T07:00:00.000Z'); // 09:00 at UTC+2
    expect(describeOpening(berlin, friday20, nextOpening(berlin, friday20)!, 'en')).toBe('on Monday after 9:00');
  });

  it('Berlin in autumn: Friday 20:00 CEST → Monday 9:00 CET', () => {
    const berlin = workingHours({ rules: 'Mon-Fri 09:00-18:00', timeZone: 'Europe/Berlin', holidays: [] });
    expect(iso(nextOpening(berlin, at('2026-10-23T18:00:00Z')))).toBe('2026-10-26T08:00:00.000Z');
    expect(isOpen(berlin, at('2026-10-26T07:59:00Z'))).toBe(false);
  });

  it('New York: a Sunday window across the lost hour, and one that starts inside it', () => {
    const ny = workingHours({ rules: 'Sun 01:00-04:00', timeZone: 'America/New_York', holidays: [] });
    expect(isOpen(ny, at('2026-03-08T06:30:00Z'))).toBe(true); // 01:30 EST
    expect(isOpen(ny, at('2026-03-08T07:30:00Z'))).toBe(true); // 03:30 EDT (02:xx never happened)
    expect(isOpen(ny, at('2026-03-08T08:00:00Z'))).toBe(false); // 04:00 EDT: two real hours
    const gap = workingHours({ rules: 'Sun 02:30-05:00', timeZone: 'America/New_York', holidays: [] });
    // 02:30 is skipped: the window opens when the clocks jump to 03:00 EDT.
    expect(iso(nextOpening(gap, at('2026-03-07T23:00:00Z')))).toBe('2026-03-08T07:00:00.000Z');
    // In autumn 01:30 happens twice: the window opens at the first.
    const twice = workingHours({ rules: 'Sun 01:30-05:00', timeZone: 'America/New_York', holidays: [] });
    expect(iso(nextOpening(twice, at('2026-10-31T23:00:00Z')))).toBe('2026-11-01T05:30:00.000Z');
  });
});

describe('the schedule in words', () => {
  it('Russian and English, with the zone', () => {
    expect(describeHours(moscow(), 'ru')).toBe('пн–пт с 9 до 18 по Москве');
    expect(describeHours(moscow(), 'en')).toBe('Mon–Fri 9:00–18:00 Moscow time');
    const several = moscow('Mon-Fri 09:00-18:00; Sat 10:30-14:00; Sun 22:00-02:00');
    expect(describeHours(several, 'ru')).toBe('пн–пт с 9 до 18, сб с 10:30 до 14:00, вс с 22 до 2 по Москве');
    expect(describeHours(several, 'en')).toBe('Mon–Fri 9:00–18:00, Sat 10:30–14:00, Sun 22:00–2:00 Moscow time');
    expect(describeHours(workingHours({ rules: 'Mon-Sun 00:00-24:00', timeZone: 'UTC', holidays: [] }), 'en')).toBe('daily 0:00–24:00 UTC');
    expect(describeHours(workingHours({ rules: 'Mon,Tue,Thu 09:00-18:00', timeZone: 'America/New_York', holidays: [] }), 'en')).toBe('Mon, Tue, Thu 9:00–18:00 Eastern time');
  });
});

describe('closedUntil, as the dialog machine asks', () => {
  const spec: HoursSpec = { rules: 'Mon-Fri 09:00-18:00', timeZone: 'Europe/Moscow', holidays: [] };

  it('null without hours, without a moment, or while open; the opening otherwise', () => {
    expect(closedUntil(undefined, at('2026-12-04T17:00:00Z'))).toBeNull();
    expect(closedUntil(spec, undefined)).toBeNull();
    expect(closedUntil(spec, at('2026-12-04T10:00:00Z'))).toBeNull();
    expect(iso(closedUntil(spec, at('2026-12-04T17:00:00Z')))).toBe('2026-12-07T06:00:00.000Z');
  });
});

describe('a stored spec that no longer reads', () => {
  it('is treated as no hours by the machine, instead of failing every step', () => {
    expect(closedUntil({ rules: 'whenever', timeZone: 'Europe/Moscow', holidays: [] }, at('2026-12-04T17:00:00Z'))).toBeNull();
  });
});
