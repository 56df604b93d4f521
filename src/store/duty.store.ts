import type { Knex } from 'knex';
import { OPEN } from './dialog.store';

/** An operator on duty, as the reminders mention them and AUTO_ASSIGN picks them. */
export interface DutyOperator {
  telegramId: number;
  name: string;
  username: string | null;
  /** When they went on duty. */
  since: Date;
}

/** Whom picks of an assignee wait for: one pick at a time, so two tickets at once see each other's pick. */
const PICK_LOCK = 15_130_000;

/**
 * The operator whose dialog a dialog's context names (`context.operator.id`, set by /take,
 * /transfer and AUTO_ASSIGN): the one place SQL reads it.
 */
const OWNER = "(d.context->'operator'->>'id')::bigint";

/**
 * The duty store: every statement on `operator_duty` (`/online`, `/offline`, who is on duty, and
 * AUTO_ASSIGN's pick). The operator's name and @username stay in `operators`, upserted with the
 * duty; PostgreSQL is the truth, so duty survives restarts and is shared by replicas.
 */
export class DutyStore {
  private constructor(private readonly db: Knex) {}

  static create(db: Knex): DutyStore {
    return new DutyStore(db);
  }

  /**
   * Puts an operator on or off duty (idempotent: the same call again changes nothing, and
   * `since` stays the time of the last real change); resolves with that time.
   */
  async setDuty(operator: { telegramId: number; name: string; username: string | null }, onDuty: boolean): Promise<{ since: Date }> {
    const { rows } = await this.db.raw(
      `WITH op AS (
         INSERT INTO operators (telegram_id, name, username) VALUES (?, ?, ?)
         ON CONFLICT (telegram_id) DO UPDATE SET name = excluded.name, username = excluded.username, last_seen_at = now()
         RETURNING telegram_id)
       INSERT INTO operator_duty (operator_telegram_id, on_duty) SELECT telegram_id, ? FROM op
       ON CONFLICT (operator_telegram_id) DO UPDATE SET on_duty = excluded.on_duty,
         since = CASE WHEN operator_duty.on_duty = excluded.on_duty THEN operator_duty.since ELSE now() END
       RETURNING since`,
      [operator.telegramId, operator.name, operator.username, onDuty],
    );
    return { since: rows[0].since as Date };
  }

  /** The operators on duty now, the longest on duty first. */
  async onDuty(): Promise<DutyOperator[]> {
    const rows: Array<Record<string, unknown>> = await this.db('operator_duty as od')
      .join('operators as o', 'o.telegram_id', 'od.operator_telegram_id')
      .where('od.on_duty', true)
      .orderBy([{ column: 'od.since' }, { column: 'od.operator_telegram_id' }])
      .select('od.operator_telegram_id', 'od.since', 'o.name', 'o.username');
    return rows.map(toDuty);
  }

  /**
   * AUTO_ASSIGN's choice for a new ticket: the on-duty operator with the fewest open dialogs
   * (open as the dialog store defines it, owned per `context.operator`); ties go to the longest
   * idle, the one whose last assignment or last act on a dialog (`operators.last_seen_at`) is
   * oldest. The pick is recorded (`last_assigned_at`) under a transaction-scoped advisory lock,
   * so tickets posted at the same moment are spread by the tie-break instead of all going to one
   * operator. Null when nobody is on duty.
   */
  async pickAssignee(): Promise<DutyOperator | null> {
    return this.db.transaction(async (trx) => {
      await trx.raw('SELECT pg_advisory_xact_lock(?)', [PICK_LOCK]);
      const { rows } = await trx.raw(
        `WITH load AS (
           SELECT ${OWNER} AS operator_id, count(*) AS n FROM dialogs d
           WHERE d.${OPEN} AND jsonb_typeof(d.context->'operator') = 'object'
           GROUP BY 1),
         pick AS (
           SELECT od.operator_telegram_id AS id FROM operator_duty od
           JOIN operators o ON o.telegram_id = od.operator_telegram_id
           LEFT JOIN load l ON l.operator_id = od.operator_telegram_id
           WHERE od.on_duty
           ORDER BY COALESCE(l.n, 0), GREATEST(od.last_assigned_at, o.last_seen_at), od.operator_telegram_id
           LIMIT 1)
         UPDATE operator_duty od SET last_assigned_at = now() FROM pick, operators o
         WHERE od.operator_telegram_id = pick.id AND o.telegram_id = pick.id
         RETURNING od.operator_telegram_id, od.since, o.name, o.username`,
      );
      return rows[0] ? toDuty(rows[0]) : null;
    });
  }
}

function toDuty(r: Record<string, unknown>): DutyOperator {
  return { telegramId: Number(r.operator_telegram_id), name: r.name as string, username: (r.username as string | null) ?? null, since: r.since as Date };
}
