import { glueSplitter } from './glue.split';
import { ANY, bareClause, blocker, gap, gapIn, oneOf, rule } from './pattern.build';
import type { HandoffRuleSet } from './rule-set.types';
import { L, OPERATOR, HUMAN, ALIVE, MANAGER, SERVICE, SOMEONE, PEOPLE, REPRESENTATIVE, FROM_COMPANY, BOT, WITH_MACHINE, BOT_PARTNER, IDENTITY, TRANSLIT_OR_CYRILLIC, PERSON, TARGET, SUMMON, WANT, TALK, REACH, HOW, CONNECT_NOW, IMPATIENT, CONTACTED, TURN, TURN_LATER, ADJECTIVE, DID, FILLER } from './rules.ru.words';

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
