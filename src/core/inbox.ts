import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from '../logger';
import type { TgUpdate } from './update.processor';

/** A stored update handed to a worker. */
export interface ClaimedUpdate {
  updateId: number;
  lane: string;
  payload: TgUpdate;
  attempts: number;
  /** The update's event was applied before (the worker died while carrying out its effects). */
  applied: { dialogId: number } | null;
}

/** Processes one claimed update (the update processor, plus logging and metrics). */
export type UpdateHandler = (update: ClaimedUpdate) => Promise<void>;

const LEASE_SECONDS = 60;
/** Attempts before an update is given up: with the backoff below, about 25 minutes of retrying. */
const MAX_ATTEMPTS = 10;

/**
 * The durable inbox of Telegram updates, in PostgreSQL.
 *
 * The webhook stores an update and answers 200; workers process it later. `update_id` is the
 * primary key, so a repeated delivery is the same row. Updates of one lane (one chat) are
 * processed one at a time in update_id order, by whichever process claims the lane's oldest
 * pending update: a claim is a lease, and a crashed worker's lease runs out so another takes over.
 */
export class Inbox {
  private constructor(private readonly db: Knex) {}

  static create(db: Knex): Inbox {
    return new Inbox(db);
  }

  /** Stores an update; false when it was stored before (a repeat). */
  async store(update: TgUpdate, lane: string): Promise<boolean> {
    const rows = await this.db('inbox_updates')
      .insert({ update_id: update.update_id, lane, payload: update })
      .onConflict('update_id')
      .ignore()
      .returning('update_id');
    return rows.length > 0;
  }

  /**
   * Claims the oldest pending update whose lane has nothing older pending and nobody working on
   * it. Returns null when there is nothing to do.
   */
  async claim(workerId: string): Promise<ClaimedUpdate | null> {
    const result = await this.db.raw(
      `UPDATE inbox_updates SET locked_until = now() + (? * interval '1 second'), locked_by = ?, attempts = attempts + 1
       WHERE update_id = (
         SELECT u.update_id FROM inbox_updates u
         WHERE u.processed_at IS NULL
           AND (u.locked_until IS NULL OR u.locked_until < now())
           AND NOT EXISTS (
             SELECT 1 FROM inbox_updates p
             WHERE p.lane = u.lane AND p.processed_at IS NULL AND p.update_id < u.update_id
           )
         ORDER BY u.update_id
         LIMIT 1
         FOR UPDATE SKIP LOCKED
       )
       RETURNING update_id, lane, payload, attempts, applied_at, dialog_id`,
      [LEASE_SECONDS, workerId],
    );
    const row = result.rows[0];
    if (!row) return null;
    return {
      updateId: Number(row.update_id),
      lane: row.lane,
      payload: row.payload as TgUpdate,
      attempts: row.attempts,
      applied: row.applied_at !== null && row.dialog_id !== null ? { dialogId: Number(row.dialog_id) } : null,
    };
  }

  /** Keeps a long-running claim (an LLM call) from being taken over. */
  async extend(updateId: number, workerId: string): Promise<void> {
    await this.db('inbox_updates')
      .where({ update_id: updateId, locked_by: workerId })
      .update({ locked_until: this.db.raw(`now() + (? * interval '1 second')`, [LEASE_SECONDS]) });
  }

  /** Marks an update done. */
  async done(updateId: number): Promise<void> {
    await this.db('inbox_updates').where({ update_id: updateId }).update({ processed_at: this.db.fn.now(), locked_until: null });
  }

  /**
   * Records a failure: the update is tried again after a backoff, and given up after
   * {@link MAX_ATTEMPTS} so one poisoned update cannot block its chat forever.
   */
  async failed(update: ClaimedUpdate, error: string): Promise<'retry' | 'gave_up'> {
    const giveUp = update.attempts >= MAX_ATTEMPTS;
    await this.db('inbox_updates')
      .where({ update_id: update.updateId })
      .update({
        last_error: error.slice(0, 500),
        locked_until: this.db.raw(`now() + (? * interval '1 second')`, [Math.min(300, 2 ** update.attempts)]),
        processed_at: giveUp ? this.db.fn.now() : null,
      });
    return giveUp ? 'gave_up' : 'retry';
  }

  /** Deletes processed updates older than Telegram's 24-hour redelivery window. */
  async prune(olderThanHours = 48): Promise<number> {
    return this.db('inbox_updates')
      .whereNotNull('processed_at')
      .andWhere('processed_at', '<', this.db.raw(`now() - (? * interval '1 hour')`, [olderThanHours]))
      .delete();
  }

  /** How many updates wait (for /metrics and tests). */
  async pending(): Promise<number> {
    const [row] = await this.db('inbox_updates').whereNull('processed_at').count<{ n: string }[]>('* as n');
    return Number(row?.n ?? 0);
  }
}

/**
 * Runs `concurrency` loops that claim and process updates. `poke()` wakes idle loops at once
 * (the webhook calls it after storing an update); otherwise they poll every `pollMs`, which is
 * what lets several processes share one inbox.
 */
export class InboxWorker {
  private stopping = false;
  private loops: Promise<void>[] = [];
  private wakers = new Set<() => void>();

  private constructor(
    private readonly inbox: Inbox,
    private readonly handle: UpdateHandler,
    private readonly log: Logger,
    private readonly concurrency: number,
    private readonly pollMs: number,
    private readonly workerId: string,
  ) {}

  /** @param instanceId stable name of this process (its leases are `<instanceId>/<loop>`). */
  static create(deps: { inbox: Inbox; handle: UpdateHandler; log: Logger; concurrency: number; pollMs?: number; instanceId?: string }): InboxWorker {
    return new InboxWorker(
      deps.inbox,
      deps.handle,
      deps.log,
      deps.concurrency,
      deps.pollMs ?? 250,
      deps.instanceId ?? `pid-${process.pid}-${randomUUID().slice(0, 8)}`,
    );
  }

  start(): void {
    this.stopping = false;
    this.loops = Array.from({ length: this.concurrency }, (_, i) => this.loop(i));
  }

  /** Wakes idle loops: there is new work. */
  poke(): void {
    for (const wake of this.wakers) wake();
  }

  /** Stops claiming and waits for the updates in hand to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.poke();
    await Promise.all(this.loops);
  }

  private async loop(index: number): Promise<void> {
    const id = `${this.workerId}/${index}`;
    while (!this.stopping) {
      let claimed: ClaimedUpdate | null = null;
      try {
        claimed = await this.inbox.claim(id);
      } catch (error) {
        this.log.error({ err: String(error) }, 'inbox claim failed');
      }
      if (!claimed) {
        await this.idle();
        continue;
      }
      const heartbeat = setInterval(() => void this.inbox.extend(claimed.updateId, id).catch(() => undefined), 20_000);
      try {
        await this.handle(claimed);
        await this.inbox.done(claimed.updateId);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const outcome = await this.inbox.failed(claimed, message).catch(() => 'retry');
        this.log.error({ updateId: claimed.updateId, lane: claimed.lane, attempts: claimed.attempts, outcome, err: message }, 'update processing failed');
      } finally {
        clearInterval(heartbeat);
      }
    }
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.pollMs);
      this.wakers.add(wake);
    });
  }
}
