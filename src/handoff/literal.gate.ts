/**
 * Literal gates: a cheap necessary condition for a regex to match, read off its source.
 *
 * Most rules are built around a handful of words ("are you…", «позовите…»), so every match
 * contains one of a few literal strings. {@link requiredLiterals} finds such a set by walking
 * the regex source (alternation, groups, classes, quantifiers, lookarounds), and
 * {@link literalGate} turns it into a test: when no literal is in a text, the regex cannot
 * match it and need not run. The gate is derived, never written by hand, so it cannot drift
 * from the rule it guards.
 *
 * A gate first compares the literal's character pairs with the message's {@link fingerprint}
 * (a 256-bit set of the pairs in the text, made once per message), and only when every pair
 * is there looks for the literal with `includes`. The fingerprint of the unmasked text serves
 * for every masked version of it: masking only cuts spans out and puts `#` in their place, so
 * a literal without `#` that is in the masked text is in the original too. Literals with `#`
 * are never used (their rule simply runs).
 *
 * The analysis is conservative: anything it does not understand (a back-reference, a flag
 * other than `g`, a class it cannot enumerate) widens the answer to "no literal is required",
 * which only keeps the gate open. Lookarounds count as matching nothing, which is safe: what
 * they would require is simply not used.
 *
 * @example literalGate(/(?:talk|speak) to/)('can i talk to you', fingerprint('can i talk to you')) === true
 */
export function literalGate(pattern: RegExp): LiteralGate {
  const literals = requiredLiterals(pattern);
  if (literals === null || literals.some((literal) => literal.includes('#'))) return ALWAYS_OPEN;
  // Each literal's pairs as (word, bits) checks in one flat array: literal i owns checks[ends[i - 1] .. ends[i]).
  const checks: number[] = [];
  const ends: number[] = [];
  for (const literal of literals) {
    fingerprint(literal).forEach((bits, word) => {
      if (bits !== 0) checks.push(word, bits);
    });
    ends.push(checks.length);
  }
  const flat = Int32Array.from(checks);
  const stops = Int32Array.from(ends);
  return (text, print) => {
    let start = 0;
    for (let i = 0; i < stops.length; i += 1) {
      const end = stops[i] ?? 0;
      let present = true;
      for (let j = start; j < end; j += 2) {
        const bits = flat[j + 1] ?? 0;
        if ((bits & ~(print[flat[j] ?? 0] ?? 0)) !== 0) {
          present = false;
          break;
        }
      }
      if (present && text.includes(literals[i] ?? '')) return true;
      start = end;
    }
    return false;
  };
}

/**
 * True when `text` may match the gated regex; false only when it certainly cannot. `print`
 * is {@link fingerprint} of `text` or of the unmasked text `text` was masked from.
 */
export type LiteralGate = (text: string, print: Fingerprint) => boolean;

/** The set of adjacent character pairs of a text, hashed into 256 bits. */
export type Fingerprint = Int32Array;

/**
 * The character pairs of `text` (hashed, 256 bits), for {@link LiteralGate}. One pass over
 * the text; make it once per message.
 */
export function fingerprint(text: string): Fingerprint {
  const print = new Int32Array(PRINT_WORDS);
  let previous = text.charCodeAt(0);
  for (let i = 1; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const bit = pairBit(previous, code);
    print[bit >>> 5] = (print[bit >>> 5] ?? 0) | (1 << (bit & 31));
    previous = code;
  }
  return print;
}

/**
 * Literal strings of which every match of `pattern` contains at least one, or null when the
 * source gives no useful guarantee (or uses a feature the analysis does not model). Among
 * the sets it could choose, it prefers long literals and few of them.
 *
 * @example requiredLiterals(/(?:are|r) (?:you|u)\b/) // ['r u', 'are u', 'r you', 'are you']
 */
export function requiredLiterals(pattern: RegExp): string[] | null {
  if (pattern.flags.replace('g', '') !== '') return null;
  try {
    const parser = new SourceParser(pattern.source);
    const info = parser.parseAlternation();
    if (!parser.atEnd()) return null;
    const best = choose(candidates(info));
    return best === null ? null : [...best];
  } catch (error) {
    if (error instanceof UnsupportedSyntax) return null;
    throw error;
  }
}

const PRINT_WORDS = 8;

function pairBit(a: number, b: number): number {
  return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> 24;
}

const ALWAYS_OPEN = (): boolean => true;

/** Largest set of exact strings kept while concatenating; beyond it the analysis commits a factor. */
const MAX_EXACT = 32;
/** Largest literal set worth testing one by one; a larger set is no cheaper than the regex. */
const MAX_LITERALS = 64;
/** Literals shorter than this are present in nearly every message: such a set is not a gate. */
const MIN_USEFUL_LENGTH = 2;

/**
 * What is known about the strings a piece of regex matches:
 * `exact`, every string it can match (small and finite), or null;
 * `factors`, sets of literals of which every match contains one (each set a separate guarantee).
 */
interface Info {
  exact: ReadonlySet<string> | null;
  factors: readonly ReadonlySet<string>[];
}

class UnsupportedSyntax extends Error {}

const EMPTY: Info = { exact: new Set(['']), factors: [] };
const UNKNOWN: Info = { exact: null, factors: [] };

/** A recursive-descent reader of the regex subset the rule helpers produce. */
class SourceParser {
  private at = 0;

  constructor(private readonly source: string) {}

  atEnd(): boolean {
    return this.at >= this.source.length;
  }

  parseAlternation(): Info {
    const branches = [this.parseSequence()];
    while (this.peek() === '|') {
      this.at += 1;
      branches.push(this.parseSequence());
    }
    return branches.length === 1 ? (branches[0] ?? UNKNOWN) : alternation(branches);
  }

  private parseSequence(): Info {
    const items: Info[] = [];
    while (!this.atEnd() && this.peek() !== '|' && this.peek() !== ')') items.push(...this.parseQuantified());
    return sequence(items);
  }

  /** An atom and its quantifier, as the pieces of a sequence they amount to (`x+` is `x` then unknown). */
  private parseQuantified(): Info[] {
    const atom = this.parseAtom();
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '?') [min, max] = [0, 1];
    else if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '{' && /^\{\d+(?:,\d*)?\}/.test(this.source.slice(this.at))) {
      const match = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.source.slice(this.at));
      if (match === null) throw new UnsupportedSyntax();
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' || match[3] === undefined ? Infinity : Number(match[3]);
      this.at += match[0].length - 1;
    } else return [atom];
    this.at += 1;
    if (this.peek() === '?') this.at += 1; // lazy: same strings
    return repeat(atom, min, max);
  }

  private parseAtom(): Info {
    const c = this.next();
    if (c === '(') return this.parseGroup();
    if (c === '[') return this.parseClass();
    if (c === '\\') return this.parseEscape().info;
    if (c === '^' || c === '$') return EMPTY;
    if (c === '.') return UNKNOWN;
    if (c === ')' || c === '*' || c === '+' || c === '?' || c === '{') throw new UnsupportedSyntax();
    return literal(c);
  }

  private parseGroup(): Info {
    let lookaround = false;
    if (this.source.startsWith('?:', this.at)) this.at += 2;
    else if (this.source.startsWith('?=', this.at) || this.source.startsWith('?!', this.at)) [this.at, lookaround] = [this.at + 2, true];
    else if (this.source.startsWith('?<=', this.at) || this.source.startsWith('?<!', this.at)) [this.at, lookaround] = [this.at + 3, true];
    else if (this.peek() === '?') throw new UnsupportedSyntax(); // named groups and the like
    const inner = this.parseAlternation();
    if (this.next() !== ')') throw new UnsupportedSyntax();
    return lookaround ? EMPTY : inner;
  }

  /** A class like `[ао]` or `[^\s|#]`: enumerated when small and positive, else unknown. */
  private parseClass(): Info {
    const negated = this.peek() === '^';
    if (negated) this.at += 1;
    const chars = new Set<string>();
    let enumerable = !negated;
    let first = true;
    while (this.peek() !== ']' || first) {
      first = false;
      if (this.atEnd()) throw new UnsupportedSyntax();
      let c = this.next();
      if (c === '\\') {
        const escape = this.parseEscape();
        if (escape.char === null) {
          enumerable = false;
          continue;
        }
        c = escape.char;
      }
      if (this.peek() === '-' && this.source[this.at + 1] !== ']') {
        this.at += 1;
        let end = this.next();
        if (end === '\\') end = this.parseEscape().char ?? '';
        const from = c.codePointAt(0) ?? 0;
        const to = end.codePointAt(0) ?? -1;
        if (end === '' || to < from || to - from > MAX_EXACT) enumerable = false;
        else for (let code = from; code <= to; code += 1) chars.add(String.fromCodePoint(code));
        continue;
      }
      chars.add(c);
    }
    this.at += 1;
    if (!enumerable || chars.size === 0 || chars.size > MAX_EXACT) return UNKNOWN;
    return { exact: chars, factors: [] };
  }

  /** After a backslash: the one character it stands for, or null for a class such as `\s`. */
  private parseEscape(): { char: string | null; info: Info } {
    const c = this.next();
    if ('dDsSwWbB'.includes(c)) return { char: null, info: c === 'b' || c === 'B' ? EMPTY : UNKNOWN };
    if (/[1-9k]/.test(c) || c === 'p' || c === 'P' || c === 'u' || c === 'x' || c === 'c') throw new UnsupportedSyntax();
    const char = c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c === 'f' ? '\f' : c === 'v' ? '\v' : c === '0' ? '\0' : c;
    if (/[a-zA-Z]/.test(c) && char === c) throw new UnsupportedSyntax();
    return { char, info: literal(char) };
  }

  private peek(): string {
    return this.source[this.at] ?? '';
  }

  private next(): string {
    const c = this.source[this.at];
    if (c === undefined) throw new UnsupportedSyntax();
    this.at += 1;
    return c;
  }
}

function literal(c: string): Info {
  return { exact: new Set([c]), factors: [] };
}

/** Every string of `a` followed by every string of `b`, or null when that set grows too large. */
function product(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> | null {
  if (a.size * b.size > MAX_EXACT) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

/**
 * A concatenation: exact strings are multiplied while the set stays small; when it cannot
 * grow further, the strings so far become one more guarantee (every match contains one of
 * them), and the product starts again after that point.
 */
function sequence(items: readonly Info[]): Info {
  const factors: ReadonlySet<string>[] = [];
  let run: ReadonlySet<string> | null = new Set(['']);
  for (const item of items) {
    factors.push(...item.factors);
    const next: Set<string> | null = run !== null && item.exact !== null ? product(run, item.exact) : null;
    if (next !== null) {
      run = next;
      continue;
    }
    if (run !== null) factors.push(run);
    run = item.exact;
  }
  if (run !== null) factors.push(run);
  return { exact: exactOf(items), factors: factors.filter(useful) };
}

/** The exact set of a whole concatenation when it stays small, else null. */
function exactOf(items: readonly Info[]): ReadonlySet<string> | null {
  let run: ReadonlySet<string> | null = new Set(['']);
  for (const item of items) {
    if (run === null || item.exact === null) return null;
    run = product(run, item.exact);
  }
  return run;
}

/** Alternatives: a guarantee holds only if every branch gives one; their best ones are united. */
function alternation(branches: readonly Info[]): Info {
  let exact: Set<string> | null = new Set();
  for (const branch of branches) {
    if (exact === null || branch.exact === null) {
      exact = null;
      break;
    }
    for (const s of branch.exact) exact.add(s);
    if (exact.size > MAX_EXACT) exact = null;
  }
  const union = new Set<string>();
  for (const branch of branches) {
    const best = choose(candidates(branch));
    if (best === null) return { exact, factors: [] };
    for (const s of best) union.add(s);
  }
  return { exact, factors: [minimal(union)] };
}

/** `atom{min,max}` as a sequence: `min` copies of the atom (at most a few), then what is optional. */
function repeat(atom: Info, min: number, max: number): Info[] {
  const copies = Math.min(min, MAX_COPIES);
  const items: Info[] = Array.from({ length: copies }, () => atom);
  if (max > copies) items.push(max === copies + 1 && min <= copies && atom.exact !== null ? { exact: new Set(['', ...atom.exact]), factors: [] } : UNKNOWN);
  return items;
}

/** Copies of a repeated atom written out; `x{5}` is read as `xxx` and something unknown. */
const MAX_COPIES = 3;

/** Every guarantee a piece gives, its exact set counting as one. */
function candidates(info: Info): ReadonlySet<string>[] {
  const all = [...info.factors];
  if (info.exact !== null && useful(info.exact)) all.push(info.exact);
  return all;
}

function useful(set: ReadonlySet<string>): boolean {
  for (const s of set) if (s.length < MIN_USEFUL_LENGTH) return false;
  return set.size > 0 && set.size <= MAX_LITERALS * 4;
}

/** The cheapest strong guarantee: long shortest literal first, then few literals. */
function choose(sets: readonly ReadonlySet<string>[]): ReadonlySet<string> | null {
  let best: ReadonlySet<string> | null = null;
  let bestScore = -Infinity;
  for (const set of sets) {
    if (!useful(set)) continue;
    const reduced = minimal(set);
    if (reduced.size > MAX_LITERALS) continue;
    const shortest = Math.min(...[...reduced].map((s) => s.length));
    const score = Math.min(shortest, 6) * 4 - Math.log2(reduced.size);
    if (score > bestScore) [best, bestScore] = [reduced, score];
  }
  return best;
}

/** Drops literals that contain another literal of the set: finding the shorter one is enough. */
function minimal(set: ReadonlySet<string>): Set<string> {
  const sorted = [...set].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const s of sorted) if (!kept.some((k) => s.includes(k))) kept.push(s);
  return new Set(kept);
}
