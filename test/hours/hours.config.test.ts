import { loadConfig } from '../../src/config';
import { configProblems as problems, validEnv as valid } from '../support/config-env';

describe('working hours in the configuration', () => {
  it('unset OPERATOR_HOURS: always open, as before (no hours in the dialogs\' settings)', () => {
    expect(loadConfig(valid).handoff.hours).toBeUndefined();
    expect(loadConfig({ ...valid, OPERATOR_HOURS: '', OPERATOR_TIMEZONE: '' }).handoff.hours).toBeUndefined();
  });

  it('reads the rules, the zone (Europe/Moscow by default) and the holidays', () => {
    expect(loadConfig({ ...valid, OPERATOR_HOURS: 'Mon-Fri 09:00-18:00; Sat 10:00-14:00' }).handoff.hours).toEqual({
      rules: 'Mon-Fri 09:00-18:00; Sat 10:00-14:00',
      timeZone: 'Europe/Moscow',
      holidays: [],
    });
    expect(
      loadConfig({ ...valid, OPERATOR_HOURS: 'Fri 22:00-02:00', OPERATOR_TIMEZONE: 'Europe/Berlin', OPERATOR_HOLIDAYS: '2026-12-31, 2027-01-01' }).handoff.hours,
    ).toEqual({ rules: 'Fri 22:00-02:00', timeZone: 'Europe/Berlin', holidays: ['2026-12-31', '2027-01-01'] });
  });

  it('names every bad value at once, with how to write it', () => {
    expect(problems({ ...valid, OPERATOR_HOURS: 'Mon-Fr 9-18', OPERATOR_TIMEZONE: 'Moscow', OPERATOR_HOLIDAYS: '2026-12-32' })).toEqual([
      expect.stringMatching(/^OPERATOR_HOURS 'Mon-Fr 9-18' is not understood: write e\.g\. Mon-Fri 09:00-18:00/),
      "OPERATOR_TIMEZONE 'Moscow' is not a time zone: write an IANA name such as Europe/Moscow, Europe/Berlin or America/New_York",
      "OPERATOR_HOLIDAYS '2026-12-32' is not a date: write ISO dates separated by commas, e.g. 2026-12-31,2027-01-01",
    ]);
  });
});
