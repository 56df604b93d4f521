import type { Mark } from './rich-text.model';

/**
 * Fits a stack of marks (outermost first) to Telegram's nesting rules, so that Telegram
 * keeps every entity instead of dropping or refusing some:
 * - `pre` contains nothing and sits in nothing: a code block stands alone;
 * - `code` sits in nothing but a quote (bold, italic, strike, a link cannot hold it);
 *   inside a link the link wins and the code is shown as ordinary link text;
 * - a quote is never inside a quote, a link never inside a link, and bold, italic or strike
 *   are not repeated inside themselves.
 *
 * Marks keep their identity, so runs that share an outer span still share its tag.
 */
export function fitTelegramNesting(marks: readonly Mark[]): readonly Mark[] {
  const pre = marks.find((mark) => mark.kind === 'pre');
  if (pre !== undefined) return [pre];
  const inLink = marks.some((mark) => mark.kind === 'link');
  const code = inLink ? undefined : marks.find((mark) => mark.kind === 'code');
  const fitted: Mark[] = [];
  const seen = new Set<Mark['kind']>();
  for (const mark of marks) {
    if (mark.kind === 'code' || seen.has(mark.kind)) continue;
    if (code !== undefined && mark.kind !== 'quote') continue;
    seen.add(mark.kind);
    fitted.push(mark);
  }
  if (code !== undefined) fitted.push(code);
  return fitted;
}
