/**
 * Wall-clock time in an IANA time zone, with nothing but `Intl.DateTimeFormat` (Node's ICU knows
 * every zone and its DST rules, so no time-zone library is needed). Pure; no I/O.
 */

/** A moment as a clock on the wall of the zone shows it. */
export interface WallTime {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  /** Minutes since local midnight, 0–1439. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA name this runtime knows (`Europe/Moscow`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall time at `at` (ms) in `timeZone`, with seconds (for the zone's offset). */
function parts(at: number, timeZone: string): WallTime & { hour: number; minute: number; second: number } {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(at))) p[part.type] = part.value;
  const hour = Number(p.hour) % 24;
  const minute = Number(p.minute);
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    weekday: WEEKDAYS[p.weekday ?? ''] ?? 0,
    minutes: hour * 60 + minute,
    hour,
    minute,
    second: Number(p.second),
  };
}

/** The wall time at `at` (ms since the epoch) in `timeZone`. */
export function wallTime(at: number, timeZone: string): WallTime {
  const { year, month, day, weekday, minutes } = parts(at, timeZone);
  return { year, month, day, weekday, minutes };
}

/** How far the zone's clocks are ahead of UTC at `at`, in ms (Moscow: +3 h). */
function offsetAt(at: number, timeZone: string): number {
  const p = parts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/**
 * The moment the zone's clocks show `minutes` after midnight of the given date. A wall time the
 * clocks skip (the hour lost in spring) gives the moment the clocks jump over it (02:30 → the
 * instant 02:00 became 03:00); one they show twice (autumn) gives the first.
 */
export function instantOf(date: { year: number; month: number; day: number }, minutes: number, timeZone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  // Two rounds: the offset at a first guess, then at the moment that guess gives.
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  if (offsetAt(second, timeZone) === wall - second) {
    // In autumn both offsets may fit: the earlier moment is the first time the clocks show it.
    const earlier = wall - offsetAt(second - 3_600_000, timeZone);
    return earlier < second && offsetAt(earlier, timeZone) === wall - earlier ? earlier : second;
  }
  // In a gap neither fits: the moment the clocks jumped (found to the minute), the first one they
  // show a time past the one asked for.
  let lo = Math.min(first, second);
  let hi = Math.max(first, second);
  const before = offsetAt(lo, timeZone);
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (offsetAt(mid, timeZone) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The calendar date `days` after the given one (in the proleptic Gregorian calendar). */
export function addDays(date: { year: number; month: number; day: number }, days: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: (d.getUTCDay() + 6) % 7 };
}

/** `YYYY-MM-DD` of a date. */
export function isoDate(date: { year: number; month: number; day: number }): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}
