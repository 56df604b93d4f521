import { guessLanguage } from '../../src/handoff';

describe('guessLanguage', () => {
  it('says ru for Cyrillic, en for Latin, and falls back to the Telegram code without letters', () => {
    expect(guessLanguage('позовите оператора')).toBe('ru');
    expect(guessLanguage('pozovite operatora', 'ru')).toBe('en');
    expect(guessLanguage('???', 'ru-RU')).toBe('ru');
    expect(guessLanguage('???', 'de')).toBe('en');
    expect(guessLanguage('👍')).toBe('en');
  });
});
