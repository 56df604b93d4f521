/**
 * Best-effort language of a text: 'ru' when it has Cyrillic letters, else 'en'.
 *
 * A text with no letters at all (`???`, an emoji) falls back to the Telegram `language_code`:
 * `ru`, `uk`, `be` and `kk` users get 'ru', everyone else 'en'. Latin text is 'en' even from a
 * Russian user, because that is the language its words are written in (transliterated Russian
 * is still caught: the Russian rules know it).
 *
 * @example guessLanguage('позовите оператора') === 'ru'
 */
export function guessLanguage(text: string, telegramLanguageCode?: string): 'ru' | 'en' {
  if (CYRILLIC.test(text)) return 'ru';
  if (LATIN.test(text)) return 'en';
  return telegramLanguageCode !== undefined && RUSSIAN_SPEAKING.test(telegramLanguageCode) ? 'ru' : 'en';
}

const CYRILLIC = /[\u0400-\u04FF]/;
const LATIN = /[A-Za-z]/;
const RUSSIAN_SPEAKING = /^(?:ru|uk|be|kk)(?:$|[-_])/i;
