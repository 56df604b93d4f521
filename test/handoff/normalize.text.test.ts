import { normalizeText } from '../../src/handoff';

describe('normalizeText', () => {
  it('lowers case, folds ё, drops punctuation into clause breaks and collapses letter runs', () => {
    expect(normalizeText('Нет, позовите ОПЕРАТОООРА!!!')).toBe('нет | позовите оператора');
    expect(normalizeText('Ещё раз: кто-нибудь тут есть?')).toBe('еще раз | кто нибудь тут есть');
    expect(normalizeText("I don't need a humaaan...")).toBe('i dont need a human');
  });
});
