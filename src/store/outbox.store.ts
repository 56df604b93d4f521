import type { Knex } from 'knex';
import { pairsInsert, type MessagePair } from './pair.store';

/** An outbox row handed to a runner. */
export interface OutboxRow {
  id: number;
  dialogId: number | null;
  kind: 'ordered' | 'parallel';
  effect: { type: string; params?: unknown };
  /** Runs before this one (0 the first time). */
  attempts: number;
  /** When it first failed, if it has: retries stop a day after. */
  firstFailedAt: Date | null;
}

/** A message an effect sent to the user, recorded by the statement that marks the effect done. */
export interface SentMessageRow {
  dialogId: number;
  sender: 'bot' | 'system' | 'operator';
  telegramChatId: number;
  telegramMessageId: number;
  text: string;
}

/** How long a claim on an outbox row holds; renewed while its effect runs, so a crashed holder's work is free again soon. */
export const OUTBOX_LEASE_SECONDS = 15;

/**
 * The outbox's statements: claiming runnable effects, renewing leases, marking them done (with
 * the messages they sent), retrying and giving up. Runnable means: not done, not leased, past
 * its retry time, and, for an `ordered` effect, the oldest pending ordered effect of its dialog.
 */
export class OutboxStore {
  private constructor(private readonly db: Knex) {}

  static create(db: Knex): OutboxStore {
    return new OutboxStore(db);
  }

  /**
   * Claims up to `limit` runnable rows of `kind` for `owner`, oldest first. A row leased to
   * `owner` that is not in `running` counts as runnable: its claim was written but never
   * answered (PostgreSQL went away mid-statement), and it would otherwise wait out its lease.
   * The caller claims for `owner` one claim at a time, so no other claim of its is in flight.
   */
  async claim(owner: string, kind: 'ordered' | 'parallel', limit: number, running: readonly number[] = []): Promise<OutboxRow[]> {
    const inOrder =
      kind === 'ordered'
        ? `AND (o.dialog_id IS NULL OR NOT EXISTS (
             SELECT 1 FROM outbox p WHERE p.dialog_id = o.dialog_id AND p.done_at IS NULL AND p.kind = 'ordered' AND p.id < o.id))`
        : '';
    const { rows } = await this.db.raw(
      `UPDATE outbox SET locked_by = ?, locked_until = now() + (? * interval '1 second')
       WHERE id IN (
         SELECT o.id FROM outbox o
         WHERE o.done_at IS NULL AND o.kind = ? ${inOrder}
           AND (o.locked_until IS NULL OR o.locked_until < now() OR (o.locked_by = ? AND o.id <> ALL(?::bigint[])))
         ORDER BY o.id LIMIT ? FOR UPDATE SKIP LOCKED)
       RETURNING id, dialog_id, kind, effect, attempts, first_failed_at`,
      [owner, OUTBOX_LEASE_SECONDS, kind, owner, `{${running.join(',')}}`, limit],
    );
    return (rows as Array<Record<string, unknown>>).map(toRow).sort((a, b) => a.id - b.id);
  }

  /** Rows `owner` was given at commit (leased to it), as stored. */
  async leased(owner: string, ids: number[]): Promise<OutboxRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.db('outbox').whereIn('id', ids).andWhere({ locked_by: owner }).whereNull('done_at').orderBy('id');
    return rows.map(toRow);
  }

  /** Keeps running effects' claims alive. */
  async renew(owner: string, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db('outbox')
      .whereIn('id', ids)
      .andWhere({ locked_by: owner })
      .whereNull('done_at')
      .update({ locked_until: this.db.raw(`now() + (? * interval '1 second')`, [OUTBOX_LEASE_SECONDS]) });
  }

  /**
   * Marks a row done, recording the messages its effect sent and the copies it made in the
   * operators' chat in the same statement: a crash before it leaves the effect to be carried out
   * again, never a message recorded twice.
   */
  async done(id: number, sent: SentMessageRow[], links: Array<{ chatId: number; messageId: number; dialogId: number }>, pairs?: { dialogId: number; pairs: MessagePair[] }): Promise<void> {
    const parts: string[] = [];
    const b: Knex.RawBinding[] = [];
    if (sent.length > 0) {
      parts.push(`m AS (INSERT INTO messages (dialog_id, sender, telegram_chat_id, telegram_message_id, text)
        VALUES ${sent.map(() => '(?, ?, ?, ?, ?)').join(', ')})`);
      for (const m of sent) b.push(m.dialogId, m.sender, m.telegramChatId, m.telegramMessageId, m.text);
    }
    if (links.length > 0) {
      parts.push(`l AS (INSERT INTO message_links (chat_id, message_id, dialog_id) VALUES ${links.map(() => '(?, ?, ?)').join(', ')}
        ON CONFLICT (chat_id, message_id) DO NOTHING)`);
      for (const l of links) b.push(l.chatId, l.messageId, l.dialogId);
    }
    if (pairs && pairs.pairs.length > 0) {
      const insert = pairsInsert('p', pairs.pairs, pairs.dialogId);
      parts.push(insert.sql);
      b.push(...insert.bindings);
    }
    b.push(id);
    await this.db.raw(
      `${parts.length ? `WITH ${parts.join(',\n')}\n` : ''}UPDATE outbox SET done_at = now(), outcome = 'done', attempts = attempts + 1, locked_until = NULL WHERE id = ?`,
      b,
    );
  }

  /** A failed run: free again after `delayMs` (for any runner), the error kept. */
  async retryLater(id: number, error: string, delayMs: number): Promise<void> {
    await this.db('outbox')
      .where({ id })
      .update({
        attempts: this.db.raw('attempts + 1'),
        last_error: error.slice(0, 500),
        first_failed_at: this.db.raw('coalesce(first_failed_at, now())'),
        locked_by: null,
        locked_until: this.db.raw(`now() + (? * interval '1 millisecond')`, [delayMs]),
      });
  }

  /**
   * Gives a row up for good (a refusal that retrying cannot change, or a day of failures):
   * recorded, not silent; `notice` (an effect telling the operators) is queued in the same statement.
   */
  async giveUp(id: number, error: string, notice?: unknown): Promise<void> {
    await this.db.raw(
      `WITH g AS (
         UPDATE outbox SET attempts = attempts + 1, last_error = ?, done_at = now(), outcome = 'given_up', locked_until = NULL
         WHERE id = ? RETURNING dialog_id)
       ${notice === undefined ? 'SELECT 1 FROM g' : "INSERT INTO outbox (dialog_id, kind, effect) SELECT g.dialog_id, 'ordered', ?::jsonb FROM g"}`,
      [error.slice(0, 500), id, ...(notice === undefined ? [] : [JSON.stringify(notice)])],
    );
  }

  /** Releases the claims of rows a runner will not start after all (it stops, or an earlier effect failed). */
  async release(owner: string, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db('outbox').whereIn('id', ids).andWhere({ locked_by: owner }).whereNull('done_at').update({ locked_until: null, locked_by: null });
  }

  /** At start-up: claims a previous run of this instance held are void. Returns how many. */
  async releaseInstance(instanceId: string): Promise<number> {
    return this.db('outbox')
      .whereNull('done_at')
      .andWhereRaw("locked_by LIKE ? ESCAPE '\\'", [`${likeEscape(instanceId)}/%`])
      .update({ locked_until: null, locked_by: null });
  }
}

/** `a_b%` → `a\_b\%`, for LIKE patterns. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toRow(r: Record<string, unknown>): OutboxRow {
  return {
    id: Number(r.id),
    dialogId: r.dialog_id === null || r.dialog_id === undefined ? null : Number(r.dialog_id),
    kind: r.kind as OutboxRow['kind'],
    effect: r.effect as OutboxRow['effect'],
    attempts: Number(r.attempts),
    firstFailedAt: (r.first_failed_at as Date | null) ?? null,
  };
}
