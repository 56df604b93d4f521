import type { Mark, RichText, TextRun } from './rich-text.model';
import { fitTelegramNesting } from './telegram-nesting.policy';

/**
 * Collects rich text while a renderer walks a document. Blocks ask for line breaks with
 * {@link RichTextBuilder.blockBreak}; a break is written only when more text follows, so the
 * result never starts or ends with blank lines. Marks are fitted to Telegram's nesting rules on
 * the way in, and neighbouring runs with the same marks are merged.
 *
 * @example
 * const out = new RichTextBuilder();
 * out.text('Title', [bold]); out.blockBreak(2); out.text('Body', []);
 * out.build(); // [{ text: 'Title', marks: [bold] }, { text: '\n\nBody', marks: [] }]
 */
export class RichTextBuilder {
  private readonly runs: TextRun[] = [];
  private pendingBreak = 0;
  private glued = false;

  /** Appends visible text inside `marks` (outermost first). Empty text is ignored. */
  text(text: string, marks: readonly Mark[]): void {
    if (text === '') return;
    const fitted = fitTelegramNesting(marks);
    if (this.pendingBreak > 0) {
      const last = this.runs.at(-1)?.marks ?? [];
      this.push('\n'.repeat(this.pendingBreak), sharedPrefix(last, fitted));
      this.pendingBreak = 0;
    }
    this.glued = false;
    this.push(text, fitted);
  }

  /** Appends runs of another rich text inside `outer` marks (a rendered table in a quote). */
  append(rich: RichText, outer: readonly Mark[]): void {
    for (const run of rich) this.text(run.text, [...outer, ...run.marks]);
  }

  /** Asks for `lines` line breaks (1: next line, 2: blank line) before the next text. */
  blockBreak(lines: 1 | 2): void {
    if (this.glued) {
      this.glued = false;
      return;
    }
    if (this.runs.length > 0) this.pendingBreak = Math.max(this.pendingBreak, lines);
  }

  /** Skips the next block break: the next block continues this line (an item after its "• "). */
  glue(): void {
    this.glued = true;
  }

  /** The rich text collected so far. */
  build(): RichText {
    return [...this.runs];
  }

  private push(text: string, marks: readonly Mark[]): void {
    const last = this.runs.at(-1);
    if (last !== undefined && sameMarks(last.marks, marks)) {
      this.runs[this.runs.length - 1] = { text: last.text + text, marks: last.marks };
    } else {
      this.runs.push({ text, marks });
    }
  }
}

function sameMarks(a: readonly Mark[], b: readonly Mark[]): boolean {
  return a.length === b.length && a.every((mark, i) => mark === b[i]);
}

function sharedPrefix(a: readonly Mark[], b: readonly Mark[]): readonly Mark[] {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return b.slice(0, n);
}
