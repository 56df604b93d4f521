import type { Redis } from 'ioredis';

/** What the window says about one message. */
export interface FloodVerdict {
  /** Over the limit: the message is not answered. */
  flooding: boolean;
  /** The first message over the limit this minute: the user is asked, once, to slow down. */
  tellUser: boolean;
}

/**
 * Flood control as a sliding window in Redis, so it holds across replicas: each user's messages
 * of the last minute are a sorted set (member: the update id, so a redelivered update counts once;
 * score: when it arrived). More than `limit` in the window is flooding; the first message over it
 * claims a one-minute "told" key, so the user hears "slow down" once. When Redis cannot be
 * reached the window lets everything through: flood control never stops the service.
 *
 * @example if ((await flood.check(chatId, update.update_id, receivedAt)).flooding) return;
 */
export class FloodWindow {
  private constructor(
    private readonly redis: Redis,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** `limit` messages per `windowMs` (default one minute) per user. */
  static create(redis: Redis, limit: number, windowMs = 60_000): FloodWindow {
    return new FloodWindow(redis, limit, windowMs);
  }

  /** Counts the message `updateId` of `chatId`, received at `at` (ms), and says whether it floods. */
  async check(chatId: number, updateId: number, at: number): Promise<FloodVerdict> {
    const key = `flood:${chatId}`;
    try {
      const replies = await this.redis
        .multi()
        .zremrangebyscore(key, '-inf', at - this.windowMs)
        .zadd(key, 'NX', at, String(updateId))
        .zcount(key, '-inf', at)
        .pexpire(key, this.windowMs)
        .exec();
      const count = Number(replies?.[2]?.[1] ?? 0);
      if (count <= this.limit) return { flooding: false, tellUser: false };
      const told = await this.redis.set(`flood:told:${chatId}`, '1', 'PX', this.windowMs, 'NX');
      return { flooding: true, tellUser: told === 'OK' };
    } catch {
      return { flooding: false, tellUser: false };
    }
  }
}
