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
 * Every message is compared again on each of the user's next messages, so the content words
 * of the last {@link REMEMBERED_TEXTS} texts seen are remembered by text ({@link contentWordsOf}):
 * a message is normalised once, not once per later message. The memo holds no dialog state:
 * forgetting a text only costs its normalisation again.
 *
 * `normal`, when the caller already has it, is `normalizeText(text)`: it saves normalising the
 * new message a second time (the detector passes the text its rules ran on).
 *
 * @example isRepeatedQuestion('где мой заказ???', ['привет', 'Где мой заказ?']) === true
 */
export function isRepeatedQuestion(text: string, previousUserTexts: readonly string[], normal?: string): boolean {
  const raw = text;
  const current = contentWordsOf(text, normal);
  if (current === null) return false;
  const from = Math.max(0, previousUserTexts.length - REPEAT_LOOKBACK);
  for (let i = previousUserTexts.length - 1; i >= from; i -= 1) {
    const text = previousUserTexts[i] ?? '';
    if (!similarLength(text, raw)) continue;
    const previous = contentWordsOf(text);
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

/** How many texts {@link contentWordsOf} remembers: the recent messages of the dialogs being decided. */
const REMEMBERED_TEXTS = 256;
const remembered = new Map<string, ReadonlySet<string> | null>();

/**
 * {@link contentWords} of a text, remembered for the last {@link REMEMBERED_TEXTS} texts (the
 * oldest is forgotten first). The sets are never changed after they are made.
 */
function contentWordsOf(text: string, normal?: string): ReadonlySet<string> | null {
  const known = remembered.get(text);
  if (known !== undefined) return known;
  const words = contentWords(normal ?? normalizeText(text));
  if (remembered.size >= REMEMBERED_TEXTS) {
    const oldest = remembered.keys().next();
    if (oldest.done !== true) remembered.delete(oldest.value);
  }
  remembered.set(text, words);
  return words;
}

function contentWords(normal: string): Set<string> | null {
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
