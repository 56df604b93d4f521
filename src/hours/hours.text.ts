import type { Lang } from '../machines/dialog.types';
import type { HoursRule, WorkingHours } from './working.hours';
import { wallTime } from './zoned.time';

/**
 * Working hours in words, for the user and the ticket: "пн–пт с 9 до 18 по Москве", "on Monday
 * after 9:00". Pure; the moment is always given. Weekday names are a fixed table (Russian needs
 * the accusative, "в среду", which Intl does not give); dates and zone names come from Intl.
 */

const SHORT: Record<Lang, string[]> = {
  ru: ['пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};
/** "в понедельник", "on Monday": the day something happens. */
const ON_DAY: Record<Lang, string[]> = {
  ru: ['в понедельник', 'во вторник', 'в среду', 'в четверг', 'в пятницу', 'в субботу', 'в воскресенье'],
  en: ['on Monday', 'on Tuesday', 'on Wednesday', 'on Thursday', 'on Friday', 'on Saturday', 'on Sunday'],
};

/** 540 → "9:00". */
const clock = (minutes: number) => `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;

/** [0,1,2,3,4,6] → "пн–пт, вс"; every day → "ежедневно" / "daily". */
function daysText(days: number[], lang: Lang): string {
  if (days.length === 7) return lang === 'ru' ? 'ежедневно' : 'daily';
  const runs: Array<[number, number]> = [];
  for (const d of days) {
    const last = runs.at(-1);
    if (last && last[1] === d - 1) last[1] = d;
    else runs.push([d, d]);
  }
  const names = SHORT[lang];
  return runs.map(([a, b]) => (a === b ? names[a] : b === a + 1 ? `${names[a]}, ${names[b]}` : `${names[a]}–${names[b]}`)).join(', ');
}

function ruleText(rule: HoursRule, lang: Lang): string {
  const end = rule.end;
  if (lang === 'ru') {
    const whole = rule.start % 60 === 0 && end % 60 === 0;
    const t = (m: number) => (whole ? String(m / 60) : clock(m));
    return `${daysText(rule.days, lang)} с ${t(rule.start)} до ${t(end)}`;
  }
  return `${daysText(rule.days, lang)} ${clock(rule.start)}–${clock(end)}`;
}

/** The zone as people say it: "по Москве" / "Moscow time", else the zone's name from Intl. */
export function zoneText(timeZone: string, lang: Lang): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return lang === 'ru' ? 'по UTC' : 'UTC';
  if (lang === 'ru') {
    if (timeZone === 'Europe/Moscow') return 'по Москве';
    return `по времени «${zoneName(timeZone, 'ru', 'shortGeneric')}»`;
  }
  const short = zoneName(timeZone, 'en', 'shortGeneric');
  const name = / Time$/.test(short) ? short : zoneName(timeZone, 'en', 'longGeneric');
  return name.replace(/ Time$/, ' time');
}

function zoneName(timeZone: string, lang: Lang, style: 'shortGeneric' | 'longGeneric'): string {
  const part = new Intl.DateTimeFormat(lang, { timeZone, timeZoneName: style }).formatToParts(new Date(0)).find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** The schedule in words: "пн–пт с 9 до 18, сб с 10 до 14 по Москве" / "Mon–Fri 9:00–18:00 Moscow time". */
export function describeHours(hours: WorkingHours, lang: Lang): string {
  return `${hours.rules.map((r) => ruleText(r, lang)).join(', ')} ${zoneText(hours.timeZone, lang)}`;
}

/**
 * When operators are back, said from `at`: "сегодня после 9:00", "завтра после 9:00", "в
 * понедельник после 9:00", a week or more ahead "12 января после 9:00" (English: "today after
 * 9:00", "tomorrow…", "on Monday…", "on 12 January…"); the time is the zone's.
 */
export function describeOpening(hours: WorkingHours, at: number, opensAt: number, lang: Lang): string {
  const now = wallTime(at, hours.timeZone);
  const then = wallTime(opensAt, hours.timeZone);
  const days = Math.round((Date.UTC(then.year, then.month - 1, then.day) - Date.UTC(now.year, now.month - 1, now.day)) / 86_400_000);
  const after = lang === 'ru' ? `после ${clock(then.minutes)}` : `after ${clock(then.minutes)}`;
  if (days <= 0) return `${lang === 'ru' ? 'сегодня' : 'today'} ${after}`;
  if (days === 1) return `${lang === 'ru' ? 'завтра' : 'tomorrow'} ${after}`;
  if (days < 7) return `${ON_DAY[lang][then.weekday]} ${after}`;
  const date = new Intl.DateTimeFormat(lang === 'ru' ? 'ru' : 'en-GB', { timeZone: hours.timeZone, day: 'numeric', month: 'long' }).format(new Date(opensAt));
  return `${lang === 'ru' ? date : `on ${date}`} ${after}`;
}
