/**
 * True when a message shouts: written in capitals (at least 80% of at least 6 letters, two
 * or more words) and ending in or containing `!!`, `?!` or `!?`. A frustration signal, so the
 * detector turns it into a medium `failure.shouting` suggestion.
 *
 * Runs on the raw text, before normalisation lowers the case.
 *
 * @example isShouting('ДА СКОЛЬКО МОЖНО!!!') === true
 */
export function isShouting(raw: string): boolean {
  if (!EXCLAMATION.test(raw)) return false;
  const letters = raw.match(LETTERS);
  if (letters === null || letters.length < MIN_LETTERS) return false;
  const upper = raw.match(UPPER)?.length ?? 0;
  return upper / letters.length >= MIN_UPPER_SHARE && (raw.match(WORDS)?.length ?? 0) >= 2;
}

const MIN_LETTERS = 6;
const MIN_UPPER_SHARE = 0.8;
const EXCLAMATION = /!!|\?!|!\?/;
const LETTERS = /\p{L}/gu;
const UPPER = /\p{Lu}/gu;
const WORDS = /\p{L}+/gu;
