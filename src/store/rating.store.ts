import type { Knex } from 'knex';
import type { TicketRef } from '../machines/dialog.types';

/** How long the "How did we do?" question stays answerable (unless the user opens a newer dialog first). */
const QUESTION_LIFETIME = "interval '24 hours'";

/** A rating as the press stored it, with where to show it to the operators. */
export interface StoredRating {
  dialogId: number;
  score: number;
  operatorId: number | null;
  operatorName: string | null;
  /** The dialog's ticket: the rating is posted in its topic, or as a reply to it. */
  ticket: TicketRef | null;
}

/**
 * What a press on the question did: `rated` the first time; `already` when the dialog has its
 * rating (a second press changes nothing); `expired` when the question is over a day old or the
 * user has opened a newer dialog since; `unknown` when no question was asked (or it was not theirs).
 */
export type RateOutcome = { outcome: 'rated'; rating: StoredRating; replay: boolean } | { outcome: 'already' | 'expired' | 'unknown' };

/** What a comment did: `saved` (with where to show it), or `refused` (no rating to comment on, or it has its comment). */
export type CommentOutcome = { outcome: 'saved'; rating: StoredRating } | { outcome: 'refused' };

/**
 * The ratings' store (CSAT): every statement on `ratings`. A row is written when the question is
 * asked ({@link ask}), its score once by the user's press ({@link rate}), one comment after it
 * ({@link comment}). "Answerable" is defined once, here: asked within a day, and no newer dialog
 * of the user since (a user who wrote something new has moved on, and the question expired).
 */
export class RatingStore {
  private constructor(private readonly db: Knex) {}

  static create(db: Knex): RatingStore {
    return new RatingStore(db);
  }

  /** Records that the question was asked about a dialog at `at` (ms; again: nothing changes, so a retried send is harmless). */
  async ask(input: { dialogId: number; userId: number; operatorId: number | null; operatorName: string | null; at: number }): Promise<void> {
    await this.db.raw(
      `INSERT INTO ratings (dialog_id, user_telegram_id, operator_telegram_id, operator_name, asked_at) VALUES (?, ?, ?, ?, ?::timestamptz)
       ON CONFLICT (dialog_id) DO NOTHING`,
      [input.dialogId, input.userId, input.operatorId, input.operatorName, iso(input.at)],
    );
  }

  /**
   * The user's press at `at` (ms; `queryId`: its callback query): stores `score` if the question is theirs,
   * answerable and not yet answered. The same press again (its effect retried after a failed send)
   * is `rated` with `replay`: its messages are sent again, nothing is stored or counted twice.
   */
  async rate(input: { dialogId: number; userId: number; score: number; queryId: string; at: number }): Promise<RateOutcome> {
    const { rows } = await this.db.raw(
      `UPDATE ratings r SET score = ?, rated_at = ?::timestamptz, rated_by_query = ? FROM dialogs d
       WHERE r.dialog_id = ? AND r.user_telegram_id = ? AND r.score IS NULL AND d.id = r.dialog_id AND ${ANSWERABLE}
       RETURNING ${RATING_COLUMNS}`,
      [input.score, iso(input.at), input.queryId, input.dialogId, input.userId, iso(input.at)],
    );
    if (rows[0]) return { outcome: 'rated', rating: ratingOf(rows[0]), replay: false };
    const { rows: same } = await this.db.raw(
      `SELECT ${RATING_COLUMNS} FROM ratings r JOIN dialogs d ON d.id = r.dialog_id
       WHERE r.dialog_id = ? AND r.user_telegram_id = ? AND r.rated_by_query = ?`,
      [input.dialogId, input.userId, input.queryId],
    );
    if (same[0]) return { outcome: 'rated', rating: ratingOf(same[0]), replay: true };
    return { outcome: await this.whyNot(input.dialogId, input.userId) };
  }

  /** The score, when the user may still add a comment to the dialog's rating (rated, no comment yet, answerable); else null. */
  async commentable(input: { dialogId: number; userId: number; at: number }): Promise<number | null> {
    const { rows } = await this.db.raw(
      `SELECT r.score FROM ratings r WHERE r.dialog_id = ? AND r.user_telegram_id = ? AND r.score IS NOT NULL AND r.comment IS NULL AND ${ANSWERABLE}`,
      [input.dialogId, input.userId, iso(input.at)],
    );
    return rows[0] ? Number(rows[0].score) : null;
  }

  /**
   * Stores the one comment on a rating (the user pressed "Add a comment" and wrote it). The same
   * comment again (its effect retried) is `saved` once more, so its messages are sent again.
   */
  async comment(input: { dialogId: number; userId: number; text: string; at: number }): Promise<CommentOutcome> {
    const { rows } = await this.db.raw(
      `UPDATE ratings r SET comment = ?, commented_at = ?::timestamptz FROM dialogs d
       WHERE r.dialog_id = ? AND r.user_telegram_id = ? AND r.score IS NOT NULL AND (r.comment IS NULL OR r.comment = ?) AND d.id = r.dialog_id
       RETURNING ${RATING_COLUMNS}`,
      [input.text, iso(input.at), input.dialogId, input.userId, input.text],
    );
    return rows[0] ? { outcome: 'saved', rating: ratingOf(rows[0]) } : { outcome: 'refused' };
  }

  private async whyNot(dialogId: number, userId: number): Promise<'already' | 'expired' | 'unknown'> {
    const { rows } = await this.db.raw(
      'SELECT r.score IS NOT NULL AS rated FROM ratings r WHERE r.dialog_id = ? AND r.user_telegram_id = ?',
      [dialogId, userId],
    );
    const row = rows[0] as { rated: boolean } | undefined;
    if (!row) return 'unknown';
    return row.rated ? 'already' : 'expired';
  }
}

/** The question of rating `r` can still be answered at the time bound last: asked within a day of it, and the user has no newer dialog. */
const ANSWERABLE = `r.asked_at > ?::timestamptz - ${QUESTION_LIFETIME}
  AND NOT EXISTS (SELECT 1 FROM dialogs n WHERE n.chat_id = r.user_telegram_id AND n.id > r.dialog_id)`;

/** What a rating's effects need: the score, the operator, and the dialog's ticket (`r` ratings, `d` dialogs). */
const RATING_COLUMNS = "r.dialog_id, r.score, r.operator_telegram_id, r.operator_name, d.context -> 'ticket' AS ticket";

const iso = (ms: number) => new Date(ms).toISOString();

function ratingOf(row: Record<string, unknown>): StoredRating {
  return {
    dialogId: Number(row.dialog_id),
    score: Number(row.score),
    operatorId: row.operator_telegram_id === null ? null : Number(row.operator_telegram_id),
    operatorName: (row.operator_name as string | null) ?? null,
    ticket: (row.ticket as TicketRef | null) ?? null,
  };
}
