import { replySaysCannotHelp } from '../../src/handoff';

describe('an LLM answer that says the bot cannot help', () => {
  it.each([
    'К сожалению, я не могу помочь с этим вопросом.',
    'Я не смогу ответить на это. Обратитесь к оператору.',
    'Обратитесь, пожалуйста, в службу поддержки.',
    'У меня нет доступа к данным вашего заказа.',
    "I'm sorry, but I can't help with that.",
    'I am unable to assist with refunds.',
    'Please contact our support team for this.',
    "I don't have access to your account details.",
  ])('is recognised: %s', (reply) => {
    expect(replySaysCannotHelp(reply)).toBe(true);
  });

  it.each([
    'Конечно, помогу! Откройте раздел «Заказы».',
    'Я могу помочь с возвратом: пришлите номер заказа.',
    'Не могу не отметить, что у нас сейчас скидки!',
    'Sure, I can help with that. Go to Settings > Billing.',
    'Your order #4512 is on its way.',
  ])('is not confused with a helpful answer: %s', (reply) => {
    expect(replySaysCannotHelp(reply)).toBe(false);
  });
});
