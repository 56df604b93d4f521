import { createHash, timingSafeEqual } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';

/**
 * Parses a JSON body of at most `limit` (e.g. '1mb'): malformed JSON is a 400 `MALFORMED_JSON`,
 * an oversized body a 413 `PAYLOAD_TOO_LARGE`, both through the error boundary.
 */
export function jsonBody(limit: string): Middleware {
  return bodyParser({
    enableTypes: ['json'],
    jsonLimit: limit,
    encoding: 'utf-8',
    onError(error, ctx) {
      const tooLarge = (error as { status?: number }).status === 413;
      ctx.throw(tooLarge ? 413 : 400, tooLarge ? `body over ${limit}` : 'malformed JSON', {
        code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'MALFORMED_JSON',
      });
    },
  }) as Middleware;
}

/** Compares a secret someone sent with the expected one in constant time (hashing makes the lengths equal). */
export function secretsMatch(given: string | undefined, expected: string): boolean {
  const a = createHash('sha256').update(given ?? '').digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given !== undefined && given.length > 0;
}
