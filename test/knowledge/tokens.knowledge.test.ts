import { contentWords, isSmallTalk, knowledgeWords } from '../../src/knowledge';
import { editDistance, isTypoOf } from '../../src/knowledge/typo.knowledge';
import { areRelatives } from '../../src/knowledge/rank.knowledge';
import { unknownWordWeight, WEAK_WEIGHT } from '../../src/knowledge/weak.knowledge';

describe('the words of a question', () => {
  it('are lower case, with ё as е and apostrophes dropped', () => {
    expect(knowledgeWords('Ёлка? Didn’t ARRIVE, 24/7!')).toEqual(['елка', 'didnt', 'arrive', '24', '7']);
  });

  it('keep only what the question is about: no politeness, question words or "can I"', () => {
    expect(contentWords('Подскажите, пожалуйста, сколько стоит доставка?', 'ru')).toEqual(['стоит', 'доставка']);
    expect(contentWords('Hi, could you please tell me how much is shipping?', 'en')).toEqual(['shipping']);
  });
});

describe('small talk, which never leads to the offer of a human', () => {
  it.each(['Привет!', 'Добрый день', 'спасибо большое', 'ок, понятно', 'ты бот?', 'Hello there', 'thanks a lot!', 'how are you?', 'bye 👋'])(
    'is recognised: %s',
    (text) => expect(isSmallTalk(text)).toBe(true),
  );

  it.each(['Привет, сколько стоит доставка?', 'добрый день, где мой заказ', 'hi, how do I return an item', 'thanks, and what about refunds?', ''])(
    'is not a question in disguise: %s',
    (text) => expect(isSmallTalk(text)).toBe(false),
  );
});

describe('typos and relatives of a word', () => {
  it('counts swaps, insertions and deletions as one edit each', () => {
    expect(editDistance('дотсавка', 'доставка')).toBe(1);
    expect(editDistance('гарнтия', 'гарантия')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('takes a small edit of a word of 5 letters or more, with the same first letter, for a typo', () => {
    expect(isTypoOf('гарнтия', 'гарантия')).toBe(true);
    expect(isTypoOf('waranty', 'warranty')).toBe(true);
    expect(isTypoOf('rent', 'sent')).toBe(false); // too short to tell
    expect(isTypoOf('iphone', 'phone')).toBe(false); // another first letter: another word
  });

  it('joins derivations the stemmer left apart, not words that merely start alike', () => {
    expect(areRelatives('открыва', 'открыт')).toBe(true);
    expect(areRelatives('рекламн', 'реклам')).toBe(true);
    expect(areRelatives('карт', 'картридж')).toBe(false);
    expect(areRelatives('стоит', 'стоимост')).toBe(false);
  });
});

describe('a word the base never uses', () => {
  it.each([
    ['утюга', 'ru'],
    ['кофемашину', 'ru'],
    ['toasters', 'en'],
    ['отвозите', 'ru'],
    ['сломался', 'ru'],
    ['перепутали', 'ru'],
    ['refused', 'en'],
  ] as const)('weighs like a general word when it names a product or is a verb form: %s', (word, lang) => {
    expect(unknownWordWeight(word, lang)).toBe(WEAK_WEIGHT);
  });

  it.each([
    ['пенсионеров', 'ru'],
    ['парковка', 'ru'],
    ['такси', 'ru'],
    ['франшиза', 'ru'],
    ['parking', 'en'],
    ['hundred', 'en'],
    ['seniors', 'en'],
  ] as const)('counts in full when it is another noun, which is how an uncovered topic shows: %s', (word, lang) => {
    expect(unknownWordWeight(word, lang)).toBe(1);
  });
});
