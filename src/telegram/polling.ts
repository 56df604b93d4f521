import type { TelegramClient } from '../adapters/telegram/telegram.client';
import type { Logger } from '../logger';
import type { Inbox } from '../store/inbox.store';
import { ALLOWED_UPDATES, laneOf, type TgUpdate } from './update.types';

/** The shortest pause after an empty or failed `getUpdates`: a server that answers at once with nothing is not asked in a loop. */
const MIN_PAUSE_MS = 1000;

/**
 * Polling mode (local development without a public URL): getUpdates feeds the same inbox the
 * webhook does, so processing is identical. The offset advances only after an update is stored.
 */
export function startPolling(deps: {
  telegram: TelegramClient;
  inbox: Inbox;
  operatorChatId: number;
  onStored: () => void;
  log: Logger;
  /** Told of every update read (metrics), as the webhook tells of every update received. */
  received?: (update: TgUpdate, outcome: 'stored' | 'duplicate' | 'ignored') => void;
}): { stop(): Promise<void> } {
  let running = true;
  let offset = 0;
  const pause = () => new Promise((r) => setTimeout(r, MIN_PAUSE_MS));
  const loop = (async () => {
    while (running) {
      const started = Date.now();
      try {
        const updates = (await deps.telegram.getUpdates(offset, 25, ALLOWED_UPDATES)) as TgUpdate[];
        for (const update of updates) {
          const lane = laneOf(update, deps.operatorChatId);
          const stored = lane !== null && (await deps.inbox.store(update, lane));
          deps.received?.(update, lane === null ? 'ignored' : stored ? 'stored' : 'duplicate');
          if (stored) deps.onStored();
          offset = update.update_id + 1;
        }
        if (updates.length === 0 && Date.now() - started < MIN_PAUSE_MS) await pause();
      } catch (error) {
        if (!running) break;
        deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'getUpdates failed; retrying');
        await pause();
      }
    }
  })();
  return {
    async stop() {
      running = false;
      // A long poll in flight ends by itself within its timeout; do not wait for it all.
      await Promise.race([loop, new Promise((r) => setTimeout(r, 1500))]);
    },
  };
}
