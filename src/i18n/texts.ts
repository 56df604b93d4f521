import type { Lang, OperatorTextKey, UserTextKey } from '../machines/dialog.types';
import { fillTemplate } from './template';
import { queueButtons, queueOperatorTexts, queueUserTexts } from './texts.queue';

/**
 * Everything the bot says, in Russian and English. Texts are Telegram HTML: anything inserted
 * into them must be escaped first. To add a language, add a column here and to `Lang`.
 */
const userTexts: Record<UserTextKey, Record<Lang, string>> = {
  greeting: {
    ru: 'Здравствуйте! Я бот поддержки. Задайте вопрос — я отвечу сразу.\nЕсли нужен человек, напишите /operator или нажмите кнопку ниже.',
    en: 'Hello! I am the support bot. Ask me anything and I will answer right away.\nIf you need a person, send /operator or tap the button below.',
  },
  switching: { ru: 'Переключаю на человека…', en: 'Switching you to a human…' },
  confirmHandoff: { ru: 'Переключить вас на человека?', en: 'Switch you to a human?' },
  handoffDeclined: { ru: 'Хорошо, продолжаем со мной. Чем помочь?', en: 'All right, let us carry on. How can I help?' },
  ticketDelayed: {
    ru: 'Не получается связаться с операторами прямо сейчас. Я продолжаю попытки, ваш запрос не потеряется.',
    en: 'I cannot reach the operators right now. I keep trying; your request will not be lost.',
  },
  stillWaiting: {
    ru: 'Все операторы пока заняты, вы в очереди. Можно написать подробности — оператор их увидит. Вернуться к боту: /bot',
    en: 'All operators are busy at the moment; you are in the queue. Feel free to add details, the operator will see them. Back to the bot: /bot',
  },
  operatorJoined: { ru: 'Оператор подключился к диалогу.', en: 'An operator has joined the conversation.' },
  backToBot: { ru: 'Вы снова общаетесь с ботом. Чем помочь?', en: 'You are back with the bot. How can I help?' },
  alreadyWithBot: { ru: 'Вы и так общаетесь с ботом. Задайте вопрос!', en: 'You are talking to the bot already. Ask away!' },
  alreadyWaiting: {
    ru: 'Запрос уже передан операторам, ожидайте ответа. Вернуться к боту: /bot',
    en: 'Your request is with the operators already; please wait for a reply. Back to the bot: /bot',
  },
  alreadyWithOperator: {
    ru: 'С вами работает оператор. Диалог завершит оператор.',
    en: 'An operator is handling your conversation and will close it when done.',
  },
  textOnly: {
    ru: 'Я понимаю только текст. Опишите, пожалуйста, словами — или напишите /operator, и я передам это человеку.',
    en: 'I can only read text. Please describe it in words, or send /operator and I will pass it to a person.',
  },
  llmFailed: {
    ru: 'Извините, сейчас не получается ответить. Попробуйте ещё раз через минуту.',
    en: 'Sorry, I cannot answer right now. Please try again in a minute.',
  },
  llmFailedOfferHuman: {
    ru: 'Извините, у меня снова не получается ответить.',
    en: 'Sorry, I still cannot answer.',
  },
  closedByOperator: {
    ru: 'Диалог завершён. Если появятся вопросы — просто напишите, я на связи.',
    en: 'The conversation is closed. If anything else comes up, just write: I am here.',
  },
  closedIdle: {
    ru: 'Диалог закрыт из-за отсутствия активности. Напишите, если нужна помощь.',
    en: 'The conversation was closed after a period of inactivity. Write again if you need help.',
  },
  operatorsOnly: { ru: 'Эта команда — для операторов, в их группе.', en: 'This command is for operators, in their group.' },
  operatorChanged: { ru: 'Диалог продолжит другой оператор.', en: 'Another operator continues the conversation.' },
  backInQueue: {
    ru: 'Оператор передал ваш запрос обратно в очередь: ответит первый освободившийся. Вернуться к боту: /bot',
    en: 'The operator passed your request back to the queue: the next free operator will answer. Back to the bot: /bot',
  },
  slowDown: {
    ru: 'Вы пишете очень часто — пожалуйста, помедленнее. Сообщения этой минуты сверх лимита остались без ответа; напишите главное одним сообщением.',
    en: 'You are writing very fast; please slow down. Messages over the limit this minute were not answered: put what matters in one message.',
  },
  banned: {
    ru: 'К сожалению, поддержка в этом чате для вас закрыта. Если вы считаете это ошибкой, свяжитесь с нами другим способом.',
    en: 'Sorry, support in this chat is closed for you. If you think this is a mistake, please contact us another way.',
  },
  ...queueUserTexts,
  // Above an edited caption, as a reply to the copy of the operator's photo or file.
  edited: { ru: '✏️ изменено:', en: '✏️ edited:' },
};

/** Button captions. */
const buttons = {
  talkToHuman: { ru: '👤 Позвать человека', en: '👤 Talk to a human' },
  yes: { ru: 'Да', en: 'Yes' },
  no: { ru: 'Нет', en: 'No' },
  take: { ru: 'Взять', en: 'Take' },
  ...queueButtons,
} satisfies Record<string, Record<Lang, string>>;

/** Texts for the operators' chat: `{op}` is the operator's name (escaped), `{n}` the dialog number. */
const operatorTexts: Record<OperatorTextKey, Record<Lang, string>> = {
  taken: { ru: '✅ Диалог #{n} взял {op}.', en: '✅ Dialog #{n} taken by {op}.' },
  alreadyTaken: { ru: 'Диалог #{n} уже у {op}.', en: 'Dialog #{n} is already taken by {op}.' },
  takeFirst: {
    ru: 'Сообщение не отправлено: сначала возьмите диалог — /take {n}',
    en: 'Not sent: take the dialog first with /take {n}',
  },
  // {wait}: how long the user has waited since the ticket was posted ("12 min").
  reminder: { ru: '⏰ Диалог #{n} всё ещё ждёт оператора (пользователь ждёт {wait}): /take {n}', en: '⏰ Dialog #{n} is still waiting for an operator (user waits {wait}): /take {n}' },
  userLeftQueue: { ru: 'Пользователь диалога #{n} вернулся к боту.', en: 'The user of dialog #{n} went back to the bot.' },
  closed: { ru: '🔒 Диалог #{n} закрыт.', en: '🔒 Dialog #{n} is closed.' },
  cannotClose: { ru: 'Диалог #{n} нельзя закрыть сейчас.', en: 'Dialog #{n} cannot be closed now.' },
  notOperator: {
    ru: 'Брать и закрывать диалоги могут только участники группы операторов.',
    en: 'Only members of the operators\' group can take or close dialogs.',
  },
  whichDialog: { ru: 'Укажите номер диалога: /take 12, или ответьте на его тикет.', en: 'Say which dialog: /take 12, or reply to its ticket.' },
  noSuchDialog: { ru: 'Открытого диалога #{n} нет.', en: 'There is no open dialog #{n}.' },
  updateSetAside: {
    ru: '⚠️ Сообщение пользователя (id {n}) не удалось обработать; оно отложено (GET /api/updates/set-aside). Ответьте пользователю сами, если нужно.',
    en: '⚠️ A message from a user (id {n}) could not be processed and was set aside (GET /api/updates/set-aside). Answer the user yourself if needed.',
  },
  deliveryFailed: {
    ru: '⚠️ Ответ пользователю диалога #{n} не удалось доставить: Telegram его не принял. Свяжитесь с пользователем сами.',
    en: '⚠️ An answer to the user of dialog #{n} could not be delivered: Telegram did not take it. Reach the user yourself.',
  },
  transferred: { ru: '🔁 Диалог #{n} передан: теперь его ведёт {op}.', en: '🔁 Dialog #{n} was handed over: {op} continues it.' },
  transferWho: {
    ru: 'Кому передать? /transfer @имя (коллега, который уже работал с диалогами) или упомяните его из списка участников.',
    en: 'To whom? /transfer @name (a colleague who has handled dialogs before), or mention them from the members list.',
  },
  transferNotMember: {
    ru: 'Не передано: этот пользователь не участник группы операторов.',
    en: 'Not handed over: that user is not a member of the operators\' group.',
  },
  cannotTransfer: { ru: 'Диалог #{n} сейчас нельзя передать: его никто не ведёт и он не ждёт оператора.', en: 'Dialog #{n} cannot be handed over now: nobody has it and it is not waiting for an operator.' },
  released: { ru: '↩️ Диалог #{n} вернулся в очередь: /take {n}', en: '↩️ Dialog #{n} is back in the queue: /take {n}' },
  bannedUser: { ru: '🚫 Пользователь диалога #{n} заблокирован ({op}). Снять: /unban и id пользователя из тикета.', en: '🚫 The user of dialog #{n} is banned ({op}). To lift it: /unban and the user id from the ticket.' },
  unbanned: { ru: '✅ Пользователь {op} разблокирован.', en: '✅ User {op} is no longer banned.' },
  notBanned: { ru: 'Пользователь {op} не заблокирован.', en: 'User {op} is not banned.' },
  unbanWho: { ru: 'Кого разблокировать? /unban 1001 или /unban @имя', en: 'Whom? /unban 1001 or /unban @name' },
  cannotSendReply: {
    ru: 'Не отправлено: готовый ответ отправляет оператор, который ведёт диалог #{n} (сначала /take {n}).',
    en: 'Not sent: a saved reply is sent by the operator who has dialog #{n} (take it first: /take {n}).',
  },
  savedReplies: { ru: 'Готовые ответы: {op}\nОтправить: /r ключ', en: 'Saved replies: {op}\nSend one: /r key' },
  noSavedReply: { ru: 'Готового ответа «{op}» нет.', en: 'There is no saved reply “{op}”.' },
  historyHeader: { ru: '🗂 Прошлые диалоги пользователя диалога #{n}:', en: '🗂 Earlier dialogs of the user of dialog #{n}:' },
  historyNone: { ru: 'У пользователя диалога #{n} нет прошлых диалогов.', en: 'The user of dialog #{n} has no earlier dialogs.' },
  cannotRelease: { ru: 'Вернуть в очередь может только оператор, который ведёт диалог #{n}.', en: 'Only the operator who has dialog #{n} can give it back to the queue.' },
  // Above the user's edited caption, as a reply to its copy.
  edited: { ru: '✏️ изменено:', en: '✏️ edited:' },
  // Duty (issue 15): /online, /offline, the reminders' mentions, AUTO_ASSIGN.
  onDuty: { ru: '🟢 {op} на смене.', en: '🟢 {op} is on duty.' },
  offDuty: { ru: '⚪️ {op} не на смене.', en: '⚪️ {op} is off duty.' },
  onDutyNow: { ru: 'На смене: {op}', en: 'On duty: {op}' },
  assigned: {
    ru: '📌 Диалог #{n} назначен дежурному: {op}. Вернуть в очередь: /release',
    en: '📌 Dialog #{n} is assigned to {op} (on duty). To give it back to the queue: /release',
  },
  ...queueOperatorTexts,
};

/** How a dialog ended, in words, for `/history` (`reason` is the dialog's close reason, null while open). */
export function closeReasonText(reason: string | null, lang: Lang): string {
  const words: Record<string, Record<Lang, string>> = {
    operator: { ru: 'закрыт оператором', en: 'closed by an operator' },
    idle: { ru: 'закрыт без активности', en: 'closed when idle' },
    blocked: { ru: 'пользователь заблокировал бота', en: 'the user blocked the bot' },
    admin: { ru: 'закрыт через API', en: 'closed through the admin API' },
    banned: { ru: 'пользователь заблокирован', en: 'the user was banned' },
    leftMessage: { ru: 'пользователь оставил сообщение', en: 'the user left a message' },
  };
  return reason === null ? (lang === 'ru' ? 'открыт' : 'open') : (words[reason]?.[lang] ?? reason);
}

/** A user-facing text in the user's language. */
export function userText(key: UserTextKey, lang: Lang): string {
  return userTexts[key][lang];
}

/** A button caption. */
export function buttonText(key: keyof typeof buttons, lang: Lang): string {
  return buttons[key][lang];
}

/** A text for the operators' chat with `{n}`, `{op}` and `{wait}` filled in (`op` must already be escaped HTML). */
export function operatorText(key: OperatorTextKey, lang: Lang, vars: { n: number; op?: string; wait?: string }): string {
  return fillTemplate(operatorTexts[key][lang], { n: vars.n, op: vars.op ?? '—', wait: vars.wait ?? '—' });
}

/** Language of a Telegram user: Russian for ru/uk/be/kk language codes, English otherwise. */
export function langFromTelegram(code: string | undefined): Lang {
  return code && /^(ru|uk|be|kk)\b/i.test(code) ? 'ru' : 'en';
}
