import { renderMarkdown } from './markdown.render';
import { findChunkRanges } from './plain-text.split';
import { richTextToPlain, sliceRichText } from './rich-text.model';
import { TELEGRAM_TEXT_LIMIT } from './telegram.limits';
import { richTextToTelegramHtml } from './telegram-html.serialize';

/**
 * One Telegram message ready to send: `html` for parse_mode 'HTML', and `plain` — the same
 * visible text without markup, used as the fallback when Telegram still refuses the HTML.
 */
export interface TelegramChunk {
  readonly html: string;
  readonly plain: string;
}

/**
 * Renders an LLM's Markdown answer to Telegram HTML and splits it into messages whose visible
 * text is at most `limit` characters (default 4096, Telegram's limit; UTF-16 code units, as
 * Telegram counts them). Cuts prefer paragraph breaks, then line breaks, sentence ends and
 * spaces, and never fall inside a tag or an entity; a span cut in two (a long code block) is
 * closed at the end of one message and reopened at the start of the next. Empty or
 * whitespace-only input gives no chunks. Send the chunks in order.
 *
 * @example
 * for (const chunk of formatForTelegram(answer)) {
 *   await telegram.sendHtml(chatId, chunk.html).catch(() => telegram.sendText(chatId, chunk.plain));
 * }
 * @throws RangeError when `limit` is not an integer of at least 2.
 */
export function formatForTelegram(markdown: string, limit: number = TELEGRAM_TEXT_LIMIT): TelegramChunk[] {
  const rich = renderMarkdown(markdown);
  const visible = richTextToPlain(rich);
  return findChunkRanges(visible, limit).map((range) => ({
    html: richTextToTelegramHtml(sliceRichText(rich, range.start, range.end)),
    plain: visible.slice(range.start, range.end),
  }));
}
