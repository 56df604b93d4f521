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

/** An update the webhook or the poller turned away, as {@link Inbox.reject} keeps it. */
export interface RejectedUpdate {
  updateId: number | null;
  kind: string;
  /** not_an_update, too_deep, invalid (see `RejectReason`), or unstorable (PostgreSQL refused the row). */
  reason: string;
  /** The first problem in words, never the value itself. */
  detail: string;
  payload: unknown;
}

/**
 * PostgreSQL refused one update's row on its own (bad data, not a lost connection): storing it
 * again would fail again, so the caller sets it aside instead of answering 5xx.
 */
export class InboxRowRefused extends Error {
  readonly code = 'INBOX_ROW_REFUSED';
  constructor(
    readonly updateId: number,
    /** PostgreSQL's SQLSTATE, e.g. 22P05 (untranslatable character). */
    readonly sqlState: string,
  ) {
    super(`PostgreSQL refused the row of update ${updateId} (SQLSTATE ${sqlState})`);
    this.name = 'InboxRowRefused';
  }
}

/**
 * A data error (SQLSTATE class 22, or 23 other than a duplicate: a check failed) is about the row
 * itself; anything else (connection lost, too many clients) is about the database.
 */
function refusal(error: unknown, updateId: number): unknown {
  const sqlState = (error as { code?: unknown }).code;
  if (typeof sqlState === 'string' && /^(22|23)[0-9A-Z]{3}$/.test(sqlState) && sqlState !== '23505') return new InboxRowRefused(updateId, sqlState);
  if (error instanceof RangeError) return new InboxRowRefused(updateId, 'serialisation'); // JSON too deep to serialise
  return error;
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
  private batch: Array<{ update: TgUpdate; lane: string; resolve: (stored: boolean) => void; reject: (error: unknown) => void }> = [];
  private flushScheduled = false;

  private constructor(
    private readonly db: Knex,
    private readonly ingestDb: Knex,
  ) {}

  /**
   * @param db the workers' pool (claims, leases).
   * @param ingestDb the webhook's pool (default: `db`); a small pool of its own keeps
   *   acknowledgements from waiting behind the workers' transactions.
   */
  static create(db: Knex, ingestDb: Knex = db): Inbox {
    return new Inbox(db, ingestDb);
  }

  /**
   * Stores an update; resolves true once it is committed, false when it was stored before (a
   * repeat). Updates arriving in the same turn of the event loop are written by one INSERT, so a
   * burst costs one round trip and one commit instead of one per update. When that INSERT fails,
   * each row is tried alone: one row PostgreSQL refuses never fails the others (Telegram would
   * redeliver them all, and the bad one would fail them again). A row refused on its own rejects
   * with {@link InboxRowRefused}; anything else (the database is down) rejects with the error.
   */
  store(update: TgUpdate, lane: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.batch.push({ update, lane, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.batch.splice(0, 500);
    this.flushScheduled = this.batch.length > 0;
    if (this.flushScheduled) setImmediate(() => void this.flush());
    const first = new Map<number, (typeof batch)[number]>();
    for (const item of batch) if (!first.has(item.update.update_id)) first.set(item.update.update_id, item);
    const settle = (item: (typeof batch)[number], inserted: boolean) => item.resolve(first.get(item.update.update_id) === item && inserted);
    try {
      const inserted = await this.insertRows([...first.values()]);
      for (const item of batch) settle(item, inserted.has(item.update.update_id));
    } catch (error) {
      if (first.size === 1) {
        for (const item of batch) item.reject(refusal(error, item.update.update_id));
        return;
      }
      // Row by row: the good ones are stored, each bad one fails alone.
      const outcomes = new Map<number, { inserted: boolean } | { error: unknown }>();
      for (const item of first.values()) {
        try {
          outcomes.set(item.update.update_id, { inserted: (await this.insertRows([item])).has(item.update.update_id) });
        } catch (rowError) {
          outcomes.set(item.update.update_id, { error: refusal(rowError, item.update.update_id) });
        }
      }
      for (const item of batch) {
        const outcome = outcomes.get(item.update.update_id);
        if (outcome && 'error' in outcome) item.reject(outcome.error);
        else settle(item, outcome?.inserted === true);
      }
    }
  }

  /** One INSERT of the rows; returns the update ids it inserted (a repeat is not). */
  private async insertRows(items: Array<{ update: TgUpdate; lane: string }>): Promise<Set<number>> {
    const rows: Array<{ update_id: string }> = await this.ingestDb('inbox_updates')
      .insert(items.map(({ update, lane }) => ({ update_id: update.update_id, lane, payload: update })))
      .onConflict('update_id')
      .ignore()
      .returning('update_id');
    return new Set(rows.map((r) => Number(r.update_id)));
  }

  /**
   * Keeps an update turned away at the door (see `parseUpdate`) once, with the reason; a repeat of
   * the same update_id is the same row. Resolves true when it was new. Such updates never enter
   * the inbox, so no worker tries them. `payload` null: the body could not be stored (too deep).
   */
  async reject(entry: RejectedUpdate): Promise<boolean> {
    const insert = (payload: unknown) =>
      this.ingestDb('rejected_updates')
        .insert({
          update_id: entry.updateId,
          kind: entry.kind,
          reason: entry.reason,
          detail: entry.detail.slice(0, 500),
          payload: payload === null ? null : JSON.stringify(payload),
        })
        .onConflict()
        .ignore()
        .returning('id');
    let rows: unknown[];
    try {
      rows = await insert(entry.payload);
    } catch (error) {
      // The payload itself was refused: keep the row without it rather than answer 5xx.
      if (entry.payload === null || !(refusal(error, entry.updateId ?? 0) instanceof InboxRowRefused)) throw error;
      rows = await insert(null);
    }
    return rows.length > 0;
  }

  /**
   * Claims the oldest pending update whose lane has nothing older pending and nobody working on
   * it. Returns null when there is nothing to do.
   *
   * @param finished an update this worker has just processed: marked done by the same statement.
   *   The claim then sees it as still pending, so it takes another lane's update; when there is
   *   none, the claim is tried once more on its own, and the finished lane's next update is found.
   */
  async claim(workerId: string, finished?: number): Promise<ClaimedUpdate | null> {
    if (finished === undefined) return this.claimOnly(workerId);
    const claimed = await this.claimOnly(workerId, finished);
    return claimed ?? this.claimOnly(workerId);
  }

  private async claimOnly(workerId: string, finished?: number): Promise<ClaimedUpdate | null> {
    const done = finished === undefined ? '' : 'WITH done AS (UPDATE inbox_updates SET processed_at = now(), locked_until = NULL WHERE update_id = ?)\n';
    const result = await this.db.raw(
      `${done}UPDATE inbox_updates SET locked_until = now() + (? * interval '1 second'), locked_by = ?, attempts = attempts + 1
       WHERE update_id = (
         SELECT u.update_id FROM inbox_updates u
         WHERE u.processed_at IS NULL
           AND (u.locked_until IS NULL OR u.locked_until < now())${finished === undefined ? '' : '\n           AND u.update_id <> ?'}
           AND NOT EXISTS (
             SELECT 1 FROM inbox_updates p
             WHERE p.lane = u.lane AND p.processed_at IS NULL AND p.update_id < u.update_id
           )
         ORDER BY u.update_id
         LIMIT 1
         FOR UPDATE SKIP LOCKED
       )
       RETURNING update_id, lane, payload, attempts, applied_at, dialog_id`,
      // The finished update is never claimed again here, even if its lease ran out meanwhile.
      finished === undefined ? [LEASE_SECONDS, workerId] : [finished, LEASE_SECONDS, workerId, finished],
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
}

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
      const heartbeat = setInterval(() => void this.inbox.extend(claimed.updateId, id).catch(() => undefined), 20_000);
      try {
        await this.handle(claimed);
        finished = claimed.updateId;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const outcome = await this.inbox.failed(claimed, message).catch(() => 'retry');
        this.log.error({ updateId: claimed.updateId, lane: claimed.lane, attempts: claimed.attempts, outcome, err: message }, 'update processing failed');
      } finally {
        clearInterval(heartbeat);
      }
    }
    if (finished !== undefined) await this.inbox.done(finished).catch((error) => this.log.error({ err: String(error) }, 'could not mark an update done'));
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
