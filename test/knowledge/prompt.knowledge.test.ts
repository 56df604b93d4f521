import {
  checkKnowledgeReply,
  KNOWLEDGE_NOT_COVERED,
  knowledgePrompt,
  NOT_COVERED_MARKER,
  planKnowledgeAnswer,
  replySaysNotCovered,
  type Retrieval,
} from '../../src/knowledge';

const covered: Retrieval = {
  decision: 'covered',
  covered: true,
  smallTalk: false,
  lang: 'ru',
  entries: [
    { id: 'delivery.ru.md#Стоимость доставки', title: 'Стоимость доставки', text: 'Курьером — 390 ₽.', score: 1.2, coverage: 0.8 },
    { id: 'delivery.ru.md#Сроки доставки', title: 'Сроки доставки', text: 'По Москве — 1–2 дня.', score: 0.4, coverage: 0.3 },
  ],
};

describe('the prompt that carries the entries to the LLM', () => {
  it('gives every entry with its title and id, and tells the model to answer only from them or say the marker', () => {
    const prompt = knowledgePrompt(covered, 'ru');
    expect(prompt).toContain('### 1. Стоимость доставки\n(id: delivery.ru.md#Стоимость доставки)\nКурьером — 390 ₽.');
    expect(prompt).toContain('### 2. Сроки доставки');
    expect(prompt).toContain('ONLY from the entries below');
    expect(prompt).toContain(`reply with exactly ${NOT_COVERED_MARKER}`);
  });

  it('says so when there are no entries', () => {
    expect(knowledgePrompt({ entries: [] }, 'en')).toContain('No entry of the knowledge base matches this question.');
  });
});

describe('an LLM answer that says the base does not cover the question', () => {
  it.each([
    NOT_COVERED_MARKER,
    'NOT_COVERED',
    'Извините, [[NOT_COVERED]]',
    'В базе знаний нет информации об этом.',
    'К сожалению, в статьях не указано, есть ли подарочная упаковка.',
    'Не нашёл информации по этому вопросу в базе.',
    'The knowledge base does not cover gift wrapping.',
    "I couldn't find any information about this in the knowledge base.",
  ])('is recognised: %s', (reply) => expect(replySaysNotCovered(reply)).toBe(true));

  it.each([
    'Доставка курьером стоит 390 ₽, бесплатно от 5000 ₽ (источник: «Стоимость доставки»).',
    'Нет, криптовалюту мы не принимаем.',
    'Shipping to a pickup point costs 149 ₽.',
    'There is no minimum order amount.',
  ])('is not confused with a real answer: %s', (reply) => expect(replySaysNotCovered(reply)).toBe(false));
});

describe('the knowledge part of the answer path', () => {
  it('sends a covered question to the LLM with the entries, and passes its answer through', () => {
    const plan = planKnowledgeAnswer(covered, 'ru');
    expect(plan).toMatchObject({ kind: 'ask_llm', smallTalk: false, entryIds: ['delivery.ru.md#Стоимость доставки', 'delivery.ru.md#Сроки доставки'] });
    if (plan.kind !== 'ask_llm') throw new Error('expected ask_llm');
    expect(plan.systemSuffix).toContain('Курьером — 390 ₽.');
    expect(checkKnowledgeReply(plan, 'Курьером — 390 ₽.', 'ru')).toEqual({ kind: 'reply', text: 'Курьером — 390 ₽.' });
    expect(checkKnowledgeReply(plan, NOT_COVERED_MARKER, 'ru')).toEqual({ kind: 'not_covered', text: expect.stringContaining('нет ответа'), signal: KNOWLEDGE_NOT_COVERED });
  });

  it('answers a question the base does not cover without the LLM, honestly, with the offer of a human', () => {
    const plan = planKnowledgeAnswer({ ...covered, decision: 'not_covered', covered: false }, 'en');
    expect(plan).toEqual({ kind: 'not_covered', text: 'Our knowledge base has no answer to this question, and I would rather not guess.', signal: KNOWLEDGE_NOT_COVERED });
    expect(KNOWLEDGE_NOT_COVERED).toEqual({ layer: 'knowledge', confidence: 'medium', reason: 'knowledge.not_covered' });
  });

  it('lets small talk through to the LLM without entries, and never turns its answer into an offer', () => {
    const plan = planKnowledgeAnswer({ decision: 'small_talk', covered: false, smallTalk: true, entries: [], lang: 'ru' }, 'ru');
    expect(plan).toEqual({ kind: 'ask_llm', systemSuffix: '', entryIds: [], smallTalk: true });
    if (plan.kind !== 'ask_llm') throw new Error('expected ask_llm');
    expect(checkKnowledgeReply(plan, 'Здравствуйте! Чем помочь?', 'ru').kind).toBe('reply');
  });
});
