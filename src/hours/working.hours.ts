import { addDays, instantOf, isoDate, isTimeZone, wallTime } from './zoned.time';

/**
 * Operators' working hours: when the group is staffed, and when it is next. Pure (Intl only, no
 * I/O, no clock: every function takes the moment it is asked about), so the dialog machine can
 * decide with it and the tests can pin any moment.
 *
 * Semantics, in the zone's wall time:
 * - a rule `Mon-Fri 09:00-18:00` is open from 09:00 (included) to 18:00 (excluded) on those days;
 * - a window whose end is not after its start runs past midnight: `Fri 22:00-02:00` is Friday
 *   22:00 to Saturday 02:00;
 * - a holiday (`OPERATOR_HOLIDAYS`) closes its whole date, and a night window that starts on it;
 * - no rules at all (`OPERATOR_HOURS` unset) means always open: callers keep `undefined` then.
 */

/** The working hours as configured (plain strings, so a dialog's settings can store them as JSON). */
export interface HoursSpec {
  /** `OPERATOR_HOURS`, e.g. `Mon-Fri 09:00-18:00; Sat 10:00-14:00`. */
  rules: string;
  /** `OPERATOR_TIMEZONE`, an IANA name. */
  timeZone: string;
  /** `OPERATOR_HOLIDAYS` as ISO dates, closed all day. */
  holidays: string[];
}

/** One window on some weekdays; times in minutes after midnight. */
export interface HoursRule {
  /** 0 = Monday … 6 = Sunday, ascending. */
  days: number[];
  start: number;
  /** Up to 1440; not after `start` means the window ends the next day. */
  end: number;
}

/** Parsed working hours. */
export interface WorkingHours {
  rules: HoursRule[];
  timeZone: string;
  holidays: ReadonlySet<string>;
}

/** A value of the hours' variables that cannot be read; the message says how to write it. */
export class HoursSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HoursSyntaxError';
  }
}

const DAY_NAMES: Record<string, number> = {
  mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6,
  пн: 0, вт: 1, ср: 2, чт: 3, пт: 4, сб: 5, вс: 6,
};
const DAY = String.raw`[a-zа-яё]{2,3}`;
const DAYS = String.raw`${DAY}(?:\s*[-–]\s*${DAY})?(?:\s*,\s*${DAY}(?:\s*[-–]\s*${DAY})?)*`;
const RULE = new RegExp(String.raw`(${DAYS})\s+(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*(?:[;,]\s*|$)`, 'iuy');
const HOURS_HINT = 'write e.g. Mon-Fri 09:00-18:00 (days Mon…Sun, times HH:MM; several rules separated by ";", e.g. Mon-Fri 09:00-18:00; Sat 10:00-14:00)';

/** Days such as `Mon-Fri`, `Sat`, `Mon,Wed,Fri-Sun` (a range may wrap: `Fri-Mon`); null when a name is unknown. */
function parseDays(text: string): number[] | null {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to] = part.split(/[-–]/).map((s) => DAY_NAMES[s.trim().toLowerCase()]);
    if (from === undefined || (part.match(/[-–]/) && to === undefined)) return null;
    for (let d = from, n = 0; n < 7; d = (d + 1) % 7, n += 1) {
      days.add(d);
      if (d === (to ?? from)) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * Reads `OPERATOR_HOURS`: rules separated by `;` or `,`, each `<days> HH:MM-HH:MM`.
 *
 * @throws HoursSyntaxError naming the part it could not read, e.g. `'Mon-Fr 9-18' is not understood: write e.g. Mon-Fri 09:00-18:00 …`
 */
export function parseHoursRules(text: string): HoursRule[] {
  const rules: HoursRule[] = [];
  const source = text.trim();
  let pos = 0;
  const fail = (): never => {
    const rest = source.slice(pos).split(';')[0]?.trim() || source;
    throw new HoursSyntaxError(`'${rest}' is not understood: ${HOURS_HINT}`);
  };
  if (source === '') return fail();
  while (pos < source.length) {
    RULE.lastIndex = pos;
    const m = RULE.exec(source);
    if (!m) return fail();
    const [, dayText, h1, m1, h2, m2] = m as RegExpExecArray & [string, string, string, string, string, string];
    const days = parseDays(dayText);
    const start = Number(h1) * 60 + Number(m1);
    const end = Number(h2) * 60 + Number(m2);
    if (!days || Number(m1) > 59 || Number(m2) > 59 || start > 23 * 60 + 59 || end > 24 * 60) fail();
    if (start === end) {
      throw new HoursSyntaxError(`'${m[0].replace(/[;,]\s*$/, '').trim()}' opens and closes at the same time: ${HOURS_HINT} (a whole day is 00:00-24:00)`);
    }
    rules.push({ days: days as number[], start, end });
    pos = RULE.lastIndex;
  }
  return rules;
}

/**
 * Reads `OPERATOR_HOLIDAYS`: ISO dates separated by commas (or spaces, or `;`).
 *
 * @throws HoursSyntaxError naming the first value that is not a real date.
 */
export function parseHolidays(text: string): string[] {
  const dates = text.split(/[\s,;]+/).filter(Boolean);
  for (const date of dates) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    const real = m && isoDate(addDays({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, 0)) === date;
    if (!real) throw new HoursSyntaxError(`'${date}' is not a date: write ISO dates separated by commas, e.g. 2026-12-31,2027-01-01`);
  }
  return dates;
}

/**
 * Checks `OPERATOR_TIMEZONE`.
 *
 * @throws HoursSyntaxError when the runtime does not know the zone.
 */
export function checkTimeZone(timeZone: string): string {
  if (!isTimeZone(timeZone)) {
    throw new HoursSyntaxError(`'${timeZone}' is not a time zone: write an IANA name such as Europe/Moscow, Europe/Berlin or America/New_York`);
  }
  return timeZone;
}

const parsed = new Map<string, WorkingHours>();

/** The parsed hours of a spec (remembered: the machine asks on every step that needs them). */
export function workingHours(spec: HoursSpec): WorkingHours {
  const key = `${spec.rules}|${spec.timeZone}|${spec.holidays.join(',')}`;
  let hours = parsed.get(key);
  if (!hours) {
    hours = { rules: parseHoursRules(spec.rules), timeZone: checkTimeZone(spec.timeZone), holidays: new Set(spec.holidays) };
    if (parsed.size > 100) parsed.clear();
    parsed.set(key, hours);
  }
  return hours;
}

/** True when operators work at `at` (ms since the epoch). */
export function isOpen(hours: WorkingHours, at: number): boolean {
  const w = wallTime(at, hours.timeZone);
  if (hours.holidays.has(isoDate(w))) return false;
  const yesterday = addDays(w, -1);
  const yesterdayWorks = !hours.holidays.has(isoDate(yesterday));
  return hours.rules.some((r) => {
    if (r.start < r.end) return r.days.includes(w.weekday) && w.minutes >= r.start && w.minutes < r.end;
    // Past midnight: today's evening part, or what is left of yesterday's window.
    return (r.days.includes(w.weekday) && w.minutes >= r.start) || (yesterdayWorks && r.days.includes(yesterday.weekday) && w.minutes < r.end);
  });
}

/** Days ahead {@link nextOpening} looks before it gives up (a year of holidays). */
const HORIZON_DAYS = 370;

/**
 * The first moment at or after `at` when operators work: `at` itself when open now; null when
 * nothing opens within a year (every working day a holiday).
 */
export function nextOpening(hours: WorkingHours, at: number): number | null {
  if (isOpen(hours, at)) return at;
  const today = wallTime(at, hours.timeZone);
  for (let k = 0; k <= HORIZON_DAYS; k += 1) {
    const date = addDays(today, k);
    // Openings on that date are its windows' starts (the rest of a night window after midnight
    // follows its own start without a break, or is cancelled with it by a holiday).
    const candidates = hours.rules
      .filter((r) => r.days.includes(date.weekday))
      .map((r) => r.start)
      .map((minutes) => instantOf(date, minutes, hours.timeZone))
      .sort((a, b) => a - b);
    for (const c of candidates) if (c > at && isOpen(hours, c)) return c;
  }
  return null;
}

/**
 * For the dialog machine: when operators are back if they are away at `at`; null when they work
 * now, when no hours are configured, or when the moment is unknown (then everything is as without
 * working hours).
 */
export function closedUntil(spec: HoursSpec | undefined, at: number | undefined): number | null {
  if (!spec || at === undefined) return null;
  let hours: WorkingHours;
  try {
    hours = workingHours(spec);
  } catch (error) {
    // The configuration was checked at start-up; a dialog's stored copy that no longer reads (an
    // edited row) must not make every step of that dialog throw: it goes on as without hours.
    if (error instanceof HoursSyntaxError) return null;
    throw error;
  }
  if (isOpen(hours, at)) return null;
  return nextOpening(hours, at);
}
