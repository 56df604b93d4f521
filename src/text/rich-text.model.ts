/**
 * A formatting span that Telegram's HTML parse mode understands. Marks are compared by
 * identity: two runs inside the same `**bold**` share one mark object, so the serializer keeps
 * them in one `<b>` and a split reopens exactly the spans that were open at the cut.
 */
export type Mark =
  | { readonly kind: 'bold' | 'italic' | 'strike' | 'code' | 'quote' }
  | { readonly kind: 'pre'; readonly language: string | undefined }
  | { readonly kind: 'link'; readonly href: string };

/** A stretch of visible text and the marks around it, outermost first. */
export interface TextRun {
  readonly text: string;
  readonly marks: readonly Mark[];
}

/**
 * Formatted text as Telegram shows it: the runs' texts joined are the visible text. It sits
 * between the Markdown parser and the HTML serializer so that splitting can count and cut
 * visible characters without ever looking inside a tag or an entity.
 */
export type RichText = readonly TextRun[];

/** The visible text of `rich`: what the user reads, and the plain-text fallback. */
export function richTextToPlain(rich: RichText): string {
  return rich.map((run) => run.text).join('');
}

/**
 * The part of `rich` between visible offsets `start` (inclusive) and `end` (exclusive).
 * Marks are kept as they are, so the serializer closes them at the end of the part and the
 * next part reopens them.
 */
export function sliceRichText(rich: RichText, start: number, end: number): TextRun[] {
  const parts: TextRun[] = [];
  let offset = 0;
  for (const run of rich) {
    const runEnd = offset + run.text.length;
    if (runEnd > start && offset < end) {
      parts.push({ text: run.text.slice(Math.max(start - offset, 0), Math.min(end, runEnd) - offset), marks: run.marks });
    }
    if (runEnd >= end) break;
    offset = runEnd;
  }
  return parts;
}
