import { normalizeText } from './normalize.text';

/**
 * True when the user sends the same message again: the repeated-question failure signal.
 *
 * Messages are compared by their content words (normalised, without `|`, small talk and
 * filler such as "ну", "please", "еще раз"); two messages repeat each other when their
 * content-word sets overlap by at least 80% (Jaccard). A message needs at least two content
 * words and 8 characters, so "ok", "да" or "thanks" said twice never counts. Only the last
 * {@link REPEAT_LOOKBACK} previous messages are looked at, and one whose length is under a
 * third or over three times the new one's is skipped without being normalised (such a pair
 * cannot share 80% of its words in practice), which keeps the check cheap in long dialogs.
 *
 * @example isRepeatedQuestion('где мой заказ???', ['привет', 'Где мой заказ?']) === true
 */
export function isRepeatedQuestion(text: string, previousUserTexts: readonly string[]): boolean {
  const raw = text;
  const current = contentWords(text);
  if (current === null) return false;
  const from = Math.max(0, previousUserTexts.length - REPEAT_LOOKBACK);
  for (let i = previousUserTexts.length - 1; i >= from; i -= 1) {
    const text = previousUserTexts[i] ?? '';
    if (!similarLength(text, raw)) continue;
    const previous = contentWords(text);
    if (previous !== null && jaccard(current, previous) >= MIN_OVERLAP) return true;
  }
  return false;
}

/** How many previous user messages {@link isRepeatedQuestion} compares with. */
export const REPEAT_LOOKBACK = 10;

const MIN_OVERLAP = 0.8;
const MIN_WORDS = 2;
const MIN_CHARS = 8;
const FILLER = new Set(
  (
    'ну а и же еще ещё раз снова опять пожалуйста плиз спасибо ок окей да нет привет здравствуйте эй алло ' +
    'so well again please pls plz thanks thank you ok okay yes no hi hello hey um uh'
  ).split(' '),
);

function contentWords(text: string): Set<string> | null {
  const normal = normalizeText(text);
  if (normal.length < MIN_CHARS) return null;
  const words = new Set<string>();
  for (const token of normal.split(' ')) if (token !== '|' && !FILLER.has(token)) words.add(token);
  return words.size >= MIN_WORDS ? words : null;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const word of a) if (b.has(word)) shared += 1;
  return shared / (a.size + b.size - shared);
}

function similarLength(a: string, b: string): boolean {
  return a.length * 3 >= b.length && b.length * 3 >= a.length;
}
