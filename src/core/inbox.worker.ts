import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger';
import type { ClaimedUpdate, Inbox } from '../store/inbox.store';
import { retryWhileAway } from './backoff';

/** Processes one claimed update: turns it into a committed step (see {@link IntentRouter}). */
export type UpdateHandler = (update: ClaimedUpdate) => Promise<void>;

/**
 * Runs `concurrency` loops that claim and process updates. `poke()` wakes one idle loop (the
 * webhook calls it after storing an update); a loop that claims something wakes another, so a
 * backlog spreads over the loops. A timer pokes every `pollMs` too, which is how work stored by
 * other processes is found.
 */
export class InboxWorker {
  private stopping = false;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();
  private poller: NodeJS.Timeout | null = null;

  private constructor(
    private readonly inbox: Inbox,
    private readonly handle: UpdateHandler,
    private readonly log: Logger,
    private readonly concurrency: number,
    private readonly pollMs: number,
    private readonly workerId: string,
    private readonly noticeOf?: (update: ClaimedUpdate) => unknown,
  ) {}

  /** @param instanceId stable name of this process (its leases are `<instanceId>/<loop>`). */
  /** @param noticeOf the effect that tells the operators an update was set aside (queued with it), if any */
  static create(deps: {
    inbox: Inbox;
    handle: UpdateHandler;
    log: Logger;
    concurrency: number;
    pollMs?: number;
    instanceId?: string;
    noticeOf?: (update: ClaimedUpdate) => unknown;
  }): InboxWorker {
    return new InboxWorker(
      deps.inbox,
      deps.handle,
      deps.log,
      deps.concurrency,
      deps.pollMs ?? 250,
      deps.instanceId ?? `pid-${process.pid}-${randomUUID().slice(0, 8)}`,
      deps.noticeOf,
    );
  }

  start(): void {
    this.stopping = false;
    this.loops = Array.from({ length: this.concurrency }, (_, i) => this.loop(i));
    // One timer for the whole worker: idle loops cost nothing, and other processes' work is found.
    this.poller = setInterval(() => this.poke(), this.pollMs);
  }

  /** Wakes one idle loop: there is new work. A loop that finds work wakes the next one. */
  poke(): void {
    const [wake] = this.wakers;
    wake?.();
  }

  /** Stops claiming and waits for the updates in hand to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.poller) clearInterval(this.poller);
    for (const wake of [...this.wakers]) wake();
    await Promise.all(this.loops);
  }

  private async loop(index: number): Promise<void> {
    const id = `${this.workerId}/${index}`;
    let finished: number | undefined; // processed, to be marked done by the next claim
    while (!this.stopping) {
      let claimed: ClaimedUpdate | null = null;
      try {
        claimed = await this.inbox.claim(id, finished);
        finished = undefined;
      } catch (error) {
        this.log.error({ err: String(error) }, 'inbox claim failed');
      }
      if (!claimed) {
        await this.idle();
        continue;
      }
      this.poke(); // there may be more: let another loop look while this one works
      const heartbeat = setInterval(() => void this.inbox.extend(claimed.updateId, id).catch(() => undefined), 5_000);
      try {
        await this.handle(claimed);
        finished = claimed.updateId;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const outcome = await this.recordFailure(claimed, id, message);
        this.log.error({ updateId: claimed.updateId, lane: claimed.lane, attempts: claimed.attempts, outcome, err: message }, 'update processing failed');
      } finally {
        clearInterval(heartbeat);
      }
    }
    if (finished !== undefined) await this.inbox.done(finished).catch((error) => this.log.error({ err: String(error) }, 'could not mark an update done'));
  }

  /**
   * Records a failed update, trying again while PostgreSQL is away (for up to a minute). A failure
   * that came from PostgreSQL being away (the record could not be written at first) does not
   * count as one of the update's attempts, and the update is free again at once: it is not the
   * update's fault, and its chat should not wait a backoff after PostgreSQL returns.
   */
  private async recordFailure(claimed: ClaimedUpdate, loopId: string, message: string): Promise<'retry' | 'gave_up'> {
    return retryWhileAway((attempt) => this.inbox.failed(claimed, loopId, message, this.noticeOf?.(claimed), { outage: attempt > 1 }), {
      forMs: 60_000,
      stopped: () => this.stopping,
    }).catch(() => 'retry' as const); // this loop's next claim takes it again (or another's, once the lease runs out)
  }

  private idle(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.wakers.delete(wake);
        resolve();
      };
      this.wakers.add(wake);
    });
  }
}
