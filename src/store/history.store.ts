import type { Knex } from 'knex';

/** One of a user's dialogs, as `/history` and `GET /api/users/{telegramId}/dialogs` show it. */
export interface PastDialog {
  /** The dialog number operators use (`/take 12`). */
  id: number;
  state: string;
  createdAt: Date;
  closedAt: Date | null;
  /** How it ended (`operator`, `idle`, `blocked`, `admin`, `banned`); null while open. */
  closeReason: string | null;
  /** Why it was handed to a person (`rules.request_human`), if it was. */
  handoffReason: string | null;
  handoffLayer: string | null;
  /** The operator who had it last, if any. */
  operatorName: string | null;
  /** Messages stored in it (the user's, the bot's, the operators', notes). */
  messages: number;
  /** The user's rating after the operator's `/close` (1–5), null when none was given. */
  rating: number | null;
  /** The comment the user added to the rating, if any. */
  ratingComment: string | null;
}

/**
 * A user's dialogs, newest first: the operators' `/history` and the admin API. The user is named
 * by Telegram id, which is also their private chat's id (`dialogs.chat_id`).
 */
export class HistoryStore {
  private constructor(private readonly db: Knex) {}

  static create(db: Knex): HistoryStore {
    return new HistoryStore(db);
  }

  /** The user's dialogs, newest first, `before` a dialog number when given (its earlier ones), at most `limit`. */
  async dialogsOfUser(telegramId: number, q: { limit: number; before?: number }): Promise<PastDialog[]> {
    const query = this.db('dialogs as d')
      .where('d.chat_id', telegramId)
      .orderBy('d.id', 'desc')
      .limit(q.limit)
      .leftJoin('ratings as r', 'r.dialog_id', 'd.id')
      .select('d.id', 'd.state', 'd.created_at', 'd.closed_at', 'd.handoff_reason', 'd.handoff_layer', 'd.context', 'r.score', 'r.comment')
      .select(this.db('messages as m').whereRaw('m.dialog_id = d.id').count('*').as('message_count'));
    if (q.before) query.where('d.id', '<', q.before);
    const rows: Array<Record<string, unknown>> = await query;
    return rows.map((r) => {
      const context = (r.context ?? {}) as { closeReason?: string | null; operator?: { name?: string } | null };
      return {
        id: Number(r.id),
        state: r.state as string,
        createdAt: r.created_at as Date,
        closedAt: (r.closed_at as Date | null) ?? null,
        closeReason: r.state === 'closed' ? (context.closeReason ?? null) : null,
        handoffReason: (r.handoff_reason as string | null) ?? null,
        handoffLayer: (r.handoff_layer as string | null) ?? null,
        operatorName: context.operator?.name ?? null,
        messages: Number(r.message_count),
        rating: r.score === null || r.score === undefined ? null : Number(r.score),
        ratingComment: (r.comment as string | null) ?? null,
      };
    });
  }
}
