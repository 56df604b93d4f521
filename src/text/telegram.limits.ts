/**
 * Telegram's limit for one message's visible text: 1–4096 characters counted after entity
 * parsing, in UTF-16 code units (tags are not counted, `&lt;` counts as one).
 * Captions have a smaller limit (1024): pass it as `limit` where a function takes one.
 */
export const TELEGRAM_TEXT_LIMIT = 4096;

/**
 * Checks a caller-supplied chunk limit. At least 2 is needed so that a chunk can always hold
 * one whole code point (an emoji is a surrogate pair: two UTF-16 code units).
 *
 * @throws RangeError when `limit` is not an integer of at least 2.
 */
export function assertTextLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 2) {
    throw new RangeError(
      `text limit must be an integer of at least 2 (got ${String(limit)}): use TELEGRAM_TEXT_LIMIT (4096) for messages or 1024 for captions`,
    );
  }
}
