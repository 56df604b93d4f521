import type { Lang, OperatorTextKey, UserTextKey } from '../machines/dialog.types';

/**
 * The texts of the queue that does not wait forever (QUEUE_TIMEOUT_MINUTES) and of `/reopen`,
 * merged into the tables of texts.ts. Telegram HTML, like the rest.
 */

/** What the user reads. */
export const queueUserTexts = {
  queueTimeout: {
    ru: 'Операторы пока не освободились, простите за ожидание. Как поступим?',
    en: 'No operator is free yet, sorry for the wait. What would you like to do?',
  },
  keepWaiting: { ru: 'Хорошо, вы остаётесь в очереди — оператор ответит здесь.', en: 'All right, you stay in the queue: an operator will answer here.' },
  writeYourMessage: {
    ru: 'Напишите сообщение — я передам его операторам, и они ответят здесь, когда освободятся.',
    en: 'Write your message: I will pass it to the operators, and they will answer here when they are free.',
  },
  messageLeft: {
    ru: 'Спасибо, сообщение передано операторам: они ответят здесь. А пока я снова на связи — спрашивайте.',
    en: 'Thank you, your message is with the operators: they will answer here. Meanwhile I am here for anything else.',
  },
  choiceExpired: { ru: 'Этот выбор уже неактуален.', en: 'This choice is no longer open.' },
  reopened: { ru: 'Оператор вернулся к вашему запросу.', en: 'An operator has reopened your request.' },
} satisfies Partial<Record<UserTextKey, Record<Lang, string>>>;

/** The queue timeout's three buttons. */
export const queueButtons = {
  keepWaiting: { ru: '⏳ Подождать ещё', en: '⏳ Keep waiting' },
  backToBot: { ru: '🤖 Вернуться к боту', en: '🤖 Back to the bot' },
  leaveMessage: { ru: '✉️ Оставить сообщение', en: '✉️ Leave a message' },
} satisfies Record<string, Record<Lang, string>>;

/** What the operators read: `{n}` the dialog, `{op}` the operator (escaped). */
export const queueOperatorTexts = {
  leftMessage: {
    ru: '✉️ Пользователь диалога #{n} не дождался и оставил сообщение (выше). Диалог закрыт; ответить: /reopen {n}',
    en: '✉️ The user of dialog #{n} could not wait and left a message (above). The dialog is closed; to answer: /reopen {n}',
  },
  reopenedBy: { ru: '🔓 Диалог #{n} снова открыт ({op}): сообщения опять доходят до пользователя.', en: '🔓 Dialog #{n} reopened by {op}: messages reach the user again.' },
  noDialog: { ru: 'Диалога #{n} нет.', en: 'There is no dialog #{n}.' },
  notClosed: { ru: 'Диалог #{n} открыт: возвращать нечего.', en: 'Dialog #{n} is open: there is nothing to reopen.' },
  reopenBusy: {
    ru: 'Не открыт: у пользователя уже есть открытый диалог #{n} — ответьте там (/take {n}).',
    en: 'Not reopened: the user has another open dialog, #{n}; answer there (/take {n}).',
  },
  reopenNoTicket: {
    ru: 'Диалог #{n} не открыт: он не доходил до операторов (тикета не было) — его вёл бот.',
    en: 'Dialog #{n} was not reopened: it never reached the operators (it had no ticket); the bot handled it.',
  },
  reopenBanned: { ru: 'Диалог #{n} не открыт: пользователь заблокирован (сначала /unban).', en: 'Dialog #{n} was not reopened: its user is banned (/unban first).' },
  cannotReopen: {
    ru: 'Диалог #{n} не открыт: он изменился тем временем (открыт коллегой или у пользователя новый диалог). Попробуйте ещё раз.',
    en: 'Dialog #{n} was not reopened: it changed meanwhile (a colleague reopened it, or the user started a new dialog). Try again.',
  },
} satisfies Partial<Record<OperatorTextKey, Record<Lang, string>>>;

/**
 * How long a user has waited, for the reminders ("user waits 12 min"): minutes; hours and minutes
 * from an hour on; days and hours from a day on (a weekend outside working hours); "less than a
 * minute" before the first.
 */
export function waitedText(ms: number, lang: Lang): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  const unit = lang === 'ru' ? { d: 'дн', h: 'ч', m: 'мин' } : { d: 'd', h: 'h', m: 'min' };
  if (minutes < 1) return lang === 'ru' ? 'меньше минуты' : 'less than a minute';
  const [d, h, m] = [Math.floor(minutes / 1440), Math.floor(minutes / 60) % 24, minutes % 60];
  if (d > 0) return h > 0 ? `${d} ${unit.d} ${h} ${unit.h}` : `${d} ${unit.d}`;
  if (h > 0) return m > 0 ? `${h} ${unit.h} ${m} ${unit.m}` : `${h} ${unit.h}`;
  return `${m} ${unit.m}`;
}
