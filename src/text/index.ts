/**
 * Text for Telegram: LLM Markdown rendered to Telegram HTML and split into messages, plus the
 * helpers other modules need for texts that are not Markdown. Pure code, no I/O.
 */
export { escapeHtml } from './html.escape';
export { formatForTelegram } from './message.split';
export { markdownToPlain } from './markdown.plain';
export type { TelegramChunk } from './message.split';
export { splitPlainText } from './plain-text.split';
export { TELEGRAM_TEXT_LIMIT } from './telegram.limits';
export { visibleLength } from './visible.length';
