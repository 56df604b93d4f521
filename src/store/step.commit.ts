import type { Knex } from 'knex';
import { retryWhileAway } from '../core/backoff';
import { OUTBOX_LEASE_SECONDS } from './outbox.store';
import { pairsInsert, type MessagePair } from './pair.store';

/**
 * Commits one step of a dialog in a single SQL statement: the dialog row (updated at the
 * revision the step was computed from, or inserted for a new dialog), its transitions, the
 * operator and the message, the inbox row marked processed, the outbox row whose result this is
 * marked done, the timers and the new outbox rows. This is the only way a step is written.
 *
 * One statement is one implicit transaction and one round trip, where BEGIN … COMMIT with a
 * statement per table costs ten or more. Every part is written only if the dialog row was: the
 * other parts read from the `d` CTE, so a revision that moved on (a concurrent step, or a Redis
 * snapshot behind PostgreSQL) writes nothing of the step and {@link commitStep} answers null.
 * (For a new dialog the user's row is upserted either way: it is the same user, and the redone
 * step upserts it again.)
 */

/** The dialog row to write: update at a revision, or insert under an id taken from the sequence. */
export type DialogWrite =
  | {
      kind: 'update';
      id: number;
      expectedRevision: number;
      /** A timer this step delivers: the row is written only while the timer is still set and due. */
      dueTimer?: string;
      /**
       * `/reopen` of a closed dialog: the row (its `closed_at` cleared by this same statement) is
       * written only while its chat has no other open dialog, so `dialogs_open_chat_uniq` holds.
       */
      reopens?: boolean;
    }
  | { kind: 'insert'; id: number; chatId: number; user: { telegramId: number; firstName?: string; lastName?: string; username?: string; languageCode?: string } };

export interface StepCommit {
  dialog: DialogWrite;
  state: string;
  stateValue: unknown;
  context: unknown;
  revision: number;
  machineVersion: number;
  handoffReason: string | null;
  handoffLayer: string | null;
  closed: boolean;
  ticketMessageId: number | null;
  topicThreadId: number | null;
  transitions: Array<{ from: string | null; to: string; event: string; reason: string | null; layer: string | null; actor: string }>;
  /** The operator who acted: upserted into `operators`, and the message's author. */
  operator?: { telegramId: number; name: string; username: string | null };
  message?: { sender: string; telegramChatId: number; telegramMessageId: number | null; text: string | null; media: unknown; inReplyTo?: number };
  /** Copies in the operators' chat that an effect made for this dialog (routed back to it). */
  links?: Array<{ chatId: number; messageId: number }>;
  /** Relayed messages and the copies an effect made of them (see src/store/pair.store.ts). */
  pairs?: MessagePair[];
  inboxUpdateId?: number;
  outboxDoneId?: number;
  /** Net timer changes: a due time in ms to (re)schedule, or null to cancel. */
  timers: Array<{ name: string; delayMs: number | null }>;
  /**
   * When the step is taken (ms, the service's clock): timers fall due `delayMs` after it, and the
   * timer this step delivers must be due by it. Unset: the database's `now()`.
   */
  now?: number;
  outbox: { owner: string; leaseSeconds: number; effects: Array<{ kind: 'ordered' | 'parallel'; effect: unknown }> };
}

/** The step's time as SQL: its one parameter is {@link StepCommit.now} in ms, or null for the database's clock. */
export const NOW = `coalesce(to_timestamp(?::double precision / 1000), now())`;

/** A new outbox row; `leased` when the committer may start it at once (nothing of its dialog is ahead of it). */
export interface NewOutboxRow {
  id: number;
  leased: boolean;
}

/** Runs the statement; null when the dialog row was not written (revision moved on, or an open dialog exists). */
export async function commitStep(db: Knex, step: StepCommit): Promise<{ row: Record<string, unknown>; outbox: NewOutboxRow[] } | null> {
  const sql: string[] = [];
  const b: unknown[] = [];
  const d = step.dialog;

  if (d.kind === 'update') {
    sql.push(`d AS (
      UPDATE dialogs SET state = ?, state_value = ?::jsonb, context = ?::jsonb, revision = ?, machine_version = ?,
        handoff_reason = ?, handoff_layer = ?, closed_at = CASE WHEN ? THEN now() END, ticket_message_id = ?, topic_thread_id = ?,
        updated_at = now()
      WHERE id = ? AND revision = ?${d.dueTimer === undefined ? '' : ` AND EXISTS (SELECT 1 FROM dialog_timers WHERE dialog_id = ? AND name = ? AND due_at <= ${NOW})`}${
        d.reopens ? ' AND NOT EXISTS (SELECT 1 FROM dialogs o WHERE o.chat_id = dialogs.chat_id AND o.closed_at IS NULL AND o.id <> dialogs.id)' : ''}
      RETURNING *)`);
    b.push(...rowValues(step), d.id, d.expectedRevision);
    if (d.dueTimer !== undefined) b.push(d.id, d.dueTimer, step.now ?? null);
  } else {
    const u = d.user;
    sql.push(`u AS (
      INSERT INTO users (telegram_id, first_name, last_name, username, language_code) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (telegram_id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
        username = excluded.username, language_code = excluded.language_code, updated_at = now()
      RETURNING id)`);
    b.push(u.telegramId, u.firstName ?? null, u.lastName ?? null, u.username ?? null, u.languageCode ?? null);
    sql.push(`d AS (
      INSERT INTO dialogs (state, state_value, context, revision, machine_version, handoff_reason, handoff_layer, closed_at,
        ticket_message_id, topic_thread_id, id, user_id, chat_id)
      SELECT ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, CASE WHEN ? THEN now() END, ?, ?, ?, u.id, ? FROM u
      ON CONFLICT (chat_id) WHERE closed_at IS NULL DO NOTHING
      RETURNING *)`);
    b.push(...rowValues(step), d.id, d.chatId);
  }

  if (step.outboxDoneId !== undefined) {
    sql.push(`done AS (UPDATE outbox SET done_at = now(), outcome = 'done', attempts = attempts + 1, locked_until = NULL WHERE id = ? AND EXISTS (SELECT 1 FROM d))`);
    b.push(step.outboxDoneId);
  }
  if (step.operator) {
    const o = step.operator;
    sql.push(`op AS (
      INSERT INTO operators (telegram_id, name, username) VALUES (?, ?, ?)
      ON CONFLICT (telegram_id) DO UPDATE SET name = excluded.name, username = excluded.username, last_seen_at = now()
      RETURNING id)`);
    b.push(o.telegramId, o.name, o.username);
  }
  if (step.message) {
    const m = step.message;
    sql.push(`msg AS (
      INSERT INTO messages (dialog_id, sender, operator_id, telegram_chat_id, telegram_message_id, text, media, in_reply_to)
      SELECT d.id, ?, ${step.operator ? '(SELECT id FROM op)' : 'NULL'}, ?, ?, ?, ?::jsonb, ? FROM d)`);
    b.push(m.sender, m.telegramChatId, m.telegramMessageId, m.text, m.media === null || m.media === undefined ? null : JSON.stringify(m.media), m.inReplyTo ?? null);
  }
  if (step.links && step.links.length > 0) {
    sql.push(`ln AS (
      INSERT INTO message_links (chat_id, message_id, dialog_id)
      SELECT v.chat_id, v.message_id, d.id FROM d, (VALUES ${step.links.map(() => '(?::bigint, ?::bigint)').join(', ')}) AS v(chat_id, message_id)
      ON CONFLICT (chat_id, message_id) DO NOTHING)`);
    for (const l of step.links) b.push(l.chatId, l.messageId);
  }
  if (step.pairs && step.pairs.length > 0) {
    const insert = pairsInsert('pr', step.pairs, 'd');
    sql.push(insert.sql);
    b.push(...insert.bindings);
  }
  if (step.inboxUpdateId !== undefined) {
    // The update is done once its step is: its effects are queued in this same statement.
    sql.push(`inbox AS (
      UPDATE inbox_updates SET applied_at = now(), processed_at = now(), locked_until = NULL, dialog_id = (SELECT id FROM d)
      WHERE update_id = ? AND EXISTS (SELECT 1 FROM d))`);
    b.push(step.inboxUpdateId);
  }
  if (step.transitions.length > 0) {
    // One INSERT, rows in order: the ids keep the order the transitions happened in.
    sql.push(`tr AS (
      INSERT INTO dialog_transitions (dialog_id, from_state, to_state, event, reason, layer, actor)
      SELECT d.id, v.from_state, v.to_state, v.event, v.reason, v.layer, v.actor
      FROM d, (VALUES ${step.transitions.map(() => '(?::int, ?::text, ?::text, ?::text, ?::text, ?::text, ?::text)').join(', ')})
        AS v(ord, from_state, to_state, event, reason, layer, actor)
      ORDER BY v.ord)`);
    step.transitions.forEach((t, i) => b.push(i, t.from, t.to, t.event, t.reason, t.layer, t.actor));
  }
  step.timers.forEach((t, i) => {
    if (t.delayMs === null) {
      sql.push(`t${i} AS (DELETE FROM dialog_timers WHERE dialog_id = (SELECT id FROM d) AND name = ?)`);
      b.push(t.name);
    } else {
      sql.push(`t${i} AS (
        INSERT INTO dialog_timers (dialog_id, name, due_at) SELECT d.id, ?, ${NOW} + (? * interval '1 millisecond') FROM d
        ON CONFLICT (dialog_id, name) DO UPDATE SET due_at = excluded.due_at)`);
      b.push(t.name, step.now ?? null, t.delayMs);
    }
  });
  if (step.outbox.effects.length > 0) {
    // The row this step marks done is not ahead of anything any more.
    const ahead = step.outboxDoneId === undefined ? PENDING_AHEAD : `${PENDING_AHEAD} AND p.id <> ${Number(step.outboxDoneId)}`;
    // Ordered rows are leased to the committer only when nothing of the dialog is still pending
    // ahead of them (the statement sees the table as it was before it): then the committer may
    // start them at once, in order; otherwise a runner claims them once those are done.
    sql.push(`ob AS (
      INSERT INTO outbox (dialog_id, kind, effect, locked_by, locked_until)
      SELECT d.id, v.kind, v.effect, CASE WHEN v.kind = 'parallel' OR NOT EXISTS (${ahead}) THEN ? END,
        CASE WHEN v.kind = 'parallel' OR NOT EXISTS (${ahead}) THEN now() + (? * interval '1 second') END
      FROM d, (VALUES ${step.outbox.effects.map(() => '(?::int, ?::text, ?::jsonb)').join(', ')}) AS v(ord, kind, effect)
      ORDER BY v.ord
      RETURNING id, locked_by IS NOT NULL AS leased)`);
    b.push(step.outbox.owner, step.outbox.leaseSeconds);
    step.outbox.effects.forEach((e, i) => b.push(i, e.kind, JSON.stringify(e.effect)));
  }

  const outbox = step.outbox.effects.length > 0 ? "(SELECT json_agg(json_build_object('id', id, 'leased', leased) ORDER BY id) FROM ob)" : "'[]'::json";
  const result = await db.raw(`WITH ${sql.join(',\n')}\nSELECT d.*, ${outbox} AS new_outbox FROM d`, b as Knex.RawBinding[]);
  const row = result.rows[0] as (Record<string, unknown> & { new_outbox: Array<{ id: string | number; leased: boolean }> }) | undefined;
  if (!row) return null;
  const { new_outbox, ...dialog } = row;
  return { row: dialog, outbox: new_outbox.map((r) => ({ id: Number(r.id), leased: r.leased })) };
}

/** An ordered effect of the same dialog still pending (ahead of the rows this statement inserts). */
const PENDING_AHEAD = "SELECT 1 FROM outbox p WHERE p.dialog_id = d.id AND p.done_at IS NULL AND p.kind = 'ordered'";

function rowValues(step: StepCommit): unknown[] {
  return [
    step.state,
    JSON.stringify(step.stateValue),
    JSON.stringify(step.context),
    step.revision,
    step.machineVersion,
    step.handoffReason,
    step.handoffLayer,
    step.closed,
    step.ticketMessageId,
    step.topicThreadId,
  ];
}

/**
 * A commit that failed may still have been written: PostgreSQL went away after it ran the
 * statement and before its answer arrived. Its effects are then leased to the step's `owner`,
 * who never starts them (the caller saw an error), and would wait out the lease. So once
 * PostgreSQL answers again (tried while the lease lasts; afterwards the rows are free anyway),
 * the rows still leased to `owner` are freed for any runner to claim.
 */
export function freeLeasesOfUnansweredCommit(db: Knex, owner: string, leaseSeconds = OUTBOX_LEASE_SECONDS): void {
  const free = () => db('outbox').where({ locked_by: owner }).whereNull('done_at').update({ locked_by: null, locked_until: null });
  void retryWhileAway(free, { forMs: leaseSeconds * 1000, stopped: () => false }).catch(() => undefined);
}
