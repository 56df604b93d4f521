/**
 * The delay before retry number `attempt` (1 for the first retry): doubling from `baseMs`, capped
 * at `capMs`. The one backoff of the outbox and the inbox (the adapters' own retries are theirs).
 *
 * @example backoff(1) === 1000; backoff(4) === 8000; backoff(20) === 60000
 */
export function backoff(attempt: number, baseMs = 1000, capMs = 60_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/** How often a write is tried again while PostgreSQL is away: soon after it returns, cheaply before. */
const AWAY_RETRY_MS = 250;

/**
 * Runs `write` until it succeeds, again every {@link AWAY_RETRY_MS} while it fails (PostgreSQL
 * is away), for up to `forMs`; then, or once `stopped()`, its last error is thrown. `write` is
 * told its attempt (1 the first time): a write that succeeds only on a later attempt knows that
 * PostgreSQL was away. `onFirstFailure` hears of the first failure (to log it once).
 */
export async function retryWhileAway<T>(
  write: (attempt: number) => Promise<T>,
  options: { forMs: number; stopped: () => boolean; onFirstFailure?: (error: unknown) => void },
): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write(attempt);
    } catch (error) {
      if (attempt === 1) options.onFirstFailure?.(error);
      if (Date.now() - started >= options.forMs || options.stopped()) throw error;
      await new Promise((r) => setTimeout(r, AWAY_RETRY_MS));
    }
  }
}
