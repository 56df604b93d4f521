import type { Knex } from 'knex';
import type { DialogStateName } from '../machines/dialog.machine';

/** A dialog as the admin API lists it. */
export interface DialogSummary {
  id: number;
  chatId: number;
  state: string;
  handoffReason: string | null;
  handoffLayer: string | null;
  user: { firstName: string | null; username: string | null; languageCode: string | null };
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

/** The read-only queries of the admin API. */
export class AdminStore {
  private constructor(private readonly db: Knex) {}

  static create(db: Knex): AdminStore {
    return new AdminStore(db);
  }

  /** Dialogs, newest first, optionally in one state and before an id (paging). */
  async dialogs(q: { state?: DialogStateName; limit: number; before?: number }): Promise<DialogSummary[]> {
    const query = this.db('dialogs as d')
      .join('users as u', 'u.id', 'd.user_id')
      .orderBy('d.id', 'desc')
      .limit(q.limit)
      .select('d.id', 'd.chat_id', 'd.state', 'd.handoff_reason', 'd.handoff_layer', 'd.created_at', 'd.updated_at', 'd.closed_at', 'u.first_name', 'u.username', 'u.language_code');
    if (q.state) query.where('d.state', q.state);
    if (q.before) query.where('d.id', '<', q.before);
    return (await query).map(summary);
  }

  /** Updates the webhook or the poller turned away, newest first. */
  async rejectedUpdates(q: { limit: number; before?: number }) {
    const query = this.db('rejected_updates').orderBy('id', 'desc').limit(q.limit).select('id', 'update_id', 'kind', 'reason', 'detail', 'received_at');
    if (q.before) query.where('id', '<', q.before);
    const rows: Array<Record<string, unknown>> = await query;
    return rows.map((r) => ({
      id: Number(r.id),
      updateId: r.update_id === null ? null : Number(r.update_id),
      kind: r.kind as string,
      reason: r.reason as string,
      detail: r.detail as string,
      receivedAt: r.received_at as Date,
    }));
  }

  /** Updates set aside after failing their attempts, newest first (the admin API). */
  async setAside(q: { limit: number; before?: number }): Promise<Array<{ updateId: number; lane: string; attempts: number; lastError: string | null; setAsideAt: Date }>> {
    const query = this.db('inbox_updates').whereNotNull('set_aside_at').orderBy('update_id', 'desc').limit(q.limit).select('update_id', 'lane', 'attempts', 'last_error', 'set_aside_at');
    if (q.before) query.where('update_id', '<', q.before);
    const rows: Array<Record<string, unknown>> = await query;
    return rows.map((r) => ({ updateId: Number(r.update_id), lane: r.lane as string, attempts: Number(r.attempts), lastError: (r.last_error as string | null) ?? null, setAsideAt: r.set_aside_at as Date }));
  }

  /** One dialog with its messages and transitions, or null. */
  async dialog(id: number) {
    const row = await this.db('dialogs as d').join('users as u', 'u.id', 'd.user_id').where('d.id', id).first('d.*', 'u.first_name', 'u.username', 'u.language_code');
    if (!row) return null;
    const [messages, transitions] = await Promise.all([
      this.db('messages').where({ dialog_id: id }).orderBy('id').select('id', 'sender', 'text', 'media', 'telegram_message_id', 'created_at'),
      this.db('dialog_transitions').where({ dialog_id: id }).orderBy('id').select('from_state', 'to_state', 'event', 'reason', 'layer', 'actor', 'created_at'),
    ]);
    return {
      dialog: { ...summary(row), stateValue: row.state_value, operator: row.context?.operator ?? null },
      messages: messages.map((m) => ({ ...m, id: Number(m.id), telegram_message_id: m.telegram_message_id === null ? null : Number(m.telegram_message_id) })),
      transitions,
    };
  }
}

function summary(row: Record<string, unknown>): DialogSummary {
  return {
    id: Number(row.id),
    chatId: Number(row.chat_id),
    state: row.state as string,
    handoffReason: (row.handoff_reason as string | null) ?? null,
    handoffLayer: (row.handoff_layer as string | null) ?? null,
    user: {
      firstName: (row.first_name as string | null) ?? null,
      username: (row.username as string | null) ?? null,
      languageCode: (row.language_code as string | null) ?? null,
    },
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
    closedAt: (row.closed_at as Date | null) ?? null,
  };
}
