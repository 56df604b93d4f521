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
    'нормально норм странно непонятно понятно',
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
    'normal weird strange',
};

/** Weight of a general word relative to a content word of the question (1). Digits-only words weigh the same. */
export const WEAK_WEIGHT = 0.3;
