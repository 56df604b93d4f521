import type { Lang } from '../machines/dialog.types';
import { fillTemplate } from './template';

/**
 * The texts of ratings (CSAT), in Russian and English: the question after an operator's `/close`,
 * what the pressed question becomes, the comment's prompt and thanks, and the lines in the
 * dialog's topic. Kept apart from texts.ts (shared by every feature) because most take a score.
 * Telegram HTML: anything inserted must be escaped first.
 */
const userTexts = {
  question: { ru: 'Как мы справились? Оцените, пожалуйста, помощь оператора от 1 до 5.', en: 'How did we do? Please rate the operator’s help from 1 to 5.' },
  rated: { ru: 'Ваша оценка: {stars}. Спасибо!', en: 'Your rating: {stars}. Thank you!' },
  commentPrompt: { ru: 'Ваша оценка: {stars}. Напишите комментарий одним сообщением.', en: 'Your rating: {stars}. Write your comment in one message.' },
  commentThanks: { ru: 'Спасибо за комментарий! Мы передадим его команде.', en: 'Thank you for the comment! We will pass it on to the team.' },
  expired: { ru: 'Этот опрос уже закрыт — спасибо!', en: 'This question has expired. Thank you anyway!' },
  already: { ru: 'Вы уже оценили этот диалог — спасибо!', en: 'You have rated this conversation already. Thank you!' },
  thanks: { ru: 'Спасибо за оценку!', en: 'Thank you for the rating!' },
  addComment: { ru: '✍️ Добавить комментарий', en: '✍️ Add a comment' },
} satisfies Record<string, Record<Lang, string>>;

/** Lines in the dialog's place in the operators' chat: `{n}` the dialog, `{op}` the operator (escaped), `{text}` the comment (escaped). */
const operatorTexts = {
  rated: { ru: '{stars} {score} от пользователя (диалог #{n}, {op})', en: '{stars} {score} from the user (dialog #{n}, {op})' },
  comment: { ru: '💬 Комментарий пользователя к оценке диалога #{n}: {text}', en: '💬 The user’s comment on the rating of dialog #{n}: {text}' },
} satisfies Record<string, Record<Lang, string>>;

/** A score as five stars: `★★★★☆` for 4. */
export function stars(score: number): string {
  return '★'.repeat(score) + '☆'.repeat(5 - score);
}

/** `{stars}`, `{score}`, `{n}`, `{op}` and `{text}` (the values must already be escaped HTML). */
function fill(template: string, vars: { score?: number; n?: number; op?: string; text?: string }): string {
  return fillTemplate(template, { stars: vars.score ? stars(vars.score) : '', score: vars.score ?? '', n: vars.n ?? '', op: vars.op ?? '—', text: vars.text ?? '' });
}

/** A rating text for the user. */
export function csatUserText(key: keyof typeof userTexts, lang: Lang, vars: { score?: number } = {}): string {
  return fill(userTexts[key][lang], vars);
}

/** A rating line for the operators. */
export function csatOperatorText(key: keyof typeof operatorTexts, lang: Lang, vars: { score?: number; n: number; op?: string; text?: string }): string {
  return fill(operatorTexts[key][lang], vars);
}
