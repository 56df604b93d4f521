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
  // Where a person word starts inside a token: only those places are tried.
  const glued = new RegExp(`(?<=[^\\s|#])(?:${stems})`, 'g');
  const words = new Set(lexicon);
  const longest = Math.max(...lexicon.map((word) => word.length));
  return (normal) => {
    glued.lastIndex = 0;
    if (!glued.test(normal)) return normal;
    glued.lastIndex = 0;
    let out = '';
    let copied = 0;
    for (let match = glued.exec(normal); match !== null; match = glued.exec(normal)) {
      const at = match.index;
      const start = normal.lastIndexOf(' ', at) + 1;
      if (start < copied || at - start > MAX_PREFIX) continue;
      const prefix = segment(normal.slice(start, at), words, longest);
      if (prefix === null) continue;
      out += `${normal.slice(copied, start)}${prefix.join(' ')} `;
      copied = at;
    }
    return copied === 0 ? normal : out + normal.slice(copied);
  };
}

/** Longest prefix looked at: a glued request is a few short words. */
const MAX_PREFIX = 24;

/** The prefix as lexicon words (fewest words, by dynamic programming), or null. */
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
