import { describeHours, describeOpening } from '../hours/hours.text';
import { workingHours, type HoursSpec } from '../hours/working.hours';
import type { Lang } from '../machines/dialog.types';
import { fillTemplate } from './template';

/**
 * Texts of the working hours (issue 15), kept apart from texts.ts, which several features share.
 * They are Telegram HTML like the others; nothing inserted comes from a user.
 */

const afterHours: Record<Lang, string> = {
  ru: 'Переключаю на человека… Операторы работают {hours}; ответим {when}. Пока можно описать вопрос подробнее — оператор всё увидит. Вернуться к боту: /bot',
  en: 'Switching you to a human… Operators work {hours}; we will answer {when}. Meanwhile you can add details: the operator will see them. Back to the bot: /bot',
};

const ticketNote: Record<Lang, string> = {
  ru: '🌙 Создан в нерабочее время; пользователю сказано, что ответим {when}.',
  en: '🌙 Posted outside working hours; the user was told we answer {when}.',
};

/**
 * What a user hears on a handoff outside working hours (at `at`, operators back at `opensAt`):
 * "Переключаю на человека… Операторы работают пн–пт с 9 до 18 по Москве; ответим в понедельник после 9:00. …"
 */
export function afterHoursText(spec: HoursSpec, at: number, opensAt: number, lang: Lang): string {
  const hours = workingHours(spec);
  return fillTemplate(afterHours[lang], { hours: describeHours(hours, lang), when: describeOpening(hours, at, opensAt, lang) });
}

/** The ticket's line for a handoff outside working hours, in the operators' language. */
export function afterHoursTicketNote(spec: HoursSpec, at: number, opensAt: number, lang: Lang): string {
  return fillTemplate(ticketNote[lang], { when: describeOpening(workingHours(spec), at, opensAt, lang) });
}
