import { assertTextLimit, TELEGRAM_TEXT_LIMIT } from './telegram.limits';

/** A piece of a text, `start` inclusive and `end` exclusive, in UTF-16 code units. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

interface Cut {
  /** Where the piece ends. */
  readonly end: number;
  /** Where the next piece may start (leading whitespace is skipped after it). */
  readonly next: number;
}

/**
 * Natural places to cut, best first. Each entry finds candidates in a window; `end` is where
 * the piece stops (before the separator, or after a sentence's punctuation).
 */
const BOUNDARIES: readonly { readonly pattern: RegExp; readonly endsAfterMatch: boolean }[] = [
  { pattern: /\n[^\S\n]*\n/g, endsAfterMatch: false }, // paragraph break (blank line)
  { pattern: /\n/g, endsAfterMatch: false }, // line break
  { pattern: /[.!?…][)"'\]»”’]*(?=\s)|[。！？]/g, endsAfterMatch: true }, // sentence end
  { pattern: /[^\S\n\u00a0\u202f]/g, endsAfterMatch: false }, // space (not a no-break space)
];

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Where to split `text` into pieces of at most `limit` UTF-16 code units, each trimmed of
 * whitespace at both ends and never empty. A piece ends at the best natural boundary in its
 * window: a paragraph break, then a line break, then a sentence end, then a space, each
 * taken only if it keeps the piece at least half full; otherwise the latest boundary of any
 * kind; a hard cut only when the window has none (a 5,000-character word). A hard cut never
 * splits a character (surrogate pair) and, where it can, not an emoji sequence either.
 *
 * @throws RangeError when `limit` is not an integer of at least 2.
 */
export function findChunkRanges(text: string, limit: number = TELEGRAM_TEXT_LIMIT): TextRange[] {
  assertTextLimit(limit);
  const ranges: TextRange[] = [];
  let start = skipWhitespace(text, 0);
  while (start < text.length) {
    const cut = text.length - start <= limit ? { end: text.length, next: text.length } : chooseCut(text, start, limit);
    let end = cut.end;
    while (end > start && isWhitespace(text, end - 1)) end--;
    if (end > start) ranges.push({ start, end });
    start = skipWhitespace(text, cut.next);
  }
  return ranges;
}

/**
 * Splits plain text into pieces of at most `limit` characters (default 4096, Telegram's
 * message limit) at natural boundaries: paragraph, line, sentence, space; a hard cut as the
 * last resort. Whitespace-only input gives no pieces. Use it for texts sent without
 * parse_mode; Markdown goes through `formatForTelegram`.
 *
 * @example splitPlainText(longTranscript).forEach((part) => telegram.sendText(chatId, part));
 */
export function splitPlainText(text: string, limit: number = TELEGRAM_TEXT_LIMIT): string[] {
  return findChunkRanges(text, limit).map((range) => text.slice(range.start, range.end));
}

function chooseCut(text: string, start: number, limit: number): Cut {
  const window = text.slice(start, start + limit + 1);
  const latest: Cut[] = [];
  for (const { pattern, endsAfterMatch } of BOUNDARIES) {
    let found: Cut | undefined;
    for (const match of window.matchAll(pattern)) {
      const end = match.index + (endsAfterMatch ? match[0].length : 0);
      if (end > limit) break;
      if (end > 0) found = { end: start + end, next: start + match.index + match[0].length };
    }
    if (found === undefined) continue;
    if (found.end - start >= limit / 2) return found;
    latest.push(found);
  }
  const best = latest.reduce<Cut | undefined>((a, b) => (a === undefined || b.end > a.end ? b : a), undefined);
  if (best !== undefined) return best;
  const end = hardCut(text, start, start + limit);
  return { end, next: end };
}

/**
 * The last grapheme boundary in (start, at], so an emoji sequence or a letter with its accents
 * stays whole; failing that (a cluster longer than the window), `at` moved back off a
 * surrogate pair. Segmenting only a short stretch around `at` keeps this cheap; the slice's
 * own first boundary is artificial and is ignored.
 */
function hardCut(text: string, start: number, at: number): number {
  const from = Math.max(start, at - 64);
  let cut = at;
  for (const { index } of graphemes.segment(text.slice(from, Math.min(text.length, at + 64)))) {
    if (from + index > at) break;
    if (from + index > start && (index > 0 || from === start)) cut = from + index;
  }
  return isLowSurrogate(text.charCodeAt(cut)) && isHighSurrogate(text.charCodeAt(cut - 1)) ? cut - 1 : cut;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function isWhitespace(text: string, index: number): boolean {
  return /\s/.test(text.charAt(index));
}

function skipWhitespace(text: string, from: number): number {
  let index = from;
  while (index < text.length && isWhitespace(text, index)) index++;
  return index;
}
