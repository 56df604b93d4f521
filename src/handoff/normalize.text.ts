/**
 * Text normalisation shared by every rule set, so that rules are written once against one
 * predictable shape instead of against whatever a user typed.
 *
 * The normal form is: lower case, `ё` → `е`, apostrophes dropped (`don't` → `dont`), letter
 * runs of three or more collapsed to one (`оператооор` → `оператор`), every other non-letter,
 * non-digit character turned into a space, and clause punctuation (`. , ; : ! ? …` brackets,
 * quotes, dashes, line breaks) turned into a `|` token. Tokens are separated by exactly one
 * space, with no `|` at either end. Rules use `|` to keep a negation or a reported verb from
 * reaching into the next clause. A word that mixes Latin and Cyrillic look-alike letters
 * (`oпeратор` typed with Latin o and e, `оperator` with a Cyrillic о) is written in the script
 * most of its letters are in, so one rule matches both.
 *
 * One pass over the characters (a Unicode regex is consulted only for letters outside Latin
 * and Russian): it runs on every message and on the user's recent history (for the
 * repeated-question check), so it has to cost well under a microsecond.
 *
 * @example normalizeText('Нет, позовите ОПЕРАТОРА!!!') === 'нет | позовите оператора'
 */
export function normalizeText(text: string): string {
  const lower = text.toLowerCase();
  const out: number[] = [];
  /** What must come before the next word character: nothing, a space, or a clause break. */
  let pending = NONE;
  let last = -1;
  let run = 0;
  let before = SPACE;
  let latin = false;
  let cyrillic = false;
  for (let i = 0; i < lower.length; i += 1) {
    let code = lower.charCodeAt(i);
    const previous = before;
    before = code;
    if (code === YO) code = YE;
    if (isWordCode(code, lower, i)) {
      if (code >= 0x61 && code <= 0x7a) latin = true;
      else if (code >= 0x430 && code <= 0x44f) cyrillic = true;
      if (code === last && !(code >= DIGIT_0 && code <= DIGIT_9)) {
        run += 1;
        if (run === 2) out.pop(); // a run of three or more letters becomes one: ооо → о
        if (run >= 2) continue;
      } else {
        run = 0;
      }
      if (out.length > 0 && pending === SPACE) out.push(SPACE);
      else if (out.length > 0 && pending === BREAK) out.push(SPACE, BREAK, SPACE);
      pending = NONE;
      out.push(code);
      last = code;
      continue;
    }
    if (APOSTROPHES.has(code)) continue;
    last = -1;
    run = 0;
    // A hyphen inside a word separates (кто-нибудь → кто нибудь); after a space it is a dash.
    if (CLAUSE_PUNCTUATION.has(code) || (code === HYPHEN && (previous === SPACE || previous === NEWLINE))) pending = BREAK;
    else if (pending === NONE) pending = SPACE;
  }
  if (latin && cyrillic) foldMixedScripts(out);
  return fromCodes(out);
}

/** The token the detector puts where a blocker removed a span; no rule reaches across it. */
export const MASK = '#';

const NONE = 0;
const SPACE = 0x20;
const BREAK = 0x7c; // '|'
const NEWLINE = 0x0a;
const HYPHEN = 0x2d;
const YO = 0x451; // 'ё'
const YE = 0x435; // 'е'
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const codes = (chars: string): ReadonlySet<number> => new Set([...chars].map((c) => c.charCodeAt(0)));
const APOSTROPHES = codes("'’‘`ʼ");
const CLAUSE_PUNCTUATION = codes('.,;:!?…()[]{}"«»„“”\n\r\t—–|');
const OTHER_LETTER = /[\p{L}\p{N}]/u;

/** Latin and Russian letters and ASCII digits cheaply; anything else non-ASCII by Unicode class. */
function isWordCode(code: number, text: string, index: number): boolean {
  if ((code >= 0x61 && code <= 0x7a) || (code >= DIGIT_0 && code <= DIGIT_9) || (code >= 0x430 && code <= 0x44f)) return true;
  if (code < 0x80) return false;
  if (code >= 0xd800 && code <= 0xdfff) return false; // emoji and other astral symbols: separators
  return OTHER_LETTER.test(text.charAt(index));
}

/** Latin letters that look like Cyrillic ones, and back: `a` ↔ `а`, `p` ↔ `р`, `h` ↔ `н`… */
const LATIN_TO_CYRILLIC: ReadonlyMap<number, number> = new Map([...'aceopxykmthb'].map((c, i) => [c.charCodeAt(0), 'асеорхукмтнв'.charCodeAt(i)]));
const CYRILLIC_TO_LATIN: ReadonlyMap<number, number> = new Map([...LATIN_TO_CYRILLIC].map(([latin, cyrillic]) => [cyrillic, latin]));

/**
 * In place: every word with letters of both scripts is written in the script most of its
 * letters are in, when all the others are look-alikes (`oпeратор` → `оператор`). Only runs
 * for texts that have both scripts, so ordinary messages pay nothing.
 */
function foldMixedScripts(out: number[]): void {
  let start = 0;
  for (let i = 0; i <= out.length; i += 1) {
    if (i < out.length && out[i] !== SPACE) continue;
    let latin = 0;
    let cyrillic = 0;
    for (let j = start; j < i; j += 1) {
      const code = out[j] ?? 0;
      if (code >= 0x61 && code <= 0x7a) latin += 1;
      else if (code >= 0x430 && code <= 0x44f) cyrillic += 1;
    }
    if (latin > 0 && cyrillic > 0) {
      const map = cyrillic >= latin ? LATIN_TO_CYRILLIC : CYRILLIC_TO_LATIN;
      let foldable = true;
      for (let j = start; j < i && foldable; j += 1) {
        const code = out[j] ?? 0;
        const minority = map === LATIN_TO_CYRILLIC ? code >= 0x61 && code <= 0x7a : code >= 0x430 && code <= 0x44f;
        if (minority && !map.has(code)) foldable = false;
      }
      if (foldable) for (let j = start; j < i; j += 1) out[j] = map.get(out[j] ?? 0) ?? (out[j] ?? 0);
    }
    start = i + 1;
  }
}

/** `String.fromCharCode(...codes)` in slices, so a long text never exceeds the argument limit. */
function fromCodes(out: readonly number[]): string {
  const SLICE = 4096;
  if (out.length <= SLICE) return String.fromCharCode(...out);
  let text = '';
  for (let i = 0; i < out.length; i += SLICE) text += String.fromCharCode(...out.slice(i, i + SLICE));
  return text;
}
