import { normalizeText } from './normalize.text';

/** What a typed reply to the confirmation question («Переключить вас на человека?») means. */
export type ConfirmationAnswer = 'yes' | 'no';

/**
 * Reads a typed reply to the confirmation question the way the Yes / No buttons would:
 * «да», «давайте», "yes please", "sure" → `'yes'`; «нет», «не надо», "no thanks", "not now" →
 * `'no'`; anything else → `null`, and the message is an ordinary one (the dialog machine then
 * leaves `confirming` and the message is answered or detected as usual).
 *
 * Only a reply made of nothing but the answer and its small change counts («да, переключите
 * на оператора», «нет, спасибо, сам разберусь», "yes, connect me"). A reply that goes on to
 * something else is null: "yes, but how do I pay?", «да, а где мой заказ?», «нет интернета»,
 * "no, I want a human" (mixed: the detector decides). A question (`?`) is never an answer,
 * and «да нет» is Russian for no. Letter runs are collapsed (дааа, yesss), case is ignored;
 * 👍 and `+` are yes, 👎 and `-` are no. Words of every language are accepted: users answer
 * in the language they type in, not in the one Telegram reports. Pure, under a microsecond.
 *
 * @example confirmationAnswer('Да, давайте') === 'yes'
 * @example confirmationAnswer('yes, but how do I pay?') === null
 */
export function confirmationAnswer(text: string): ConfirmationAnswer | null {
  const raw = text.trim();
  if (raw === '' || raw.length > MAX_CHARS || raw.includes('?')) return null;
  if (YES_SYMBOLS.test(raw)) return 'yes';
  if (NO_SYMBOLS.test(raw)) return 'no';
  const words = normalizeText(raw).replaceAll(' | ', ' ');
  if (RUSSIAN_NO_AFTER_YES.test(words)) return 'no';
  const yes = YES.test(words);
  const no = NO.test(words);
  if (yes === no) return null;
  return yes ? 'yes' : 'no';
}

/** Longer replies say more than yes or no. */
const MAX_CHARS = 60;

const YES_SYMBOLS = /^(?:\+|👍|👌|✅|🙏|\s)+$/u;
const NO_SYMBOLS = /^(?:-|👎|❌|🚫|\s)+$/u;

const oneOf = (...words: readonly string[]): string => `(?:${words.join('|')})`;
/** Small change before or after an answer: «ну», «спасибо», "please", "thanks". */
const FILLER = oneOf('ну', 'а', 'ой', 'спасибо', 'спс', 'пожалуйста', 'пж', 'плиз', 'уж', 'же', 'thanks', 'thank you', 'thx', 'please', 'pls', 'plz', 'oh', 'well', 'hmm', 'um', 'so');
const YES_CORE = oneOf(
  'да',
  'ага',
  'угу',
  'ок',
  'окей',
  'хорошо',
  'ладно',
  'давайте',
  'давай',
  'конечно',
  'хочу',
  'можно',
  'го',
  'погнали',
  'верно',
  'точно',
  'именно',
  'разумеется',
  'естественно',
  'da',
  'yes',
  'yeah',
  'yep',
  'yup',
  'ya',
  'yea',
  'y',
  'sure',
  'ok',
  'okay',
  'k',
  'please do',
  'go ahead',
  'do it',
  'definitely',
  'of course',
  'absolutely',
  'correct',
  'right',
  'alright',
  'all right',
  'sounds good',
  'why not',
);
/** What may follow a yes: the request itself («да, переключите на оператора», "yes, connect me to a human"). */
const YES_MORE = oneOf(
  'переключите',
  'переключай',
  'переключайте',
  'соедините',
  'соедини',
  'позовите',
  'зовите',
  'меня',
  'на',
  'с',
  'к',
  'оператора',
  'оператором',
  'человека',
  'человеком',
  'живого',
  'живым',
  'сотрудника',
  'нужен',
  'нужно',
  'надо',
  'быстрее',
  'скорее',
  'уже',
  'switch',
  'connect',
  'transfer',
  'put',
  'through',
  'me',
  'to',
  'with',
  'a',
  'an',
  'human',
  'person',
  'agent',
  'operator',
  'now',
  'asap',
);
const NO_CORE = oneOf(
  'нет',
  'не',
  'неа',
  'не надо',
  'не нужно',
  'не хочу',
  'не сейчас',
  'пока нет',
  'не стоит',
  'отмена',
  'отмените',
  'net',
  'no',
  'nope',
  'nah',
  'n',
  'not now',
  'not yet',
  'no need',
  'cancel',
  'never mind',
  'nevermind',
  'dont',
  'im fine',
  'im good',
  'i am fine',
);
/** What may follow a no: «нет, спасибо, сам разберусь», "no thanks, I'll manage". */
const NO_MORE = oneOf(
  'надо',
  'нужно',
  'сам',
  'сама',
  'разберусь',
  'справлюсь',
  'продолжим',
  'продолжайте',
  'оставьте',
  'оставим',
  'с',
  'ботом',
  'бот',
  'человека',
  'оператора',
  'пока',
  'все',
  'хорошо',
  'нормально',
  'i',
  'ill',
  'manage',
  'will',
  'can',
  'myself',
  'figure',
  'it',
  'out',
  'fine',
  'good',
  'ok',
  'okay',
  'continue',
  'stay',
  'with',
  'the',
  'bot',
  'is',
  'im',
  'for',
  'now',
  'a',
  'human',
  'need',
  'thats',
);
const answer = (core: string, more: string): RegExp => new RegExp(`^(?:${FILLER} )*${core}(?: (?:${core}|${more}|${FILLER}))*$`);
const YES = answer(YES_CORE, YES_MORE);
const NO = answer(NO_CORE, NO_MORE);
/** «да нет», «да нет, не надо»: a no. */
const RUSSIAN_NO_AFTER_YES = new RegExp(`^(?:${FILLER} )*да нет(?: (?:${NO_CORE}|${NO_MORE}|${FILLER}))*$`);
