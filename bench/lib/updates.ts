/**
 * Telegram updates for the load generators, built as plain JSON buffers (no test factory: it
 * keeps per-chat state for every message, which is too slow and too big for 100,000 updates).
 *
 * Every text carries `#u<update_id>` so that the bot's echoed answer (the fake LLM answers
 * "Ответ: <last user message>") tells which update it answers: that is how the ordering check
 * reads the order of answers per chat.
 */

/** Everyday questions, each different enough that no two trip the repeated-question signal. */
const QUESTIONS = [
  'Когда придёт мой заказ',
  'Как поменять адрес доставки',
  'Сколько стоит доставка в Казань',
  'Можно оплатить картой при получении',
  'Где посмотреть статус посылки',
  'Есть ли скидка для студентов',
  'Какие часы работы пункта выдачи',
  'Как привязать вторую карту',
  'Почему не приходит код из смс',
  'Можно ли заказать подарочную упаковку',
  'What sizes do the sneakers come in',
  'Do you ship to Kazakhstan',
] as const;

/** The text a user asks for a person with (an explicit request, detected by the rules). */
export const HANDOFF_TEXT = 'позовите оператора';

/** The n-th everyday question of a chat, tagged with its update id. */
export function questionText(updateId: number, n: number): string {
  return `${QUESTIONS[n % QUESTIONS.length]}? #u${updateId}`;
}

/** Every update id in a text (an answer to a merged burst echoes each of its updates). */
export function updateIdsIn(text: string): number[] {
  return [...text.matchAll(/#u(\d+)/g)].map((m) => Number(m[1]));
}

/** A private-chat text message update, as Telegram sends it. */
export function textUpdate(updateId: number, chatId: number, text: string, messageId: number): Record<string, unknown> {
  return {
    update_id: updateId,
    message: {
      message_id: messageId,
      from: { id: chatId, is_bot: false, first_name: `User ${chatId}`, language_code: 'ru' },
      chat: { id: chatId, type: 'private', first_name: `User ${chatId}` },
      date: Math.floor(Date.now() / 1000),
      text,
    },
  };
}
