import type { Knex } from 'knex';

/** A ban as the admin API lists it. */
export interface BanRecord {
  userId: number;
  username: string | null;
  reason: string | null;
  bannedBy: number | null;
  bannedByName: string | null;
  dialogId: number | null;
  createdAt: Date;
}

/** How often a banned user is told they are banned. */
const NOTICE_EVERY = "interval '1 day'";

/**
 * The bans' store: every statement on `bans`. A banned user's updates never step a dialog (the
 * router asks {@link isBanned} first); {@link claimNotice} lets one polite answer through a day.
 */
export class BanStore {
  private constructor(private readonly db: Knex) {}

  static create(db: Knex): BanStore {
    return new BanStore(db);
  }

  /** Bans a user (again: the newest reason and operator win). */
  async ban(input: { userId: number; reason: string | null; bannedBy: number | null; bannedByName: string | null; dialogId: number | null }): Promise<void> {
    await this.db.raw(
      `INSERT INTO bans (user_telegram_id, reason, banned_by, banned_by_name, dialog_id) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_telegram_id) DO UPDATE SET reason = excluded.reason, banned_by = excluded.banned_by,
         banned_by_name = excluded.banned_by_name, dialog_id = excluded.dialog_id, created_at = now()`,
      [input.userId, input.reason, input.bannedBy, input.bannedByName, input.dialogId],
    );
  }

  /** Lifts the ban of a user named by Telegram id or @username; the user's id, or null when there was none. */
  async lift(who: { userId: number } | { username: string }): Promise<number | null> {
    const { rows } = await this.db.raw(
      'userId' in who
        ? 'DELETE FROM bans WHERE user_telegram_id = ? RETURNING user_telegram_id'
        : 'DELETE FROM bans WHERE user_telegram_id IN (SELECT telegram_id FROM users WHERE lower(username) = lower(?)) RETURNING user_telegram_id',
      ['userId' in who ? who.userId : who.username],
    );
    return rows[0] ? Number(rows[0].user_telegram_id) : null;
  }

  /** Whether the user is banned. */
  async isBanned(userId: number): Promise<boolean> {
    return Boolean(await this.db('bans').where({ user_telegram_id: userId }).first('user_telegram_id'));
  }

  /** True at most once a day per banned user: the polite answer may go out now (and is counted as sent). */
  async claimNotice(userId: number): Promise<boolean> {
    const { rows } = await this.db.raw(
      `UPDATE bans SET noticed_at = now() WHERE user_telegram_id = ? AND (noticed_at IS NULL OR noticed_at < now() - ${NOTICE_EVERY}) RETURNING 1`,
      [userId],
    );
    return rows.length > 0;
  }

  /** Every ban, newest first, with the user's @username when known. */
  async list(limit = 200): Promise<BanRecord[]> {
    const rows: Array<Record<string, unknown>> = await this.db('bans as b')
      .leftJoin('users as u', 'u.telegram_id', 'b.user_telegram_id')
      .orderBy('b.created_at', 'desc')
      .limit(limit)
      .select('b.*', 'u.username');
    return rows.map((r) => ({
      userId: Number(r.user_telegram_id),
      username: (r.username as string | null) ?? null,
      reason: (r.reason as string | null) ?? null,
      bannedBy: r.banned_by === null ? null : Number(r.banned_by),
      bannedByName: (r.banned_by_name as string | null) ?? null,
      dialogId: r.dialog_id === null ? null : Number(r.dialog_id),
      createdAt: r.created_at as Date,
    }));
  }
}
