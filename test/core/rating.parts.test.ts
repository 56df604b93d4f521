import { Redis } from 'ioredis';
import { RatingCommentMarker } from '../../src/adapters/redis/rating-comment.marker';
import { parseRatingButton, RATING_CALLBACK } from '../../src/core/effects/rating.effects';
import { Metrics, RATED_OPERATORS_MAX } from '../../src/metrics';
import { TEST_REDIS_URL } from '../support/env';

describe('the parts of ratings (CSAT)', () => {
  it('reads only its own buttons: a score 1-5 or the comment, with a dialog number', () => {
    expect(parseRatingButton(RATING_CALLBACK.score(12, 4))).toEqual({ dialogId: 12, choice: 4 });
    expect(parseRatingButton(RATING_CALLBACK.comment(12))).toEqual({ dialogId: 12, choice: 'comment' });
    for (const data of ['rate:12:0', 'rate:12:6', 'rate:0:3', 'rate:012:3', 'rate:12:4:x', 'take:12', 'human', 'rate:1234567890123456:3']) {
      expect(parseRatingButton(data)).toBeNull();
    }
    expect(Buffer.byteLength(RATING_CALLBACK.comment(999_999_999_999_999))).toBeLessThanOrEqual(64);
  });

  it('the comment marker is used once, and takes nothing while Redis is away (the message is then a question, not swallowed)', async () => {
    const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true });
    await redis.connect();
    try {
      const marker = RatingCommentMarker.create(redis, 60_000);
      await marker.expect(4242, 7);
      expect(await redis.pttl('csat:comment:4242')).toBeGreaterThan(50_000);
      expect(await marker.take(4242)).toBe(7);
      expect(await marker.take(4242)).toBeNull();
    } finally {
      await redis.del('csat:comment:4242');
      await redis.quit();
    }
    const away = new Redis('redis://127.0.0.1:1/0', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    expect(await RatingCommentMarker.create(away).take(4242)).toBeNull();
    away.disconnect();
  });

  it('counts ratings by operator with a bounded label set: past the limit, operators are "other"', async () => {
    const metrics = new Metrics({ openDialogsByState: async () => [], inboxPending: async () => 0 });
    for (let id = 1; id <= RATED_OPERATORS_MAX + 5; id += 1) metrics.rated(id, 5);
    metrics.rated(1, 3);
    metrics.rated(null, 1);
    const text = await metrics.registry.getSingleMetricAsString('bot_csat_rating');
    const labels = new Set([...text.matchAll(/bot_csat_rating_count\{operator="([^"]+)"\}/g)].map((m) => m[1]));
    expect(labels.size).toBe(RATED_OPERATORS_MAX + 2); // the first 100, "other" and "none"
    expect(text).toContain('bot_csat_rating_count{operator="other"} 5');
    expect(text).toContain('bot_csat_rating_count{operator="1"} 2');
    expect(text).toContain('bot_csat_rating_sum{operator="1"} 8');
    expect(text).toContain('bot_csat_rating_count{operator="none"} 1');
  });
});
