/**
 * What a draft shows of an answer still being written: pure text transforms, no I/O.
 *
 * A draft is rendered like the final answer (LLM Markdown → Telegram HTML through `src/text`),
 * so the preview looks like the message that replaces it and nothing jumps at the end. Two
 * things differ from the final answer:
 * - Markdown cut off mid-span is closed first (`**bold` shows bold, not two asterisks that
 *   turn into bold a second later); see {@link closeOpenMarkdown}.
 * - A draft is one message of at most 4096 characters: past that it shows the tail, the part
 *   being written, after "… " (the final answer is split into several messages as usual).
 */
import { formatForTelegram, TELEGRAM_TEXT_LIMIT } from '../text';

/** A draft ready for `sendDraft`: `parseMode` 'HTML' for rendered text, none for plain text. */
export interface DraftText {
  readonly text: string;
  readonly parseMode?: 'HTML';
}

/** What a draft that shows only the tail of a long answer starts with. */
export const DRAFT_TAIL_MARK = '… ';

/**
 * The draft for `markdownSoFar`: Telegram HTML (`format` 'html', the default) or the same visible
 * text without markup ('plain', after Telegram refused a draft's HTML). Empty or blank input gives
 * '' (Telegram's "Thinking…" placeholder). The visible text is at most 4096 characters.
 *
 * @example draftText('Откройте **Настройки') // { text: 'Откройте <b>Настройки</b>', parseMode: 'HTML' }
 */
export function draftText(markdownSoFar: string, format: 'html' | 'plain' = 'html'): DraftText {
  const chunks = formatForTelegram(closeOpenMarkdown(markdownSoFar), TELEGRAM_TEXT_LIMIT - DRAFT_TAIL_MARK.length);
  const last = chunks.at(-1);
  if (last === undefined) return format === 'html' ? { text: '', parseMode: 'HTML' } : { text: '' };
  const mark = chunks.length > 1 ? DRAFT_TAIL_MARK : '';
  return format === 'html' ? { text: mark + last.html, parseMode: 'HTML' } : { text: mark + last.plain };
}

/**
 * Closes what a stream cut off in the middle, so a partial answer renders as it will once
 * complete: an open inline code span (an odd number of single backticks) gets its closing
 * backtick, then an open `**` its closing `**`, both counted in the last paragraph and outside
 * code. Inside an open code fence nothing changes: the renderer already shows the rest as code.
 * Only drafts use this; the final answer is rendered from the whole text.
 *
 * @example closeOpenMarkdown('Нажмите **Сохранить') // 'Нажмите **Сохранить**'
 */
export function closeOpenMarkdown(markdown: string): string {
  const fences = markdown.match(/^ {0,3}(```|~~~)/gm)?.length ?? 0;
  if (fences % 2 === 1) return markdown;
  const paragraph = markdown.slice(lastParagraphStart(markdown));
  let closing = '';
  const ticks = paragraph.replace(/```/g, '').match(/`/g)?.length ?? 0;
  if (ticks % 2 === 1) closing += '`';
  const outsideCode = (paragraph + closing).replace(/`[^`]*`/g, '');
  const stars = outsideCode.match(/\*\*/g)?.length ?? 0;
  if (stars % 2 === 1) closing += '**';
  if (closing === '') return markdown;
  // A marker must touch its text: "**word " closes as "**word**", not "**word **".
  return markdown.replace(/\s+$/, '') + closing;
}

/** Where the last paragraph (after the last blank line) starts. */
function lastParagraphStart(markdown: string): number {
  const breaks = [...markdown.matchAll(/\n[^\S\n]*\n/g)];
  const last = breaks.at(-1);
  return last === undefined ? 0 : (last.index ?? 0) + last[0].length;
}
