/**
 * The delay before retry number `attempt` (1 for the first retry): doubling from `baseMs`, capped
 * at `capMs`. The one backoff of the outbox and the inbox (the adapters' own retries are theirs).
 *
 * @example backoff(1) === 1000; backoff(4) === 8000; backoff(20) === 60000
 */
export function backoff(attempt: number, baseMs = 1000, capMs = 60_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
