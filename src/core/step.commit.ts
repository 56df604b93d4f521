import type { Knex } from 'knex';

/**
 * Commits one step of a dialog in a single SQL statement: the dialog row (updated at the
 * revision the step was computed from, or inserted for a new dialog), its transitions, the
 * message, the inbox row marked applied, the outbox row whose result this is marked done, the
 * timers and the new outbox rows.
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
  | { kind: 'update'; id: number; expectedRevision: number }
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
  transitions: Array<{ from: string | null; to: string; event: string; reason: string | null; layer: string | null; actor: string }>;
  /** A user's message (operators' messages take the transactional path: they need the operator's row). */
  message?: { sender: string; telegramChatId: number; telegramMessageId: number; text: string | null; media: unknown };
  inboxUpdateId?: number;
  outboxDoneId?: number;
  /** Net timer changes: a due time in ms to (re)schedule, or null to cancel. */
  timers: Array<{ name: string; delayMs: number | null }>;
  outbox: { owner: string; leaseSeconds: number; effects: unknown[] };
}

/** Runs the statement; null when the dialog row was not written (revision moved on, or an open dialog exists). */
export async function commitStep(db: Knex, step: StepCommit): Promise<{ row: Record<string, unknown>; outboxIds: number[] } | null> {
  const sql: string[] = [];
  const b: unknown[] = [];
  const d = step.dialog;

  if (d.kind === 'update') {
    sql.push(`d AS (
      UPDATE dialogs SET state = ?, state_value = ?::jsonb, context = ?::jsonb, revision = ?, machine_version = ?,
        handoff_reason = ?, handoff_layer = ?, updated_at = now(), closed_at = CASE WHEN ? THEN now() END
      WHERE id = ? AND revision = ?
      RETURNING *)`);
    b.push(...rowValues(step), d.id, d.expectedRevision);
  } else {
    const u = d.user;
    sql.push(`u AS (
      INSERT INTO users (telegram_id, first_name, last_name, username, language_code) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (telegram_id) DO UPDATE SET first_name = excluded.first_name, last_name = excluded.last_name,
        username = excluded.username, language_code = excluded.language_code, updated_at = now()
      RETURNING id)`);
    b.push(u.telegramId, u.firstName ?? null, u.lastName ?? null, u.username ?? null, u.languageCode ?? null);
    sql.push(`d AS (
      INSERT INTO dialogs (state, state_value, context, revision, machine_version, handoff_reason, handoff_layer, closed_at, id, user_id, chat_id)
      SELECT ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, CASE WHEN ? THEN now() END, ?, u.id, ? FROM u
      ON CONFLICT (chat_id) WHERE closed_at IS NULL DO NOTHING
      RETURNING *)`);
    b.push(...rowValues(step), d.id, d.chatId);
  }

  if (step.outboxDoneId !== undefined) {
    sql.push(`done AS (UPDATE outbox SET done_at = now(), attempts = attempts + 1 WHERE id = ? AND EXISTS (SELECT 1 FROM d))`);
    b.push(step.outboxDoneId);
  }
  if (step.message) {
    const m = step.message;
    sql.push(`msg AS (
      INSERT INTO messages (dialog_id, sender, telegram_chat_id, telegram_message_id, text, media)
      SELECT d.id, ?, ?, ?, ?, ?::jsonb FROM d)`);
    b.push(m.sender, m.telegramChatId, m.telegramMessageId, m.text, m.media === null || m.media === undefined ? null : JSON.stringify(m.media));
  }
  if (step.inboxUpdateId !== undefined) {
    sql.push(`inbox AS (UPDATE inbox_updates SET applied_at = now(), dialog_id = (SELECT id FROM d) WHERE update_id = ? AND EXISTS (SELECT 1 FROM d))`);
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
        INSERT INTO dialog_timers (dialog_id, name, due_at) SELECT d.id, ?, now() + (? * interval '1 millisecond') FROM d
        ON CONFLICT (dialog_id, name) DO UPDATE SET due_at = excluded.due_at)`);
      b.push(t.name, t.delayMs);
    }
  });
  if (step.outbox.effects.length > 0) {
    sql.push(`ob AS (
      INSERT INTO outbox (dialog_id, effect, locked_by, locked_until)
      SELECT d.id, v.effect, ?, now() + (? * interval '1 second')
      FROM d, (VALUES ${step.outbox.effects.map(() => '(?::int, ?::jsonb)').join(', ')}) AS v(ord, effect)
      ORDER BY v.ord
      RETURNING id)`);
    b.push(step.outbox.owner, step.outbox.leaseSeconds);
    step.outbox.effects.forEach((e, i) => b.push(i, JSON.stringify(e)));
  }

  const outboxIds = step.outbox.effects.length > 0 ? 'ARRAY(SELECT id FROM ob ORDER BY id)' : "'{}'::bigint[]";
  const result = await db.raw(`WITH ${sql.join(',\n')}\nSELECT d.*, ${outboxIds} AS outbox_ids FROM d`, b as Knex.RawBinding[]);
  const row = result.rows[0] as (Record<string, unknown> & { outbox_ids: Array<string | number> }) | undefined;
  if (!row) return null;
  const { outbox_ids, ...dialog } = row;
  return { row: dialog, outboxIds: outbox_ids.map(Number) };
}

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
  ];
}

/**
 * Marks an outbox row done, recording the messages its effect sent in the same statement: a
 * crash before this leaves the effect to be carried out again, never a message recorded twice.
 */
export async function markEffectDone(db: Knex, id: number, attempts: number, messages: SentMessageRow[]): Promise<void> {
  if (messages.length === 0) {
    await db('outbox').where({ id }).update({ done_at: db.fn.now(), attempts });
    return;
  }
  await db.raw(
    `WITH m AS (
       INSERT INTO messages (dialog_id, sender, telegram_chat_id, telegram_message_id, text)
       VALUES ${messages.map(() => '(?, ?, ?, ?, ?)').join(', ')})
     UPDATE outbox SET done_at = now(), attempts = ? WHERE id = ?`,
    [...messages.flatMap((m) => [m.dialogId, m.sender, m.telegramChatId, m.telegramMessageId, m.text]), attempts, id],
  );
}

export interface SentMessageRow {
  dialogId: number;
  sender: string;
  telegramChatId: number;
  telegramMessageId: number;
  text: string;
}
