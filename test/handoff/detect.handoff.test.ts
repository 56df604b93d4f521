import { detectHandoff, type HandoffSignal } from '../../src/handoff';

function decide(text: string, previousUserTexts?: readonly string[]): HandoffSignal | null {
  return detectHandoff({ text, ...(previousUserTexts === undefined ? {} : { previousUserTexts }) });
}

describe('a user who clearly asks for a person is handed off at once', () => {
  it.each([
    ['позовите оператора', 'ru'],
    ['Соедините с живым человеком, пожалуйста', 'ru'],
    ['хочу поговорить с менеджером', 'ru'],
    ['мне нужен специалист', 'ru'],
    ['переключите на поддержку', 'ru'],
    ['свяжите меня с сотрудником', 'ru'],
    ['можно с консультантом связаться?', 'ru'],
    ['оператор', 'ru'],
    ['ОПЕРАТОР!!!', 'ru'],
    ['бесполезный бот, дайте живого', 'ru'],
    ['can I talk to a human', 'en'],
    ['agent please', 'en'],
    ['connect me to a real person', 'en'],
    ['I need to speak to a representative', 'en'],
    ['transfer me to an operator', 'en'],
    ['human', 'en'],
    ['Agent', 'en'],
    ['I would like to speak with a manager', 'en'],
  ])('%s', (text, lang) => {
    expect(decide(text)).toEqual({ layer: 'rules', confidence: 'high', reason: expect.stringMatching(/^rules\./), lang });
  });

  it('finds the request at the end of a long complaint', () => {
    const text = 'Заказ 5531 не пришёл, деньги списали дважды, бот отвечает не то. Позовите оператора';
    expect(decide(text)?.confidence).toBe('high');
  });

  it('hears the request after the user turns away from the bot', () => {
    expect(decide('с ботом не хочу, дайте человека')?.confidence).toBe('high');
    expect(decide("I don't want a bot, I want a human")?.confidence).toBe('high');
  });
});

describe('every grammatical form, common typos and transliteration are caught', () => {
  it.each([
    'свяжите с оператором',
    'хочу к оператору',
    'передайте вопрос операторам',
    'дайте человека',
    'с человеком поговорить можно?',
    'позовите менеджера',
    'аператор',
    'позовите опертора',
    'позовите чиловека',
    'позовите менджера',
    'оператооор',
    'pozovite operatora',
    'hochu pogovorit s chelovekom',
    'svyazhite s menedzherom',
    'можно operatora?',
    'jgthfnjh',
    'operater',
    'humen please',
    'talk to a reprsentative',
    'agnet please',
    'humaaaan',
  ])('%s', (text) => {
    expect(decide(text)?.confidence).toBe('high');
  });
});

describe('a person word that is not a request does not hand off', () => {
  it.each([
    // negation
    'не надо оператора',
    'мне не нужен человек, просто скажи цену',
    'оператора не зовите, всё понятно',
    'не переключайте на оператора',
    "I don't need a human",
    'no agent please, I will figure it out',
    "don't transfer me to a person",
    // other meanings
    'какой у вас оператор связи?',
    'сотовый оператор списал деньги',
    'оператор LIKE в SQL не работает',
    'сколько человек может быть в одном аккаунте?',
    'стоимость на одного человека',
    'менеджер паролей не подставляет логин',
    'what does the ?? operator do in JavaScript',
    'my mobile operator blocks your SMS codes',
    'how much per person?',
    'my travel agent booked the wrong dates',
    'human resources asked for an invoice copy',
    'was it human error or a system bug?',
    // questions about operators
    'когда работают операторы?',
    'сколько у вас операторов?',
    'what are your support hours?',
    'how many agents do you have',
    // reported speech
    'мой менеджер сказал, что скидка будет',
    'я уже говорил с оператором, он всё решил',
    'the agent told me yesterday that my refund was approved',
    'I already talked to a human and they fixed it',
  ])('%s', (text) => {
    expect(decide(text)).toBeNull();
  });

  it('ordinary support questions do not hand off', () => {
    for (const text of ['где мой заказ?', 'как сменить пароль', 'how do I return an item?', 'can I pay with PayPal?']) {
      expect(decide(text)).toBeNull();
    }
  });
});

describe('weaker hints ask the user first (medium)', () => {
  it.each([
    ['а можно с кем-то поговорить?', 'rules.hint_human'],
    ['есть тут кто живой?', 'rules.hint_human'],
    ['is there a real person here?', 'rules.hint_human'],
    ['can anybody help me?', 'rules.hint_human'],
    ['тупой бот', 'failure.frustration'],
    ['ты меня не понимаешь', 'failure.frustration'],
    ["you're useless", 'failure.frustration'],
    ['this is a waste of time', 'failure.frustration'],
    ['ДА СКОЛЬКО МОЖНО!!!', 'failure.frustration'],
    ['ПОЧЕМУ НЕ ПРИХОДИТ КОД!!!', 'failure.shouting'],
  ])('%s → %s', (text, reason) => {
    expect(decide(text)).toMatchObject({ confidence: 'medium', reason });
  });

  it('a user asking the same question again gets a medium repeated-question signal', () => {
    expect(decide('где мой заказ???', ['привет', 'Где мой заказ?'])).toEqual({
      layer: 'failure',
      confidence: 'medium',
      reason: 'failure.repeated_question',
      lang: 'ru',
    });
    expect(decide('ну где мой заказ', ['где мой заказ'])?.reason).toBe('failure.repeated_question');
    expect(decide('How do I reset my password', ['how do i reset my password?'])?.reason).toBe('failure.repeated_question');
  });

  it('small talk said twice, or a different question, is not a repeat', () => {
    expect(decide('спасибо', ['спасибо'])).toBeNull();
    expect(decide('ok', ['ok'])).toBeNull();
    expect(decide('how do I reset my email', ['How do I reset my password?'])).toBeNull();
  });

  it('a clear request wins over frustration: it hands off at once', () => {
    expect(decide('тупой бот, позовите оператора')?.confidence).toBe('high');
  });
});

describe('language', () => {
  it('reports the language whose rules fired, whatever the caller said', () => {
    expect(detectHandoff({ text: 'позовите оператора', lang: 'en' })?.lang).toBe('ru');
    expect(detectHandoff({ text: 'agent please', lang: 'ru' })?.lang).toBe('en');
  });

  it('uses the given language to break a tie between rule sets', () => {
    expect(detectHandoff({ text: 'operator', lang: 'ru' })?.lang).toBe('ru');
    expect(detectHandoff({ text: 'operator', lang: 'en' })?.lang).toBe('en');
  });
});
