/**
 * Small helpers for writing rules as readable regex templates over normalised text
 * (see `normalize.text.ts`). All of them return regex source strings except `rule`,
 * `blocker` and `bareClause`, which compile; call those at module load only, never per message.
 *
 * Normalised text is tokens separated by single spaces, so a word boundary is simply "start,
 * end or a space", and the rest of a word is "anything but a space, `|` or `#`". That keeps
 * the regexes free of Unicode property classes and the `u` flag, which made them several
 * times slower in V8.
 */

/** The rest of a word: the open ending of a stem (`оператор${ANY}` matches оператора, операторами…). */
export const ANY = '[^\\s|#]*';

/** `(?:a|b|c)`: one of the alternatives. */
export function oneOf(...alternatives: readonly string[]): string {
  return `(?:${alternatives.join('|')})`;
}

/**
 * Up to `max` whole tokens, each followed by a space, that may cross a clause break `|` but
 * never a masked span `#`. Put it between two parts of a request: `${verb} ${gap(3)}${person}`.
 * Tokens matching `except` (regex source) are not allowed in the gap.
 */
export function gap(max: number, except?: string): string {
  return `(?:${guard(except)}[^\\s#]+ ){0,${max}}`;
}

/** Like {@link gap}, but stays inside one clause: it crosses neither `|` nor `#`. */
export function gapIn(max: number, except?: string): string {
  return `(?:${guard(except)}[^\\s|#]+ ){0,${max}}`;
}

/** Compiles a rule: the source must match whole tokens (start or space before, end or space after). */
export function rule(source: string): RegExp {
  return new RegExp(bounded(source));
}

/** Compiles a blocker: like {@link rule} with the `g` flag, for masking every occurrence. */
export function blocker(code: string, source: string): { code: string; pattern: RegExp } {
  return { code, pattern: new RegExp(bounded(source), 'g') };
}

/**
 * Compiles the "bare request" rule: a clause (between start, end, `|` or `#`) that contains
 * at least one of `targets` and otherwise only `fillers`.
 */
export function bareClause(targets: string, fillers: string): RegExp {
  const token = `(?:${targets}|${fillers})`;
  return new RegExp(`(?:^|[|#] )(?:${token} )*(?:${targets})(?: ${token})*(?= [|#]|$)`);
}

function bounded(source: string): string {
  return `(?<![^ ])(?:${source})(?![^ ])`;
}

function guard(except: string | undefined): string {
  return except === undefined ? '' : `(?!(?:${except}) )`;
}
