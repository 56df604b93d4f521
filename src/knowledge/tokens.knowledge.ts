import type { KnowledgeLang } from './knowledge.types';

/**
 * Words of a text in the one shape the index and the queries share: lower case, `ё` → `е`,
 * apostrophes dropped (`didn't` → `didnt`), anything that is not a letter or a digit a
 * separator. Entries are indexed from the same words, so a query word and an entry word meet
 * in PostgreSQL's stemmer in the same form.
 *
 * @example knowledgeWords('Сколько стоит доставка в Санкт-Петербург?') → ['сколько', 'стоит', 'доставка', 'в', 'санкт', 'петербург']
 */
export function knowledgeWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/['’‘`ʼ]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/**
 * Words that frame a question rather than say what it is about: politeness, question words,
 * pronouns, "can I", "I want", colloquial fillers. PostgreSQL's stop lists drop the commonest
 * function words; these are the ones a support chat adds. They are neither looked up nor
 * counted in the question's content, so "подскажите пожалуйста, как…" weighs what "как…" does.
 */
const FILLERS: Record<KnowledgeLang, ReadonlySet<string>> = {
  ru: new Set(
    (
      'подскажите подскажи скажите скажи расскажите расскажи объясните объясни пожалуйста пожалуйсто пожалста плиз пжл пж ' +
      'можно могу могли можете сможете мочь хочу хотел хотела хотим хотелось нужно нужен нужна нужны надо интересует ' +
      'вопрос вопросик сколько скока скоко скольки какой какая какие каких каким какое какую каков ' +
      'как где когда када почему зачем что чё че шо кто чем чего ' +
      'мне я мой моя мое мои моего моей моих меня вы ваш ваша ваше ваши вас вам у есть ли это этот эта эти ' +
      'а и или уже еще всё все просто вообще блин короче типа ну вот тут там вот здравствуйте привет добрый день ' +
      'спасибо помогите помочь узнать знать понять делать бывает будет будут ребята ребят народ там такое ' +
      'нибудь либо очень сейчас сегодня тогда возможно возможна возможен возможны смогу сможем получится ' +
      'посмотреть глянуть найти взять делать сделать находится находятся подскажете скажете ' +
      'хотите хотели хотелось бы нужно нужную нужный надо интересно подскажите-ка'
    ).split(' '),
  ),
  en: new Set(
    (
      'please pls plz can could would will i me my mine you your yours u ur do does did is are am was be there any ' +
      'how what whats when where which who why want wanna need like know tell hi hello hey thanks thank help get got ' +
      'it its im id ive a an the so just also still ok okay one some is anyone guys hmm um well really actually now ' +
      'today possible way something anything much many ' +
      'dont didnt doesnt cant couldnt wont wouldnt isnt arent wasnt werent hasnt havent hadnt shouldnt ' +
      'youre theyre whats wheres hows thats theres lets ill youll ' +
      'gets getting wants wanted wanting needs needed needing knows telling tells helps helping likes liked would wonder wondering'
    ).split(' '),
  ),
};

/** The question's content words: {@link knowledgeWords} without fillers and one-letter words (digits stay). */
export function contentWords(text: string, lang: KnowledgeLang): string[] {
  const fillers = FILLERS[lang];
  return knowledgeWords(text).filter((word) => !fillers.has(word) && (word.length > 1 || /\d/.test(word)));
}

/**
 * Greetings, thanks, farewells, acknowledgements and "who are you" talk: a message made only of
 * these words is small talk, and the bot never offers a human for it.
 */
const SMALL_TALK: Record<KnowledgeLang, ReadonlySet<string>> = {
  ru: new Set(
    (
      'привет приветик приветствую здравствуйте здравствуй здрасте здрасьте здорово хай салют добрый доброе доброго добрейший ' +
      'день утро утра вечер вечера ночи спасибо спс спасиб пасиб пасибо благодарю благодарствую огромное большое ' +
      'ок окей оке ага угу понятно понял поняла ясно хорошо отлично супер класс круто ладно норм нормально прекрасно ' +
      'пока досвидания до свидания всего хорошего удачи увидимся да нет неа конечно ' +
      'как дела поживаешь ты вы кто бот робот человек живой ли у тебя вас что делаешь есть там кто нибудь ' +
      'и а ну вот же всё все очень вам тебе'
    ).split(' '),
  ),
  en: new Set(
    (
      'hi hello hey hiya howdy yo greetings good morning afternoon evening day night thanks thank you thx ty cheers much lot ' +
      'ok okay k kk cool great nice perfect awesome fine alright sure got it understood yes yeah yep no nope ' +
      'bye goodbye see ya later soon have a care take how are r u is it going whats what up doing well who bot robot human ' +
      'real person there anyone so very and im i am to talk'
    ).split(' '),
  ),
};

/** Words that make a message small talk by themselves (a greeting, thanks, a farewell, an ack). */
const SMALL_TALK_CORE: Record<KnowledgeLang, ReadonlySet<string>> = {
  ru: new Set(
    'привет приветик приветствую здравствуйте здравствуй здрасте здрасьте здорово хай салют добрый доброе спасибо спс спасиб пасиб пасибо благодарю благодарствую ок окей оке ага угу понятно понял поняла ясно хорошо отлично супер класс круто ладно норм пока досвидания свидания удачи дела бот робот кто'.split(
      ' ',
    ),
  ),
  en: new Set('hi hello hey hiya howdy yo greetings morning afternoon evening thanks thank thx ty cheers ok okay k kk cool great nice perfect awesome alright bye goodbye later how doing going bot robot who'.split(' ')),
};

/**
 * True when the message is a greeting, thanks, a farewell, an acknowledgement or "are you a
 * bot?" talk, in either language, and nothing else (at most 8 words).
 *
 * @example isSmallTalk('Добрый день!') === true; isSmallTalk('Добрый день, сколько стоит доставка?') === false
 */
export function isSmallTalk(text: string): boolean {
  const words = knowledgeWords(text);
  if (words.length === 0 || words.length > 8) return false;
  return (['ru', 'en'] as const).some((lang) => words.every((w) => SMALL_TALK[lang].has(w)) && words.some((w) => SMALL_TALK_CORE[lang].has(w)));
}
