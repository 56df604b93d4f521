/**
 * Splits words a user typed without spaces in front of a person word: `talktoahuman` →
 * `talk to a human`, `счеловеком` → `с человеком`, `позовитеоператора` → `позовите оператора`.
 *
 * A token is split only when a person word starts inside it and everything before that point
 * is a run of words from `lexicon` (small words of requests: to, a, with, с, позовите…), so
 * `superhuman`, `salesperson` or `бесчеловечный` stay whole. Pure; a message without a glued
 * person word costs one regex test.
 *
 * @example glueSplitter('human|agent', ['talk', 'to', 'a'])('talktoahuman') === 'talk to a human'
 */
export function glueSplitter(stems: string, lexicon: readonly string[]): (normal: string) => string {
  const glued = new RegExp(`[^\\s|#](?:${stems})`);
  const stemAt = new RegExp(`(?:${stems})`, 'y');
  const words = new Set(lexicon);
  const longest = Math.max(...lexicon.map((word) => word.length));
  return (normal) => {
    if (!glued.test(normal)) return normal;
    return normal
      .split(' ')
      .map((token) => splitToken(token, stemAt, words, longest) ?? token)
      .join(' ');
  };
}

/** Longest prefix looked at: a glued request is a few short words. */
const MAX_PREFIX = 24;

function splitToken(token: string, stemAt: RegExp, words: ReadonlySet<string>, longest: number): string | null {
  for (let k = 1; k < token.length && k <= MAX_PREFIX; k += 1) {
    stemAt.lastIndex = k;
    if (!stemAt.test(token)) continue;
    const prefix = segment(token.slice(0, k), words, longest);
    if (prefix !== null) return `${prefix.join(' ')} ${token.slice(k)}`;
  }
  return null;
}

/** The prefix as lexicon words (fewest words first found by dynamic programming), or null. */
function segment(text: string, words: ReadonlySet<string>, longest: number): string[] | null {
  const best: (string[] | null)[] = [[]];
  for (let end = 1; end <= text.length; end += 1) {
    best[end] = null;
    for (let start = Math.max(0, end - longest); start < end; start += 1) {
      const before = best[start];
      const word = text.slice(start, end);
      if (before !== null && before !== undefined && words.has(word)) {
        const current = best[end];
        if (current === null || current === undefined || current.length > before.length + 1) best[end] = [...before, word];
      }
    }
  }
  return best[text.length] ?? null;
}
