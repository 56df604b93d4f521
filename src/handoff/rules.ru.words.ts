import { ANY, oneOf } from './pattern.build';

/*
 * The Russian rules' vocabulary: the words and word groups that the rules in rules.ru.ts are
 * built from. Stems end in ANY so that every case form matches (оператор, оператора,
 * оператору, операторами…); optional letters absorb the common typos (аператор, опертор,
 * чиловек, менджер). Latin transliteration (operatora, chelovek, menedzher) is part of each
 * word list, because Russian users type it on phones without a Cyrillic keyboard.
 */

export const L = '[a-z]*';

export const OPERATOR = oneOf(`[ао]п[еиэ]?р[ао]?т[оа]?р${ANY}`, `operat[oe]?r${L}`, `aperator${L}`);
export const HUMAN = oneOf(`ч[еи]л[оа]?в[еи]?к${ANY}`, `ч[еи]л[оа]?в[еи]?ч[еи]?к${ANY}`, `ch[ei]l[oa]?v[ei]?k${L}`);
export const ALIVE = oneOf('жив(?:ого|ому|ым|ой|ая|ую|ые|ых|ыми)', 'zhiv(?:ogo|omu|ym|oy|oi|oj|ye|yh)');
export const MANAGER = oneOf(
  `м[еэ]н[еэ]?д?ж[еэ]?р${ANY}`,
  `м[еэ]н[еэ]дж(?![еэ]?мент)${ANY}`,
  `манагер${ANY}`,
  `men[ea]?d?(?:zh|j|g)[ea]?r${L}`,
);
export const SPECIALIST = oneOf(`сп[еи]ц[иы]?[ао]?л[иы]?ст${ANY}`, `spe(?:c|ts)ialist${L}`);
export const EMPLOYEE = oneOf(`сотрудни[кц]${ANY}`, `sotrudni[kc]${L}`);
export const CONSULTANT = oneOf(`к[оа]нсул?ь?т[ао]нт${ANY}`, `konsultant${L}`);
export const SUPERVISOR = oneOf(`руководител${ANY}`, `начальник${ANY}`, `администратор${ANY}`, 'старш(?:его|ему|им)');
export const SERVICE = oneOf(`(?:тех)?п[оа]дд?[еэ]ржк${ANY}`, `саппорт${ANY}`, `(?:tech)?podderzhk${L}`);
export const SOMEONE = oneOf('(?:кто|кого|кем|кому) (?:нибудь|нить|то|либо)', '(?:kto|kogo|kem) ?(?:nibud|to)');
export const PEOPLE = oneOf('люд(?:ей|ям|ьми|и)', 'lyud(?:ey|yam|i)');
/** A representative of the company, in every case form, but not «представительство» (an office). */
export const REPRESENTATIVE = oneOf(`представител(?!ьств)${ANY}`, `predstavitel${L}`);
export const WORKER = oneOf(`работни[кц]${ANY}`, `персонал${ANY}`, `rabotni[kc]${L}`, `personal(?:a|u|om)`);
/** Someone from the company: «кто-нибудь из сотрудников», «кого-то из поддержки», «кто из компании». */
export const FROM_COMPANY = `${oneOf('кто', 'кого', 'кем', 'кому', 'хоть кто', 'хоть кого', 'один', 'одного', 'одному', 'никого', 'kto', 'kogo')} (?:(?:нибудь|нить|то|либо|nibud|to) )?(?:из|iz) ${oneOf(
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
export const BOT = oneOf(
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
export const WITH_MACHINE = `(?:с|со|s) ${oneOf('машиной', 'программой', 'компьютером', 'искусственным интеллектом', 'mashinoy', 'programmoy')}`;
export const BOT_PARTNER = oneOf(`(?:(?:с|со|s) )?${BOT}`, WITH_MACHINE);
/** What the bot could be asked about itself, in the nominative: «ты человек?», «вы бот?», «это робот?» */
export const IDENTITY = oneOf(
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
export const TRANSLIT_OR_CYRILLIC = new RegExp(
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
export const PERSON = oneOf(OPERATOR, HUMAN, MANAGER, SPECIALIST, EMPLOYEE, CONSULTANT, SUPERVISOR, REPRESENTATIVE, WORKER, FROM_COMPANY);
/** Anyone or anything that hands the dialog to people, including "support" and "живого". */
export const TARGET = oneOf(PERSON, ALIVE, SERVICE);

/** Verbs that ask to bring a person in: позовите, дайте, соедините, свяжите, переключите… */
export const SUMMON = oneOf(
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
export const WANT = oneOf(
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
export const TALK = oneOf(
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
export const REACH = oneOf(
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
export const HOW = oneOf('помоги', 'помогите', 'подскажи', 'подскажите', 'как', 'где', 'куда', 'можно', 'хочу', 'нужно', 'надо', 'могу', 'pomogite', 'pomogi', 'podskazhite', 'kak', 'gde', 'mozhno');
/** Verbs that connect on their own, the impatient request: «да соедините уже!», «просто переключите меня». */
export const CONNECT_NOW = oneOf('соедините', 'соедини', 'соединяйте', 'соединяй', 'переключите', 'переключи', 'переключайте', 'переключай', 'свяжите', 'свяжи', 'позовите', 'позови', 'зовите', 'зови', 'переводите', 'soedinite', 'pereklyuchite', 'pereklyuchi');
export const IMPATIENT = oneOf('уже', 'ну', 'да', 'же', 'скорее', 'быстрее', 'быстро', 'наконец', 'пож?а?луй?ст[ао]', 'давайте', 'давай', 'просто', 'меня', 'нас', 'срочно', 'немедленно', 'сейчас', 'хватит', 'вы', 'ты', 'уж', 'плиз', 'пж', 'сколько можно', 'ну же', 'uzhe', 'pozhaluysta', 'davay', 'davayte');
/** What a person does when the user gets through: ответил, связался, перезвонит… */
export const CONTACTED = oneOf(
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
export const TURN = oneOf('а', 'но', 'лучше', 'зато', 'просто');
/**
 * The first word after «не» is what is negated (не надо, не переключайте) and may be any word
 * but a conjunction; after it, a negation also ends at a new request or want
 * («не работает нужен оператор», «с ботом не хочу общаться дайте человека»).
 */
export const TURN_LATER = oneOf(TURN, SUMMON, 'нужен', 'нужна', 'нужно', 'хочу', 'надо');
/** An adjective form: «мой личный менеджер», but not «мой вопрос оператору». */
export const ADJECTIVE = `[^\\s|#]+(?:ый|ий|ой|ая|яя|ое|ее|ого|его|ому|ему|ым|им|ую|юю|ые|ие|ых|их)`;
/** Past-tense verbs of something a person already did: reported speech, not a request. */
export const DID = `${oneOf(
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
export const FILLER = oneOf(
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
