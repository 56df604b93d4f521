import type { KnowledgeLang } from './knowledge.types';

/**
 * General words that rarely name what a question is about: common verbs of living, waiting,
 * doing, knowing and seeing, adverbs of time and degree, quantifiers, pronoun-like words.
 * Unlike fillers they may still match an entry, but they weigh {@link WEAK_WEIGHT} of a content
 * word, so "ждала весь день доставку" is about `доставку`, and an unknown general word
 * (`живу`, `nobody`) does not make a question look uncovered the way an unknown topic word
 * (`франшиза`, `parking`) does.
 *
 * Written as surface forms (Russian verbs in their common inflections): the indexer stems them
 * with the language's configuration. Words that name the shop's business (вернуть, оплатить,
 * доставить, работать, open, pay, return) are deliberately absent.
 */
export const WEAK_WORDS: Record<KnowledgeLang, string> = {
  ru:
    'жить живу живешь живет живем живут жил жила жили ' +
    'ждал ждала ждали жду ждем ' +
    'делал делала делали делаю делает делаем делают сделал сделала сделали сделаю ' +
    'думаю думал думала думает знаю знал знала знает понял поняла понимаю ' +
    'видел видела вижу видно смотрел смотрела смотрю увидел увидела ' +
    'нашел нашла нашли найду искал искала ищу ' +
    'пришел пришла пришли приходил приходила придет прийти ' +
    'говорил говорила говорят сказал сказала сказали ' +
    'создавать создать создал создала ' +
    'ошибся ошиблась ошибка случайно ' +
    'потратить тратить потратил ' +
    'стал стала стали стать начал начала ' +
    'весь вся всю всего целый целая целый никто ничто ничего никак нигде никогда кто-то что-то ' +
    'раньше давно недавно назад потом снова опять уже пока ещё вчера завтра сегодня утром вечером ' +
    'обязательно обязательный действительно реально правда вроде наверное примерно почти совсем ' +
    'такой такая такое такие тот та те то другой другая другое другие ' +
    'хороший хорошая плохой плохая большой маленький маленькая небольшой новый новая старый старая ' +
    'много мало немного несколько пару пара раз ' +
    'нормально норм странно непонятно понятно ' +
    'вместо кроме помимо например перестал перестала перестали продолжает продолжают постоянно всегда иногда',
  en:
    'live lives lived living wait waited waiting do done doing did make made making ' +
    'think thought know knew known understand understood see saw seen look looked looking ' +
    'find found search searched come came coming go went gone going ' +
    'say said says tell told create created try tried trying ' +
    'mistake mistakenly accidentally spend spent start started begin began ' +
    'all whole entire nobody nothing none nowhere never somebody someone something anything ' +
    'before ago already yet again later earlier yesterday tomorrow tonight morning evening ' +
    'must mandatory really actually basically probably maybe almost quite ' +
    'such other another same specific particular certain ' +
    'good bad big small little new old ' +
    'lot lots few several couple times sick tired ' +
    'normal weird strange ' +
    'instead except besides example stop stopped stops keep keeps kept continue continues always sometimes constantly',
};

/** Weight of a general word relative to a content word of the question (1). Digits-only words weigh the same. */
export const WEAK_WEIGHT = 0.3;

/**
 * Goods a shop sells, by the start every inflection shares (`чайник` → чайника, чайники;
 * `kettle` → kettles). A question that names a product the base never mentions (`принесли
 * сломанный чайник`, `return a coffee maker`) is still about the shop's rules for any product:
 * the base's entries speak of "the item", not of kettles. So such an unknown word weighs
 * {@link WEAK_WEIGHT}, like a general word, instead of counting as a topic the base lacks.
 * Generic categories of an electronics, household and everyday-goods shop; no brands or models
 * (an unknown `айфон 15` or `dyson` stays a strong unknown word). A product the base does
 * mention keeps its full weight: it may be what an entry is about (`гарантия на ноутбуки`).
 */
export const PRODUCT_STEMS: Record<KnowledgeLang, string> = {
  ru:
    'телефон смартфон мобильник планшет ноутбук ноут компьютер моноблок монитор клавиатур мышк мыш принтер сканер роутер модем ' +
    'телевизор телек приставк колонк наушник гарнитур микрофон камер фотоаппарат видеокамер объектив часы часов браслет ' +
    'зарядк зарядник кабел провод переходник адаптер аккумулятор батарейк пауэрбанк повербанк чехл чехол стекл пленк флешк ' +
    'чайник пылесос холодильник морозильник плит духовк микроволновк мультиварк кофеварк кофемашин тостер блендер миксер ' +
    'мясорубк утюг фен плойк бритв электробритв щетк стиральн посудомоечн сушилк обогревател кондиционер вентилятор увлажнител ' +
    'лампочк ламп светильник люстр игрушк конструктор велосипед самокат электросамокат коляск рюкзак сумк чемодан ' +
    'куртк кроссовк обув футболк платье джинс кофт шапк крем шампун косметик духи помад тушь ' +
    'диван кресл стул стол шкаф кроват матрас подушк одеял посуд кастрюл сковородк нож ' +
    'товар вещ покупк техник прибор устройств гаджет девайс',
  en:
    'phone smartphone mobile cellphone tablet laptop notebook computer pc desktop monitor keyboard mouse mice printer scanner router modem ' +
    'tv television console speaker headphone earphone earbud headset microphone camera lens watch smartwatch bracelet ' +
    'charger cable wire adapter battery powerbank case cover screen protector usb drive ' +
    'kettle vacuum cleaner fridge refrigerator freezer stove oven microwave cooker coffee maker machine toaster blender mixer ' +
    'iron hairdryer dryer shaver razor toothbrush washer dishwasher heater conditioner fan humidifier ' +
    'bulb lamp light toy bike bicycle scooter stroller backpack bag suitcase ' +
    'jacket sneaker shoe boot shirt dress jeans sweater hat cream shampoo cosmetic perfume lipstick mascara ' +
    'sofa couch armchair chair table wardrobe bed mattress pillow blanket dish pan pot knife ' +
    'item product thing purchase device gadget appliance',
};

/** The longest tail an inflection adds to a {@link PRODUCT_STEMS} start. */
const PRODUCT_TAIL: Record<KnowledgeLang, number> = { ru: 3, en: 2 };

/**
 * Endings that mark a verb form (infinitive, reflexive, "вы" forms and imperatives, past tense;
 * English past participles in -ed). An unknown verb (`возите`, `принесли`, `перестал`,
 * `rejected`, `stopped`) says what happens, rarely what the question is about, which a noun
 * does (`пенсионеров`, `халву`, `parking`): it weighs {@link WEAK_WEIGHT}. Only for words of at
 * least 5 letters, and only for words the base never uses, so a noun the base knows with such an
 * ending (`сайте`, `детали`) is never affected; the few nouns that look like verbs are listed.
 */
const VERB_ENDING: Record<KnowledgeLang, RegExp> = {
  ru: /(ться|тись|ся|сь|ать|ять|еть|ить|уть|ыть|оть|аете|яете|уете|ите|йте|ешь|ишь|ал|ала|али|ало|ял|яла|яли|ил|ила|или|ел|ела|ели|ул|ула|ули|ыл|ыла|ыли|ли)$/,
  en: /[^e]ed$/,
};
const VERB_LOOKALIKES: Record<KnowledgeLang, ReadonlySet<string>> = {
  ru: new Set('кровать печать тетрадь сеть путь суть часть власть зависть область новость скорость материал персонал журнал канал сериал финал портал скандал вокзал интервал капитал арсенал минерал генерал урал тагил модели детали автомобили профили стили отдел раздел предел уровень отель'.split(' ')),
  en: new Set('hundred kindred sacred naked wicked wretched rugged ragged bed shed'.split(' ')),
};

/**
 * What an unknown word (one the base never uses) weighs against coverage: {@link WEAK_WEIGHT}
 * for a product name ({@link PRODUCT_STEMS}) or a verb form ({@link VERB_ENDING}), 1 otherwise.
 *
 * @example unknownWordWeight('чайник', 'ru') === WEAK_WEIGHT; unknownWordWeight('пенсионеров', 'ru') === 1
 */
export function unknownWordWeight(word: string, lang: KnowledgeLang): number {
  if (word.length < 4) return 1;
  if (PRODUCTS[lang].some((stem) => word.startsWith(stem) && word.length - stem.length <= PRODUCT_TAIL[lang])) return WEAK_WEIGHT;
  if (word.length >= 5 && VERB_ENDING[lang].test(word) && !VERB_LOOKALIKES[lang].has(word)) return WEAK_WEIGHT;
  return 1;
}

const PRODUCTS: Record<KnowledgeLang, readonly string[]> = {
  ru: PRODUCT_STEMS.ru.split(' '),
  en: PRODUCT_STEMS.en.split(' '),
};
