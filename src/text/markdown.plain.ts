import { renderMarkdown } from './markdown.render';
import { richTextToPlain } from './rich-text.model';

/**
 * The words of an LLM answer without its Markdown (`**bold**` → `bold`, `> quote` → `quote`),
 * for places that quote it as plain text, such as the last messages on a ticket.
 *
 * @example markdownToPlain('**Delivery** takes _2 days_') // 'Delivery takes 2 days'
 */
export function markdownToPlain(markdown: string): string {
  return richTextToPlain(renderMarkdown(markdown)).trim();
}
