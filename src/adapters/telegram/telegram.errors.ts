/**
 * What went wrong talking to the Bot API, in words the rest of the service can act on.
 * `kind` is stable: code branches on it, never on Telegram's description text.
 */
export type TelegramErrorKind =
  | 'blocked' // 403: the user blocked the bot or deleted the account
  | 'thread_not_found' // 400: the forum topic was deleted
  | 'topic_closed' // 400: an operator closed the forum topic
  | 'parse_error' // 400: the HTML was refused
  | 'rate_limited' // 429 beyond what we are willing to wait
  | 'server' // 5xx after retries
  | 'network' // no answer after retries
  | 'bad_request'; // any other 4xx

/** A failed Bot API call. Carries no token and no message text. */
export class TelegramApiError extends Error {
  constructor(
    readonly kind: TelegramErrorKind,
    readonly method: string,
    readonly code: number | null,
    readonly description: string,
    readonly retryAfter?: number,
  ) {
    super(`Telegram ${method} failed (${kind}${code ? ` ${code}` : ''}): ${description}`);
    this.name = 'TelegramApiError';
  }
}

/**
 * Classifies a Bot API error answer. Both fields are optional in what a server may send
 * (`description` is documented as optional; a third-party server may omit `error_code`): a 403
 * without a description still means "blocked", and no code at all is a plain refusal.
 */
export function classifyTelegramError(code: number | null | undefined, description?: string | null): TelegramErrorKind {
  const d = typeof description === 'string' ? description.toLowerCase() : '';
  if (typeof code !== 'number') return 'bad_request';
  if (code === 403) return 'blocked';
  if (code === 429) return 'rate_limited';
  if (code >= 500) return 'server';
  if (d.includes('topic_closed')) return 'topic_closed';
  if (d.includes('thread not found') || d.includes('topic_deleted')) return 'thread_not_found';
  if (d.includes("can't parse entities") || d.includes('can\'t find end of the entity')) return 'parse_error';
  return 'bad_request';
}

/**
 * An edit refused because it changes nothing ("message is not modified"): the copy reads so
 * already (the edit was applied before a crash kept it from being recorded). Still a
 * `bad_request` by kind, as callers that take any refused edit as harmless expect.
 */
export function isNotModified(error: unknown): boolean {
  return error instanceof TelegramApiError && error.kind === 'bad_request' && error.description.toLowerCase().includes('message is not modified');
}
