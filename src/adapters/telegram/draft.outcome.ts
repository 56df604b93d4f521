/**
 * What became of one `sendMessageDraft`, in words the draft streamer acts on. A draft is a
 * preview that the next one replaces, so no outcome is ever retried: the caller sends the latest
 * text later, or stops sending drafts.
 */
export type DraftOutcome =
  /** Telegram shows it. */
  | { kind: 'sent' }
  /**
   * Not shown this time; a later draft may be. `rate_limited` carries Telegram's `retry_after` in
   * seconds: send no draft to this chat before it has passed (the final `sendMessage` shares the
   * chat's limit). `failed`: a 5xx, a network failure or a timeout, or a 4xx that is about this
   * draft alone.
   */
  | { kind: 'skipped'; reason: 'rate_limited'; retryAfter: number }
  | { kind: 'skipped'; reason: 'failed'; code: number | null }
  /**
   * No drafts here: a Bot API server older than 9.3 (method not found), or a chat where drafts
   * cannot be shown (not a private chat with the bot). Fall back to the typing indicator for
   * this answer.
   */
  | { kind: 'unsupported'; description: string }
  /** The HTML was refused ("can't parse entities"): send the rest of this answer's drafts as plain text. */
  | { kind: 'parse_error' }
  /** 403: the user blocked the bot. Send nothing more; the final `sendMessage` reports it as usual. */
  | { kind: 'blocked' };

/** Options of a draft: the Stop button (Bot API 10.3), HTML, a forum thread. */
export interface DraftOptions {
  /** Shows the user a Stop button; pressing it sends the bot a `stopped_message_generation` update. */
  canStop?: boolean;
  /** With `canStop`: after Stop, Telegram keeps showing the draft's text until the bot's answer replaces it. */
  keepOnStop?: boolean;
  /** `HTML` for text rendered by `src/text`; omitted for plain text. */
  parseMode?: 'HTML';
  /** The forum thread of a private chat with topics, if any. */
  threadId?: number | null;
}

/** Descriptions of 400 answers that mean "drafts cannot be shown in this chat" (lower case). */
const NO_DRAFTS_HERE = ['textdraft_peer_invalid', 'peer_invalid', 'only in private chats', 'not a private chat', 'method is available only'];

/**
 * Classifies a refused `sendMessageDraft` by its error code and description: 429 is skipped with
 * its `retry_after` (1 s when Telegram gives none), 404 "method not found" and the "no drafts in
 * this chat" answers are `unsupported`, a refused HTML is `parse_error`, 403 is `blocked`, the
 * rest is skipped as `failed`.
 */
export function draftOutcomeOf(code: number, description: string, retryAfter?: number): DraftOutcome {
  const d = description.toLowerCase();
  if (code === 429) return { kind: 'skipped', reason: 'rate_limited', retryAfter: retryAfter ?? 1 };
  if (code === 403) return { kind: 'blocked' };
  if (code === 404 || d.includes('method not found')) return { kind: 'unsupported', description };
  if (code === 400 && NO_DRAFTS_HERE.some((words) => d.includes(words))) return { kind: 'unsupported', description };
  if (code === 400 && (d.includes("can't parse entities") || d.includes("can't find end of the entity"))) return { kind: 'parse_error' };
  return { kind: 'skipped', reason: 'failed', code };
}
