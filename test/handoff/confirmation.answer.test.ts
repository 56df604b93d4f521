import { confirmationAnswer } from '../../src/handoff';

/**
 * After the bot asks «Переключить вас на человека?» / "Switch you to a human?", a user who
 * types the answer instead of pressing a button gets what the button would have done.
 */
describe('a typed answer to the confirmation question works like the buttons', () => {
  it.each(['да', 'Да!', 'дааа', 'ага', 'давайте', 'Да, давайте', 'да, переключите на оператора', 'конечно', 'ну давай', 'хорошо, спасибо', '👍', '+'])(
    'yes in Russian: %s',
    (text) => expect(confirmationAnswer(text)).toBe('yes'),
  );

  it.each(['yes', 'Yes please', 'yesss', 'yeah', 'sure', 'ok', 'go ahead', 'yes, connect me to a human', 'of course, thanks'])('yes in English: %s', (text) =>
    expect(confirmationAnswer(text)).toBe('yes'),
  );

  it.each(['нет', 'НЕТ!', 'неа', 'не надо', 'нет, спасибо', 'нет, спасибо, сам разберусь', 'не сейчас', 'да нет', 'да нет, не надо', '👎'])(
    'no in Russian: %s',
    (text) => expect(confirmationAnswer(text)).toBe('no'),
  );

  it.each(['no', 'No thanks', 'nope', 'not now', 'no, I will manage', "no thanks, I'm fine", 'nah, continue with the bot', 'never mind'])('no in English: %s', (text) =>
    expect(confirmationAnswer(text)).toBe('no'),
  );
});

describe('a reply that says more than yes or no is an ordinary message', () => {
  it.each([
    'yes, but how do I pay?',
    'да, а где мой заказ?',
    'да?',
    'нет интернета',
    'no, I want a human',
    'нет, дайте оператора',
    'не знаю',
    'может быть',
    'not sure',
    'yesterday I ordered a phone',
    'давайте оформим возврат',
    'ok so how do I reset my password',
    'спасибо',
    'да, но сначала скажите цену',
    '',
    'да '.repeat(40),
  ])('%s', (text) => expect(confirmationAnswer(text)).toBeNull());
});
