import { glueSplitter } from './glue.split';
import { ANY, bareClause, blocker, gap, gapIn, oneOf, rule } from './pattern.build';
import type { HandoffRuleSet } from './rule-set.types';

/*
 * Russian rules. Stems end in ANY so that every case form matches (оператор, оператора,
 * оператору, операторами…); optional letters absorb the common typos (аператор, опертор,
 * чиловек, менджер). Latin transliteration (operatora, chelovek, menedzher) is part of each
 * word list, because Russian users type it on phones without a Cyrillic keyboard.
 */

const L = '[a-z]*';

const OPERATOR = oneOf(`[ао]п[еиэ]?р[ао]?т[оа]?р${ANY}`, `operat[oe]?r${L}`, `aperator${L}`);
const HUMAN = oneOf(`ч[еи]л[оа]?в[еи]?к${ANY}`, `ч[еи]л[оа]?в[еи]?ч[еи]?к${ANY}`, `ch[ei]l[oa]?v[ei]?k${L}`);
const ALIVE = oneOf('жив(?:ого|ому|ым|ой|ая|ую|ые|ых|ыми)', 'zhiv(?:ogo|omu|ym|oy|oi|oj|ye|yh)');
const MANAGER = oneOf(
  `м[еэ]н[еэ]?д?ж[еэ]?р${ANY}`,
  `м[еэ]н[еэ]дж(?![еэ]?мент)${ANY}`,
  `манагер${ANY}`,
  `men[ea]?d?(?:zh|j|g)[ea]?r${L}`,
);
const SPECIALIST = oneOf(`сп[еи]ц[иы]?[ао]?л[иы]?ст${ANY}`, `spe(?:c|ts)ialist${L}`);
const EMPLOYEE = oneOf(`сотрудни[кц]${ANY}`, `sotrudni[kc]${L}`);
const CONSULTANT = oneOf(`к[оа]нсул?ь?т[ао]нт${ANY}`, `konsultant${L}`);
const SUPERVISOR = oneOf(`руководител${ANY}`, `начальник${ANY}`, `администратор${ANY}`, 'старш(?:его|ему|им)');
const SERVICE = oneOf(`(?:тех)?п[оа]дд?[еэ]ржк${ANY}`, `саппорт${ANY}`, `(?:tech)?podderzhk${L}`);
const SOMEONE = oneOf('(?:кто|кого|кем|кому) (?:нибудь|нить|то|либо)', '(?:kto|kogo|kem) ?(?:nibud|to)');
const PEOPLE = oneOf('люд(?:ей|ям|ьми|и)', 'lyud(?:ey|yam|i)');
/** A representative of the company, in every case form, but not «представительство» (an office). */
const REPRESENTATIVE = oneOf(`представител(?!ьств)${ANY}`, `predstavitel${L}`);
const WORKER = oneOf(`работни[кц]${ANY}`, `персонал${ANY}`, `rabotni[kc]${L}`, `personal(?:a|u|om)`);
/** Someone from the company: «кто-нибудь из сотрудников», «кого-то из поддержки», «кто из компании». */
const FROM_COMPANY = `${oneOf('кто', 'кого', 'кем', 'кому', 'хоть кто', 'хоть кого', 'один', 'одного', 'одному', 'никого', 'kto', 'kogo')} (?:(?:нибудь|нить|то|либо|nibud|to) )?(?:из|iz) ${oneOf(
  `сотрудни[кц]${ANY}`,
  `персонал${ANY}`,
  `компани${ANY}`,
  `п[оа]дд?[еэ]ржк${ANY}`,
  'людей',
  'живых',
  `оператор${ANY}`,
  `менеджер${ANY}`,
  `специалист${ANY}`,
  `консультант${ANY}`,
  `представител${ANY}`,
  `работник${ANY}`,
  'вашей команды',
  'команды',
  'ваших',
  'вас',
  `магазин${ANY}`,
  `банк${ANY}`,
  `офис${ANY}`,
  'администрации',
  'руководства',
  `служб${ANY}`,
  `sotrudnik${L}`,
  `podderzhk${L}`,
  `kompani${L}`,
  'lyudey',
)}`;
/** The bot and its kin, in case forms: what a user refuses («не хочу с ботом», «надоел автоответчик»). Not «ботинки». */
const BOT = oneOf(
  'бот(?:а|у|ом|е|ы|ов|ам|ами|ах|ик|яра)?',
  'чат ?бот(?:а|у|ом|е|ы|ов|ам|ами)?',
  'робот(?:а|у|ом|е|ы|ов|ам|ами|ах)?',
  `автоответчик${ANY}`,
  'нейросет(?:ь|и|ью)',
  'нейронк(?:а|и|е|у|ой)',
  'ии',
  `железяк${ANY}`,
  'автомат(?:а|у|ом|ы|ов|ами)?',
  // Latin only with a Russian ending (botom, robota): a bare "bot" is English, and would wake these rules for English text.
  'bot(?:a|u|om|ov|ami)',
  'robot(?:a|u|om|ov|ami)',
);
/** A machine or a program is the bot only as the other side of a talk: «с машиной», «с программой». */
const WITH_MACHINE = `(?:с|со|s) ${oneOf('машиной', 'программой', 'компьютером', 'искусственным интеллектом', 'mashinoy', 'programmoy')}`;
const BOT_PARTNER = oneOf(`(?:(?:с|со|s) )?${BOT}`, WITH_MACHINE);
/** What the bot could be asked about itself, in the nominative: «ты человек?», «вы бот?», «это робот?» */
const IDENTITY = oneOf(
  'человек',
  'живой',
  'живая',
  'живые',
  'настоящий',
  'настоящая',
  'реальный',
  'реальная',
  'робот',
  'бот',
  'чат ?бот',
  'программа',
  'нейросеть',
  'нейронка',
  'искусственный интеллект',
  'ии',
  'оператор',
  'машина',
  'автомат',
  'автоответчик',
  'чат ?гпт',
  'чат gpt',
  'компьютер',
  'люди',
  `${oneOf('живой', 'реальный', 'настоящий', 'обычный')} человек`,
);

/** Where the Russian rules apply: Cyrillic text, or Latin text with a common word of transliterated Russian. */
const TRANSLIT_OR_CYRILLIC = new RegExp(
  `[а-я]|(?<![^ ])${oneOf(
    'mne',
    'menya',
    'nuzh[enao]n?',
    'hoch[uy]',
    'hotel[a-z]*',
    'poz[ao]vi(?:te)?',
    'zovi(?:te)?',
    'da[iy]t?e?',
    'kak',
    'gde',
    'pomogi(?:te)?',
    'podskazhi(?:te)?',
    'ne',
    'net',
    'nado',
    'mozhno',
    'pozh?alu[iyj]?st[ao]',
    'srochno',
    's',
    'so',
    'k',
    'na',
    'ya',
    'vy',
    'ty',
    'kto',
    'est',
    'tut',
    'bez',
    'hvatit',
    'ubirite',
    'nadoel[a-z]*',
    'dostal[a-z]*',
    'sv[yj]a[zg]h?i(?:te)?',
    'soedini(?:te)?',
    'perekl[yj]?uch[a-z]*',
    'perevedi(?:te)?',
    `[a-z]*(?:ogo|omu|ym|oy|iy|ye|yu|ya|zh|sch|shch)`,
    'operator(?:a|u|om|y|ami)',
    `(?:chelovek|menedzher|sotrudnik|konsultant|podderzhk|predstavitel|rabotnik)[a-z]*`,
    'specialist(?:a|u|om|y)',
    '(?:bot|robot)(?:a|u|om|ov|ami)',
  )}(?![^ ])`,
);

/** People the user can mean by name of their role: a request for one of them is a request for a human. */
const PERSON = oneOf(OPERATOR, HUMAN, MANAGER, SPECIALIST, EMPLOYEE, CONSULTANT, SUPERVISOR, REPRESENTATIVE, WORKER, FROM_COMPANY);
/** Anyone or anything that hands the dialog to people, including "support" and "живого". */
const TARGET = oneOf(PERSON, ALIVE, SERVICE);

/** Verbs that ask to bring a person in: позовите, дайте, соедините, свяжите, переключите… */
const SUMMON = oneOf(
  `п[оа]з[оа]в${ANY}`,
  'позвать',
  `верни${ANY}`,
  'вернуть',
  `покли[чк]${ANY}`,
  'зов(?:и|ите)',
  'дай(?:те)?',
  'давайте',
  `соедин${ANY}`,
  `свяж${ANY}`,
  `переключ${ANY}`,
  `перевед${ANY}`,
  'перевести',
  `передай${ANY}`,
  `подключ${ANY}`,
  `вызов${ANY}`,
  'вызвать',
  `poz[ao]v${L}`,
  `verni${L}`,
  'pozvat',
  'zovi(?:te)?',
  'da[iy](?:te)?',
  `soedin${L}`,
  `sv[yj]a[zg]h?i${L}`,
  `perekl[yj]?uch${L}`,
  `perevedi${L}`,
);
/** Wanting or needing: хочу, можно, нужен, мне бы… */
const WANT = oneOf(
  'хочу',
  `хотел${ANY}`,
  'хотим',
  'хотелось',
  'мне бы',
  'можно',
  'могу',
  'нельзя ли',
  'нужен',
  'нужна',
  'нужно',
  'нужны',
  'надо',
  'требуется',
  'прошу',
  'дайте',
  'давайте',
  'hochu',
  `hotel${L}`,
  'mozhno',
  'nuzhen',
  'nuzhna',
  'nuzhno',
  'nado',
  'mne by',
);
/** Talking to someone: поговорить, пообщаться, связаться… */
const TALK = oneOf(
  `поговор${ANY}`,
  'говорить',
  `пообща${ANY}`,
  `общат${ANY}`,
  `связат${ANY}`,
  `переписыват${ANY}`,
  `обрати${ANY}`,
  `созвон${ANY}`,
  'pogovorit',
  `poobsh?cha${L}`,
  `obsh?chat${L}`,
  `sv[yj]azat${L}`,
);
/** Reaching someone, after «помогите…» or «как…»: «помогите связаться», «как дозвониться до…». */
const REACH = oneOf(
  TALK,
  `дозвон${ANY}`,
  'позвонить',
  'звонить',
  `достуч${ANY}`,
  `написат${ANY}`,
  'напиши',
  'писать',
  `выйти ${oneOf('на', 'к')}`,
  `попасть ${oneOf('на', 'к')}`,
  `добрат${ANY} до`,
  `пробит${ANY}`,
  `получить консультаци${ANY}`,
  `dozvon${L}`,
  `napisat${L}`,
);
/** Asking for help to reach someone: помогите, подскажите, как, где. */
const HOW = oneOf('помоги', 'помогите', 'подскажи', 'подскажите', 'как', 'где', 'куда', 'можно', 'хочу', 'нужно', 'надо', 'могу', 'pomogite', 'pomogi', 'podskazhite', 'kak', 'gde', 'mozhno');
/** Verbs that connect on their own, the impatient request: «да соедините уже!», «просто переключите меня». */
const CONNECT_NOW = oneOf('соедините', 'соедини', 'соединяйте', 'соединяй', 'переключите', 'переключи', 'переключайте', 'переключай', 'свяжите', 'свяжи', 'позовите', 'позови', 'зовите', 'зови', 'переводите', 'soedinite', 'pereklyuchite', 'pereklyuchi');
const IMPATIENT = oneOf('уже', 'ну', 'да', 'же', 'скорее', 'быстрее', 'быстро', 'наконец', 'пож?а?луй?ст[ао]', 'давайте', 'давай', 'просто', 'меня', 'нас', 'срочно', 'немедленно', 'сейчас', 'хватит', 'вы', 'ты', 'уж', 'плиз', 'пж', 'сколько можно', 'ну же', 'uzhe', 'pozhaluysta', 'davay', 'davayte');
/** What a person does when the user gets through: ответил, связался, перезвонит… */
const CONTACTED = oneOf(
  `ответ${ANY}`,
  `связал${ANY}`,
  'свяжется',
  `перезвон${ANY}`,
  `позвон${ANY}`,
  'написал',
  'напишет',
  `помог${ANY}`,
  `разобрал${ANY}`,
  'занялся',
  'займется',
  'посмотрел',
  'подключился',
);
/** Words that end the reach of a negation: the user turns from what they refuse to what they want. */
const TURN = oneOf('а', 'но', 'лучше', 'зато', 'просто');
/**
 * The first word after «не» is what is negated (не надо, не переключайте) and may be any word
 * but a conjunction; after it, a negation also ends at a new request or want
 * («не работает нужен оператор», «с ботом не хочу общаться дайте человека»).
 */
const TURN_LATER = oneOf(TURN, SUMMON, 'нужен', 'нужна', 'нужно', 'хочу', 'надо');
/** An adjective form: «мой личный менеджер», but not «мой вопрос оператору». */
const ADJECTIVE = `[^\\s|#]+(?:ый|ий|ой|ая|яя|ое|ее|ого|его|ому|ему|ым|им|ую|юю|ые|ие|ых|их)`;
/** Past-tense verbs of something a person already did: reported speech, not a request. */
const DID = `${oneOf(
  'сказал',
  'говорил',
  'обещал',
  'пообещал',
  'прислал',
  'отправил',
  'объяснил',
  'посоветовал',
  'ответил',
  'помог',
  'решил',
  'звонил',
  'позвонил',
  'перезвонил',
  'написал',
  'писал',
  'уволил',
  'дал',
  'приходил',
  'пришел',
  'предложил',
  'одобрил',
  'сделал',
  'оформил',
  'подтвердил',
  'сообщил',
  'уточнил',
  'перевел',
  'переключил',
  'принял',
  'отказал',
  'нахамил',
  'грубил',
  'скинул',
  'пропал',
)}(?:а|и|о|ся|ась|ись|ось)?`;
const FILLER = oneOf(
  'пож?а?луй?ст[ао]',
  'пажалу?й?ст[ао]',
  'плиз',
  'плз',
  'пж',
  'пжл',
  'срочно',
  'уже',
  'скорее',
  'быстрее',
  'мне',
  'нам',
  'нужен',
  'нужна',
  'а',
  'ну',
  'эй',
  'алло',
  'ау',
  'к',
  'с',
  'со',
  'на',
  'хочу',
  'дайте',
  'дай',
  'давай',
  'давайте',
  'бот',
  'живой',
  'настоящ(?:ий|его|ему|им)',
  'реальн(?:ый|ого|ому|ым)',
  'нормальн(?:ый|ого|ому|ым)',
  'pozh?alu[iy]?st[ao]',
  'pliz',
  'srochno',
  'zhivoy',
  'please',
);

/** Russian handoff rules, registered in `rules.registry.ts`. */
export const ruRules: HandoffRuleSet = {
  lang: 'ru',
  // Cyrillic, or Latin with a word of transliterated Russian (mne nuzhen operator, pozovite cheloveka).
  appliesTo: TRANSLIT_OR_CYRILLIC,
  mentions: rule(oneOf(TARGET, SOMEONE, PEOPLE, BOT, WITH_MACHINE, IDENTITY, CONNECT_NOW)),
  blockers: [
    // Questions about the bot itself: «ты человек?», «вы бот или оператор?», «как будто с человеком переписываюсь». Answer them; never hand off.
    blocker('ru.about_bot', `${oneOf('ты', 'вы', 'это', 'ty', 'vy')} ${gapIn(2, oneOf(SUMMON, WANT))}${IDENTITY}`),
    blocker(
      'ru.about_bot',
      `${oneOf('я', 'мы')} ${gapIn(1)}(?:с|со) ${gapIn(1)}${oneOf('ботом', 'роботом', 'человеком', 'оператором', 'программой', 'машиной', 'нейросетью', 'ии', 'автоответчиком')} ${gapIn(1)}${oneOf(`разговарива${ANY}`, 'общаюсь', `переписыва${ANY}`, 'говорю', 'пишу', 'общаемся')}`,
    ),
    blocker(
      'ru.about_bot',
      `${oneOf('я', 'мы')} ${gapIn(1)}${oneOf(`разговарива${ANY}`, 'общаюсь', 'переписываюсь', 'говорю', 'пишу', 'общаемся', 'переписываемся')} (?:с|со) ${gapIn(1)}${oneOf('ботом', 'роботом', 'человеком', 'оператором', 'программой', 'машиной', 'нейросетью', 'ии', 'автоответчиком')}`,
    ),
    blocker('ru.about_bot', `${oneOf('как будто', 'будто', 'словно', 'точно')} ${gapIn(1)}(?:(?:с|со) )?${oneOf(HUMAN, 'живым', 'живой', 'роботом', 'ботом', 'робот', 'бот', 'машиной')}`),
    blocker(
      'ru.about_bot',
      `${oneOf('пишешь', 'пишет', 'пишете', 'говоришь', 'говорит', 'говорите', 'отвечаешь', 'отвечает', 'отвечаете', 'общаешься', 'звучишь', 'звучит', 'говорить', 'писать', 'отвечать', 'общаться')} как (?:${oneOf('настоящий', 'живой', 'реальный', 'нормальный')} )?${oneOf('человек', 'люди', 'робот', 'бот')}`,
    ),
    blocker('ru.about_bot', `${IDENTITY} ${gapIn(2)}или ${gapIn(1)}${IDENTITY}`),
    // Negation: «не надо оператора», «мне не нужен человек», «без оператора», «оператор не нужен».
    blocker('ru.negation', `(?:не|без|ни|никак${ANY}|ne|bez) (?:(?!${TURN} )[^\\s|#]+ )?${gapIn(2, TURN_LATER)}${oneOf(TARGET, SOMEONE)}`),
    blocker('ru.negation', `${TARGET} ${gapIn(1, TURN)}(?:не|ne) [^\\s|#]+`),
    // A person word that opens a relative clause is a description, never a request: «человек, который принимал заказ».
    blocker('ru.other_meaning', `(?<!${oneOf(WANT, SUMMON)} (?:[^\\s|#]+ )?)${TARGET} \\| ${oneOf(`котор${ANY}`, 'кто', 'что', 'чей', 'чья')}`),
    // Other meanings: a mobile operator, an operator in code, counting people, a password manager…
    blocker(
      'ru.other_meaning',
      `${OPERATOR} ${oneOf(`связи`, `сотов${ANY}`, `мобильн${ANY}`, 'мтс', `билайн${ANY}`, `мегафон${ANY}`, 'теле2', 'tele2', 'йота', 'yota', `svyaz${L}`, `sotov${L}`, `mobiln${L}`, `интернет${ANY}`, `колл`, 'call', 'на кассе', 'кассы')}`,
    ),
    blocker(
      'ru.other_meaning',
      `${oneOf(`сотов${ANY}`, `мобильн${ANY}`, `интернет${ANY}`, `тернарн${ANY}`, `логическ${ANY}`, `условн${ANY}`, 'javascript', 'js', 'sql', 'python', `питон${ANY}`, `sotov${L}`, `mobiln${L}`, 'тур', 'туро')} ${OPERATOR}`,
    ),
    blocker(
      'ru.other_meaning',
      `${OPERATOR} ${gapIn(3)}${oneOf('javascript', 'js', 'typescript', 'sql', 'python', `питон${ANY}`, 'excel', `эксел${ANY}`, 'коде', 'кода', 'код', `запрос${ANY}`, `формул${ANY}`, `шаблон${ANY}`, `скрипт${ANY}`, `выражени${ANY}`)}`,
    ),
    blocker(
      'ru.other_meaning',
      `${oneOf('сколько', `скольк${ANY}`, '\\d+', 'один', 'одн(?:ого|ому|им)', 'два', 'двух', 'двум', 'две', 'три', 'трех', 'трем', `четыр${ANY}`, `пят${ANY}`, `шест${ANY}`, `сем${ANY}`, `восьм${ANY}`, `девят${ANY}`, `десят${ANY}`, `нескольк${ANY}`, 'много', 'многих', `кажд${ANY}`, 'друг(?:ого|ому|им|ой|ие|их)', 'ещ[её] одного', 'skolko', 'odnogo', 'dvuh')} (?:(?!жив)[^\\s|#]+ )?${HUMAN}`,
    ),
    blocker('ru.other_meaning', `${HUMAN} ${oneOf('десять', 'двадцать', 'пять', 'сто', '\\d+')}`),
    blocker('ru.other_meaning', `${HUMAN} ${gapIn(2)}${oneOf(`возраст${ANY}`, 'лет', 'старше', 'младше', `годов${ANY}`)}`),
    blocker('ru.other_meaning', `для ${gapIn(1)}${HUMAN}`),
    blocker(
      'ru.other_meaning',
      `${oneOf(`стоимост${ANY}`, `цен${ANY}`, 'стоит', `доставк${ANY}`, `тариф${ANY}`, `брон${ANY}`, `скидк${ANY}`, `билет${ANY}`, `заказ${ANY}`, `порци${ANY}`, 'место', 'места', `номер${ANY}`, `оплат${ANY}`)} ${gapIn(3)}${HUMAN}`,
    ),
    blocker('ru.other_meaning', `${TARGET} из ${oneOf('моей', 'моего', 'нашей', 'нашего', 'команды', 'компании', 'семьи', 'отдела', `коллег${ANY}`)}`),
    blocker(
      'ru.other_meaning',
      `${MANAGER} ${oneOf('паролей', 'задач', 'загрузок', 'файлов', 'пакетов', 'закладок', 'вкладок', 'окон', 'устройств', 'буфера', 'контактов', 'подписок')}`,
    ),
    blocker(
      'ru.other_meaning',
      `${oneOf(`раздел${ANY}`, `вкладк${ANY}`, `кнопк${ANY}`, `пункт${ANY}`, 'меню', `иконк${ANY}`, 'роль', 'роли', 'ролью', `значок${ANY}`, `страниц${ANY}`, `режим${ANY}`)} ${TARGET}`,
    ),
    blocker(
      'ru.other_meaning',
      `${SERVICE} ${oneOf('\\d+g', 'nfc', 'apple', 'google', 'android', 'ios', 'windows', 'старых', 'новых', `формат${ANY}`, 'языка', 'языков', 'версий', 'устройств', `карт${ANY}`)}`,
    ),
    blocker('ru.other_meaning', `${oneOf(`записат${ANY}`, `запиш${ANY}`, `запис${ANY}`)} ${gapIn(1)}к ${TARGET}`),
    // Managing accounts or a job: «добавить сотрудника», «как стать оператором», «вакансии менеджера».
    blocker(
      'ru.other_meaning',
      `${oneOf(`добав${ANY}`, `удал${ANY}`, `пригла${ANY}`, `поменя${ANY}`, `смен${ANY}`, `замен${ANY}`, `измен${ANY}`, `назнач${ANY}`, 'стать', `работа${ANY}`, `ваканси${ANY}`, `устро${ANY}`, 'нанять', `найм${ANY}`, 'резюме')} ${gapIn(2)}${TARGET}`,
    ),
    // Someone of the user's own: «мой менеджер», «у меня оператор МТС».
    blocker('ru.other_meaning', `${oneOf('мо[йяеи]', 'моего', 'моему', 'моим', 'наш[аеи]?', 'нашего', 'нашему', 'нашим', 'сво[йяеи]', 'своего', 'своему', 'своим')} (?:${ADJECTIVE} )?${TARGET}`),
    blocker('ru.other_meaning', `у (?:меня|нас) ${TARGET}`),
    // Other people in the message: money or a parcel for someone («перевести деньги сотруднику»), a representative by proxy.
    blocker(
      'ru.other_meaning',
      `${oneOf(`деньг${ANY}`, `зарплат${ANY}`, `средств${ANY}`, `преми${ANY}`, `аванс${ANY}`, `подар${ANY}`, `посылк${ANY}`, 'сумму', `чаевы${ANY}`, `перевод${ANY}`, `оплат${ANY}`)} ${gapIn(2, oneOf(SUMMON, WANT))}${oneOf(TARGET, SOMEONE)}`,
    ),
    blocker('ru.other_meaning', `${REPRESENTATIVE} ${gapIn(1)}${oneOf('по доверенности', 'по закону', 'закона', `законн${ANY}`)}`),
    blocker('ru.other_meaning', `${oneOf(`законн${ANY}`, `доверенн${ANY}`, `официальн${ANY}`, `регионал${ANY}`)} ${REPRESENTATIVE}`),
    blocker('ru.other_meaning', `${oneOf(`кабинет${ANY}`, `пропуск${ANY}`, `униформ${ANY}`, `форм${ANY} одежды`)} ${TARGET}`),
    blocker('ru.other_meaning', `${oneOf('друг(?:ого|ому|им|ой)', `тариф${ANY}`, `сим${ANY}`, `симк${ANY}`, `роуминг${ANY}`)} ${gapIn(2)}${OPERATOR}`),
    // Questions about operators: «когда работают операторы?», «сколько ждать ответа менеджера?».
    blocker(
      'ru.about_operators',
      `${oneOf('когда', 'до скольки', 'во сколько', 'сколько', 'как долго', 'долго', 'какой', 'какие', 'каком', 'какое', 'в какие', 'часы', `график${ANY}`, `расписани${ANY}`, 'kogda', 'skolko')} ${gapIn(4, SUMMON)}${TARGET}`,
    ),
    blocker(
      'ru.about_operators',
      `${TARGET} ${gapIn(2)}${oneOf(`в выходн${ANY}`, `по выходн${ANY}`, 'ночью', `круглосуточн${ANY}`, `в праздник${ANY}`, `по праздник${ANY}`, 'до скольки', 'во сколько', 'когда', 'работа(?:ет|ют|ете)')}`,
    ),
    blocker('ru.about_operators', `${oneOf(`круглосуточн${ANY}`, '24 7', '24 часа')} ${gapIn(1)}${TARGET}`),
    // Reported speech and thanks: «мой менеджер сказал», «я уже говорил с оператором», «спасибо менеджеру».
    blocker('ru.reported_speech', `(?<!(?:чтобы|чтоб|пусть) (?:[^\\s|#]+ )?)${oneOf(TARGET, SOMEONE)} ${gapIn(3)}${DID}`),
    blocker(
      'ru.reported_speech',
      `${oneOf(`говорил${ANY}`, `разговарива${ANY}`, `общал${ANY}`, `связывал${ANY}`, `переписывал${ANY}`, `звонил${ANY}`, `писал${ANY}`, 'был', 'была', 'были', `обращал${ANY}`)} ${gapIn(2)}(?:с|со|к|у) ${gapIn(1)}${TARGET}`,
    ),
    blocker('ru.reported_speech', `${oneOf('спасибо', `благодар${ANY}`, `поблагодар${ANY}`, `похвал${ANY}`, 'спс', 'spasibo')} ${gapIn(2, SUMMON)}${TARGET}`),
    blocker('ru.reported_speech', `${oneOf(`отзыв${ANY}`, `жалоб${ANY}`, `пожаловат${ANY}`, `оцен${ANY}`, `благодарност${ANY}`)} ${gapIn(3)}${TARGET}`),
  ],
  bare: bareClause(TARGET, FILLER),
  requests: [
    // Help to reach someone: «помогите связаться с оператором», «как дозвониться до живого человека».
    rule(`${HOW} ${gapIn(3)}${REACH} ${gapIn(3)}${TARGET}`),
    // Impatience: a clause that is only a verb of connecting: «да соедините уже!», «переключай давай».
    bareClause(CONNECT_NOW, IMPATIENT),
    rule(`(?:с|со) ${gapIn(1)}${TARGET} ${gapIn(2)}${oneOf('поговорить', 'пообщаться', 'связаться', 'переговорить', 'побеседовать', 'переписываться', 'pogovorit', 'svyazatsya')}`),
    rule(`${SUMMON} ${gap(3)}${oneOf(TARGET, PEOPLE)}`),
    rule(`${TARGET} ${gapIn(2)}${oneOf('п[оа]з[оа]ви(?:те)?', 'зови(?:те)?', 'дай(?:те)?', 'давайте', 'верните', 'свяжите', 'соедините', 'переключите', 'переведите', 'подключите', 'poz[ao]vite', 'dayte', 'daite', 'soedinite', 'svyazhite')}`),
    rule(`${WANT} ${gap(3)}${TALK} ${gap(3)}${TARGET}`),
    rule(`${WANT} ${gap(2)}${oneOf(PERSON, ALIVE)}`),
    rule(`${oneOf(PERSON, ALIVE)} ${gapIn(1)}${oneOf('нужен', 'нужна', 'нужно', 'нужны', 'требуется', 'надо', 'можно')}`),
    rule(`${oneOf('как', 'где', 'куда', 'kak')} ${gapIn(2)}${TALK} ${gapIn(2)}${oneOf(PERSON, ALIVE)}`),
    rule(`${oneOf('пусть', 'чтобы', 'чтоб')} ${gapIn(2)}${CONTACTED} ${gapIn(2)}${PERSON}`),
    rule(`${oneOf('пусть', 'чтобы', 'чтоб')} ${gapIn(2)}${PERSON} ${gapIn(2)}${CONTACTED}`),
    rule(`${oneOf(`помощ${ANY}`, `консультаци${ANY}`)} ${gapIn(1)}${PERSON}`),
    rule(`${oneOf('связь', 'контакт')} (?:с|со) ${gapIn(1)}${oneOf(PERSON, SERVICE)}`),
    rule(`${oneOf(`вопрос${ANY}`)} (?:к|для) ${gapIn(1)}${PERSON}`),
  ],
  refusals: [
    // «не хочу с ботом», «не буду переписываться с машиной», «с ботом говорить не буду», «бот мне не нужен».
    rule(`(?:не|ne) ${oneOf('хочу', 'буду', 'желаю', 'собираюсь', 'стану', 'намерен', 'хочется', 'hochu', 'budu')} ${gapIn(2)}${BOT_PARTNER}`),
    rule(`${BOT_PARTNER} ${gapIn(2)}(?:не|ne) ${oneOf('хочу', 'буду', 'желаю', 'собираюсь', 'стану', 'хочется', 'hochu', 'budu')}`),
    rule(`${BOT} ${gapIn(1)}не ${oneOf('нужен', 'нужна', 'нужны', 'надо', 'нужно')}`),
    rule(`не ${oneOf('нужен', 'нужны', 'надо', 'нужно')} ${gapIn(1)}${BOT}(?= [|#]|$)`),
    // «хватит ботов», «без ботов пожалуйста», «уберите робота».
    bareClause(
      `${oneOf('уберите', 'убери', 'отключите', 'отключи', 'выключите', 'выключи', 'хватит', 'довольно', 'без', 'никаких', 'ubirite', 'hvatit', 'bez')} ${gapIn(2)}${BOT}`,
      oneOf('пож?а?луй?ст[ао]', 'уже', 'с меня', 'мне', 'плиз', 'пж', 'ну', 'всё', 'все', 'вашего', 'вашу', 'ваших', 'этого', 'этих', 'этот', 'этого'),
    ),
  ],
  hints: [
    // Are there people at all? «тут вообще люди работают?», «кто-то это читает?», «есть кто из компании?»
    rule(
      `${oneOf('люди', 'живые', 'человек', 'кто нибудь', 'кто то', 'хоть кто то', 'хоть кто нибудь', 'lyudi', 'zhivye')} ${gapIn(2)}${oneOf('есть', 'тут', 'здесь', 'работают', 'работает', 'отвечают', 'отвечает', 'читают', 'читает', 'сидят', 'сидит', 'видит', 'видят', 'смотрит', 'смотрят', 'est', 'tut')}`,
    ),
    rule(FROM_COMPANY),
    rule(`${oneOf('есть', 'тут', 'здесь')} ${gapIn(1)}кто(?= [|#]|$)`),
    // Asking for a way to reach them: «где найти контакты менеджера», «телефон поддержки».
    rule(`${oneOf('где', 'как', 'дайте', 'скиньте', 'подскажите', 'какой', 'нужен', 'нужны', 'нужна', 'есть')} ${gapIn(2)}${oneOf(`контакт${ANY}`, 'номер', 'телефон', 'почту', 'почта', 'email', 'имейл')} ${gapIn(1)}${oneOf(PERSON, SERVICE)}`),
    rule(`(?:с|со) (?:кем|кем то|кем нибудь|кем либо|кем нить) ${gapIn(2)}${TALK}`),
    rule(`${TALK} ${gapIn(1)}(?:с|со) (?:кем|кем то|кем нибудь|кем либо|кем нить)`),
    rule(`кто (?:нибудь |то |нить )?${gapIn(1)}жив(?:ой|ые)`),
    rule(`kto ?(?:nibud |to )?${gapIn(1)}zhiv${L}`),
    rule(`${oneOf('есть', 'тут', 'здесь')} ${gapIn(1)}${oneOf('кто нибудь', 'кто то', 'кто нить', 'люди', 'живые')}`),
    rule(`${oneOf(`жив${ANY}`, `реальн${ANY}`, `настоящ${ANY}`)} люд${ANY}|из людей`),
    rule(`${SOMEONE} ${gapIn(2)}${oneOf(`реальн${ANY}`, `настоящ${ANY}`, `нормальн${ANY}`, `жив${ANY}`, `адекватн${ANY}`, 'из людей', 'из сотрудников', 'из поддержки')}`),
    rule(`${SOMEONE} ${gapIn(3)}${oneOf('связаться', 'позвонить', 'перезвонить', 'ответить', 'помочь', 'свяжется', 'перезвонит', 'ответит', 'поможет', 'позвонит')}`),
    rule(`${PERSON} ${gapIn(1)}${oneOf('есть', 'тут', 'здесь')}`),
    rule(`${oneOf('есть', 'тут', 'здесь')} ${gapIn(2)}${PERSON}`),
    rule(`${SUMMON} ${gap(3)}${SOMEONE}`),
    rule(`${oneOf('может', 'могут', 'сможет', 'можете')} ${gapIn(1)}${PERSON} ${gapIn(1)}${oneOf('помочь', 'ответить', 'связаться', 'перезвонить', 'позвонить', 'подключиться')}`),
  ],
  frustration: [
    rule(
      oneOf(
        `бесполез${ANY}`,
        `идиот${ANY}`,
        `дебил${ANY}`,
        'туп(?:ой|ая|ое|ые|ица|орыл|орылый)',
        `бестолков${ANY}`,
        `никчемн${ANY}`,
        `безмозгл${ANY}`,
        `железяк${ANY}`,
        `издеваешь${ANY}`,
        'издеваетесь',
        `издевательств${ANY}`,
        `задолбал${ANY}`,
        'толку',
        'сколько можно',
        'невпопад',
        'не в тему',
        'не по теме',
        'одно и то же',
        'по кругу',
      ),
    ),
    rule(`${oneOf('ты', 'вы', `бот${ANY}`, `робот${ANY}`)} ${gapIn(3)}не ${oneOf(`понима${ANY}`, `понял${ANY}`, `помога${ANY}`, 'помог', `слыш${ANY}`, `слуша${ANY}`)}`),
    rule(`не ${oneOf('понимаешь', 'понимаете', 'помогаешь', 'помогаете', 'слышишь', 'слышите', `соображ${ANY}`, `вдупля${ANY}`)}`),
    rule(`${oneOf(`отвеча${ANY}`)} ${gapIn(1)}не (?:то|так|на вопрос)`),
    rule(`${oneOf(`достал${ANY}`, `надоел${ANY}`, `замучил${ANY}`, 'бесит', 'бесишь', 'глупый', `дурацк${ANY}`, `ужасн${ANY}`, `отстойн${ANY}`, `nadoel${L}`, `dostal${L}`)} ${gapIn(2)}${oneOf(BOT, 'bot', 'robot', 'ты', 'вы', 'этот', 'эта', 'чат')}`),
    rule(`${oneOf(BOT, 'ты', 'вы')} ${gapIn(1)}${oneOf(`достал${ANY}`, `надоел${ANY}`, `замучил${ANY}`, 'бесит', 'бесишь', 'тупит', 'тупишь', 'туп(?:ой|ая|ое)', 'глупый', `отстой${ANY}`)}`),
  ],
  cannotHelp: [
    rule(`не ${oneOf('могу', 'смогу', 'можем', 'сможем', 'в состоянии', 'имею возможности')} ${gapIn(2)}${oneOf('помочь', 'ответить', 'решить', 'подсказать', 'проверить', 'сказать')}`),
    rule(`${oneOf('обратитесь', 'обратиться', 'свяжитесь', 'напишите', 'рекомендую обратиться', 'лучше обратиться')} ${gap(5)}${oneOf(TARGET, 'службу', 'поддержку', 'специалисту', 'людям', 'сотрудникам')}`),
    rule(`${oneOf('у меня нет', 'не располагаю', 'не имею', 'нет доступа')} ${gapIn(1)}${oneOf(`доступ${ANY}`, `информаци${ANY}`, `данны${ANY}`, `сведени${ANY}`)}`),
    rule(`${oneOf('вне моей компетенции', 'за пределами моих', 'не в моей компетенции', 'не знаю ответа', 'не могу с этим', 'не могу в этом')}`),
    rule(`${oneOf('переключ', 'передам', 'передаю', 'перевожу', 'переведу')}${ANY} ${gapIn(2)}${TARGET}`),
  ],
  unglue: glueSplitter(
    oneOf('оператор', 'человек', 'менеджер', 'сотрудник', 'специалист', 'консультант', 'поддержк', 'представител', 'живым', 'живого', 'живому', 'operator', 'chelovek'),
    ['с', 'со', 'к', 'ко', 'на', 'позовите', 'позови', 'дайте', 'дай', 'нужен', 'нужна', 'хочу', 'живого', 'живым', 'живой', 'живому', 'мне', 'свяжите', 'соедините', 'переключите', 'поговорить', 'пообщаться', 'связаться', 'до', 'давайте', 'зовите', 'настоящего', 'реального', 's', 'k', 'na', 'pozovite', 'dayte', 'nuzhen', 'hochu', 'zhivogo', 'zhivym'],
  ),
  fromKeyboardLayout: (raw) => {
    if (/[\u0400-\u04FF]/.test(raw) || !/[a-z]/i.test(raw)) return null;
    let out = '';
    for (const ch of raw.toLowerCase()) out += QWERTY_TO_JCUKEN[ch] ?? ch;
    return out;
  },
};

/** Keys of a US keyboard mapped to the letters of the Russian ЙЦУКЕН layout on the same keys. */
const QWERTY_TO_JCUKEN: Readonly<Record<string, string>> = Object.fromEntries(
  [...'qwertyuiop[]asdfghjkl;\'zxcvbnm,.`'].map((key, i) => [key, [...'йцукенгшщзхъфывапролджэячсмитьбюё'][i] ?? key]),
);
