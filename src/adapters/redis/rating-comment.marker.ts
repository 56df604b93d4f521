import type { Redis } from 'ioredis';

/** How long after pressing "Add a comment" the user's next message is taken as the comment (default 15 minutes). */
export const COMMENT_WINDOW_MS = 15 * 60_000;

/**
 * "The next message of this user is the comment on dialog N's rating": a short-lived key in
 * Redis, set when the user presses "Add a comment" and taken (GETDEL, so exactly one message
 * becomes the comment) by the router. It expires on its own, so a user who never writes is not
 * caught later. When Redis cannot be reached nothing is taken: the message is answered as a
 * question, never swallowed.
 *
 * @example const dialogId = await marker.take(chatId); // null: an ordinary message
 */
export class RatingCommentMarker {
  private constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
  ) {}

  static create(redis: Redis, ttlMs = COMMENT_WINDOW_MS): RatingCommentMarker {
    return new RatingCommentMarker(redis, ttlMs);
  }

  /** The user's next message (within the window) is the comment on `dialogId`'s rating. */
  async expect(chatId: number, dialogId: number): Promise<void> {
    await this.redis.set(key(chatId), String(dialogId), 'PX', this.ttlMs);
  }

  /** The dialog whose rating this user's message comments on, or null; the marker is used up. */
  async take(chatId: number): Promise<number | null> {
    try {
      const value = await this.redis.getdel(key(chatId));
      const n = Number(value);
      return value !== null && Number.isSafeInteger(n) && n > 0 ? n : null;
    } catch {
      return null;
    }
  }
}

const key = (chatId: number) => `csat:comment:${chatId}`;
