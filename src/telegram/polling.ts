import type { TelegramClient } from '../adapters/telegram/telegram.client';
import { ALLOWED_UPDATES } from './update.types';
import type { Logger } from '../logger';
import type { UpdateIntake } from './update.intake';

/** What {@link startPolling} needs. */
export interface PollingDeps {
  telegram: Pick<TelegramClient, 'getUpdates'>;
  /** Where each update goes: the same intake as the webhook's, so checks, storage and metrics are identical. */
  intake: Pick<UpdateIntake, 'admit'>;
  log: Logger;
  /** The long poll's `timeout` in seconds (default 25). */
  timeoutSeconds?: number;
  /**
   * The least time between two getUpdates calls when the last one brought nothing (default
   * 1000 ms): a server that ignores `timeout` and answers at once would otherwise be called
   * thousands of times a second.
   */
  minPauseMs?: number;
  /** The pause after a failed getUpdates, doubled after each failure in a row up to `maxPauseMs` (default 1000 ms). */
  errorPauseMs?: number;
  /** The longest pause after failures in a row (default 30 s). */
  maxPauseMs?: number;
}

/** A running getUpdates loop. */
export interface Polling {
  /** Stops asking; a long poll in flight is not waited for longer than 1.5 s. */
  stop(): Promise<void>;
}

/**
 * Polling mode (local development without a public URL): getUpdates feeds the same intake the
 * webhook does, so processing is identical. The offset advances only after an update is stored
 * (or set aside as rejected). After an empty answer the loop waits out the rest of `minPauseMs`
 * since the call began; after a failure it backs off (1 s, 2 s, 4 s… up to 30 s).
 *
 * @example const polling = startPolling({ telegram, intake, log }); … await polling.stop();
 */
export function startPolling(deps: PollingDeps): Polling {
  const timeoutSeconds = deps.timeoutSeconds ?? 25;
  const minPauseMs = deps.minPauseMs ?? 1000;
  const errorPauseMs = deps.errorPauseMs ?? 1000;
  const maxPauseMs = deps.maxPauseMs ?? 30_000;
  let running = true;
  let offset = 0;
  let failures = 0;
  let wake: (() => void) | null = null;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const loop = (async () => {
    while (running) {
      const startedAt = Date.now();
      try {
        const updates = await deps.telegram.getUpdates(offset, timeoutSeconds, ALLOWED_UPDATES);
        failures = 0;
        for (const update of Array.isArray(updates) ? updates : []) {
          const id = (update as { update_id?: unknown }).update_id;
          await deps.intake.admit(update);
          if (typeof id === 'number' && Number.isSafeInteger(id) && id >= offset) offset = id + 1;
        }
        const rest = minPauseMs - (Date.now() - startedAt);
        if ((!Array.isArray(updates) || updates.length === 0) && rest > 0 && running) await pause(rest);
      } catch (error) {
        if (!running) break;
        failures += 1;
        const wait = Math.min(maxPauseMs, errorPauseMs * 2 ** Math.min(failures - 1, 16));
        deps.log.warn({ err: error instanceof Error ? error.message : String(error), failures, retryInMs: wait }, 'getUpdates failed; retrying');
        await pause(wait);
      }
    }
  })();
  return {
    async stop() {
      running = false;
      wake?.();
      // A long poll in flight ends by itself within its timeout; do not wait for it all.
      await Promise.race([loop, new Promise((r) => setTimeout(r, 1500).unref())]);
    },
  };
}
