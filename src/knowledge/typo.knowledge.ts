/**
 * Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions): the
 * number of single-letter insertions, deletions, substitutions and swaps between two words.
 * Trigram similarity finds neighbours fast; this decides whether a neighbour is a typo of the
 * query word, which trigrams judge poorly for swaps (`дотсавка` vs `доставка`: similarity 0.38,
 * distance 1).
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prevPrev = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let row = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i += 1) {
    row[0] = i;
    for (let j = 1; j <= m; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (prevPrev[j - 2] as number) + 1);
      row[j] = best;
    }
    [prevPrev, prev, row] = [prev, row, prevPrev];
  }
  return prev[m] as number;
}

/**
 * How many edits a word of this length may carry and still count as a typo of a known word:
 * none below 5 letters (too many short words are one edit apart: rent/sent, кот/код), 1 up
 * to 8, 2 from 9.
 */
export function typoBudget(length: number): number {
  if (length < 5) return 0;
  return length < 9 ? 1 : 2;
}

/**
 * True when `word` is within {@link typoBudget} edits of `known` (judged by the shorter) and
 * starts with the same letter: people rarely mistype the first letter, and words that differ
 * there are usually other words (`iphone` / `phone`, `rent` / `sent`).
 */
export function isTypoOf(word: string, known: string): boolean {
  const budget = typoBudget(Math.min(word.length, known.length));
  return budget > 0 && word[0] === known[0] && Math.abs(word.length - known.length) <= budget && editDistance(word, known) <= budget;
}
