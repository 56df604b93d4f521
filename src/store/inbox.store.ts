import type { Knex } from 'knex';
import { backoff } from '../core/backoff';
import { likeEscape } from './outbox.store';
import type { TgUpdate } from '../telegram/update.types';

/** A stored update handed to a worker. */
export interface ClaimedUpdate {
  updateId: number;
  lane: string;
  payload: TgUpdate;
  attempts: number;
  /** When the webhook stored it (ms): the time of the user's message, for the machine. */
  receivedAt: number;
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


/** A claim on an update holds this long; the worker renews it while it works (a step takes milliseconds). */
const LEASE_SECONDS = 15;
/** Attempts before an update is set aside: with the backoff below, a few seconds, so its chat moves on. */
const MAX_ATTEMPTS = 4;

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
   * An update still leased to `workerId` itself is claimable too: a loop claims only when it
   * holds nothing, so such a lease is one whose claim was written but never answered (PostgreSQL
   * went away mid-statement). Without this the update would wait out its lease.
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
           AND (u.locked_until IS NULL OR u.locked_until < now() OR u.locked_by = ?)${finished === undefined ? '' : '\n           AND u.update_id <> ?'}
           AND NOT EXISTS (
             SELECT 1 FROM inbox_updates p
             WHERE p.lane = u.lane AND p.processed_at IS NULL AND p.update_id < u.update_id
           )
         ORDER BY u.update_id
         LIMIT 1
         FOR UPDATE SKIP LOCKED
       )
       RETURNING update_id, lane, payload, attempts, received_at`,
      // The finished update is never claimed again here, even if its lease ran out meanwhile.
      finished === undefined ? [LEASE_SECONDS, workerId, workerId] : [finished, LEASE_SECONDS, workerId, workerId, finished],
    );
    const row = result.rows[0];
    if (!row) return null;
    return {
      updateId: Number(row.update_id),
      lane: row.lane,
      payload: row.payload as TgUpdate,
      attempts: row.attempts,
      receivedAt: new Date(row.received_at).getTime(),
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
   * Records a failure: the update is tried again after a short backoff (1, 2, 4 s), and set aside
   * after {@link MAX_ATTEMPTS} so one poisoned update cannot hold its chat up. `notice` (an
   * effect telling the operators) is queued in the same statement when it is set aside. With
   * `outage`, the failure was PostgreSQL's: it is not counted, and the update is free at once.
   *
   * Written only while `workerId` still holds the update and it is not processed: a step whose
   * commit was written but never answered has processed it, and it must not be opened again (it
   * would be stepped twice); a lease that ran out belongs to whoever claimed the update next.
   */
  async failed(update: ClaimedUpdate, workerId: string, error: string, notice?: unknown, options: { outage?: boolean } = {}): Promise<'retry' | 'gave_up'> {
    // An outage of PostgreSQL is not the update's fault: not an attempt, and no wait after it.
    const giveUp = !options.outage && update.attempts >= MAX_ATTEMPTS;
    // The retry's delay is the outbox's backoff, in seconds: 1, 2, 4.
    const delay = options.outage ? 0 : backoff(update.attempts, 1, 8);
    await this.db.raw(
      `WITH u AS (
         UPDATE inbox_updates SET last_error = ?, locked_until = now() + (? * interval '1 second'), locked_by = NULL,
           attempts = attempts - ?, processed_at = CASE WHEN ? THEN now() END, set_aside_at = CASE WHEN ? THEN now() END
         WHERE update_id = ? AND locked_by = ? AND processed_at IS NULL RETURNING update_id)
       ${giveUp && notice !== undefined ? "INSERT INTO outbox (dialog_id, kind, effect) SELECT NULL, 'ordered', ?::jsonb FROM u" : 'SELECT 1 FROM u'}`,
      [error.slice(0, 500), delay, options.outage ? 1 : 0, giveUp, giveUp, update.updateId, workerId, ...(giveUp && notice !== undefined ? [JSON.stringify(notice)] : [])],
    );
    return giveUp ? 'gave_up' : 'retry';
  }


  /** At start-up: claims a previous run of this instance held are void. Returns how many. */
  async releaseInstance(instanceId: string): Promise<number> {
    return this.db('inbox_updates')
      .whereNull('processed_at')
      .andWhereRaw("locked_by LIKE ? ESCAPE '\\'", [`${likeEscape(instanceId)}/%`])
      .update({ locked_until: null });
  }

  /** Updates stored and not yet processed (the backlog, for metrics and tests). */
  async pending(): Promise<number> {
    const [row] = await this.db('inbox_updates').whereNull('processed_at').count<Array<{ n: string }>>('* as n');
    return Number(row?.n ?? 0);
  }

  /** Deletes processed updates older than Telegram's 24-hour redelivery window. */
  async prune(olderThanHours = 48): Promise<number> {
    return this.db('inbox_updates')
      .whereNotNull('processed_at')
      .andWhere('processed_at', '<', this.db.raw(`now() - (? * interval '1 hour')`, [olderThanHours]))
      .delete();
  }
}

