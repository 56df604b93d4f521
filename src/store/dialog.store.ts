import type { Knex } from 'knex';
import type { DialogContext } from '../machines/dialog.types';
import { commitStep, freeLeasesOfUnansweredCommit, type NewOutboxRow, type StepCommit } from './step.commit';

/** A dialog's row as the runtime needs it: enough to rebuild its machine and to carry out its effects. */
export interface DialogRecord {
  id: number;
  userId: number;
  chatId: number;
  /** Top-level state, e.g. `awaitingOperator`. */
  state: string;
  revision: number;
  /** XState's state value, e.g. `{"handoffRequested":"posting"}`. */
  stateValue: unknown;
  context: DialogContext;
  createdAt: Date;
}

/** A user as stored in `users`. */
export interface UserRecord {
  telegramId: number;
  firstName: string | null;
  lastName: string | null;
  username: string | null;
}

/** One of a dialog's recent messages, as a ticket quotes it. */
export interface RecentMessage {
  sender: string;
  text: string | null;
  /** `group`: the album (media_group_id) the message is a part of. */
  media: { kind: string; group?: string } | null;
  telegramMessageId: number | null;
}

/**
 * "Open" in SQL: a dialog is open until its machine reaches its final state; the step that gets
 * there sets `closed_at` ({@link StepCommit.closed}), and the unique index `dialogs_open_chat_uniq`
 * keeps one open dialog per chat. Every query for open dialogs uses this one condition (the duty
 * store's count of an operator's open dialogs too).
 */
export const OPEN = 'closed_at IS NULL';

/**
 * The dialogs' store: every statement on users, dialogs, messages and message links lives here
 * (the inbox, outbox and timers have stores of their own beside it). A step is written by
 * {@link commit}, always the same single statement.
 */
export class DialogStore {
  private constructor(private readonly db: Knex) {}

  static create(db: Knex): DialogStore {
    return new DialogStore(db);
  }

  /** Commits a step; null when the dialog moved on (another step came first) and nothing was written. */
  async commit(step: StepCommit): Promise<{ dialog: DialogRecord; outbox: NewOutboxRow[] } | null> {
    let committed;
    try {
      committed = await commitStep(this.db, step);
    } catch (error) {
      if (step.outbox.effects.length > 0) freeLeasesOfUnansweredCommit(this.db, step.outbox.owner);
      throw error;
    }
    return committed && { dialog: toRecord(committed.row), outbox: committed.outbox };
  }

  /**
   * Queues effects that answer an input without stepping a dialog (a refusal, a callback answer),
   * marking the update processed in the same statement.
   */
  async commitReplies(input: { dialogId: number | null; inboxUpdateId?: number; effects: Array<{ kind: string; effect: unknown }> }): Promise<number[]> {
    const b: Knex.RawBinding[] = [];
    const parts: string[] = [];
    if (input.inboxUpdateId !== undefined) {
      parts.push('i AS (UPDATE inbox_updates SET processed_at = now(), locked_until = NULL WHERE update_id = ?)');
      b.push(input.inboxUpdateId);
    }
    if (input.effects.length === 0) {
      if (parts.length) await this.db.raw(`WITH ${parts.join(', ')} SELECT 1`, b);
      return [];
    }
    for (const e of input.effects) b.push(input.dialogId, e.kind, JSON.stringify(e.effect));
    const { rows } = await this.db.raw(
      `${parts.length ? `WITH ${parts.join(', ')} ` : ''}INSERT INTO outbox (dialog_id, kind, effect)
       VALUES ${input.effects.map(() => '(?::bigint, ?, ?::jsonb)').join(', ')} RETURNING id`,
      b,
    );
    return (rows as Array<{ id: string }>).map((r) => Number(r.id));
  }

  /** Answers when PostgreSQL does (readiness). */
  async ping(): Promise<void> {
    await this.db.raw('SELECT 1');
  }

  /** A number for a new dialog, from the dialogs' sequence (the machine's context needs it before the first step). */
  async nextDialogId(): Promise<number> {
    const { rows } = await this.db.raw("SELECT nextval(pg_get_serial_sequence('dialogs', 'id')) AS id");
    return Number(rows[0].id);
  }

  /** The chat's open dialog, from PostgreSQL (the truth when Redis is behind or away). */
  async openDialogOfChat(chatId: number): Promise<DialogRecord | null> {
    const row = await this.db('dialogs').where({ chat_id: chatId }).whereRaw(OPEN).first();
    return row ? toRecord(row) : null;
  }

  /** A dialog by number, open or not. */
  async dialog(id: number): Promise<DialogRecord | null> {
    const row = await this.db('dialogs').where({ id }).first();
    return row ? toRecord(row) : null;
  }

  /** The open dialog with this number: its user's chat, or null. */
  async openDialog(id: number): Promise<{ chatId: number } | null> {
    const row = await this.db('dialogs').where({ id }).whereRaw(OPEN).first('chat_id');
    return row ? { chatId: Number(row.chat_id) } : null;
  }

  /**
   * What `/reopen <n>` needs to know of dialog `n`: its user's chat, whether it is open, whether it
   * ever had a ticket (the operators' place to answer in), and the user's other open dialog, if any
   * (reopening must not make two). Null: no such dialog.
   */
  async reopenCandidate(id: number): Promise<{ chatId: number; open: boolean; hadTicket: boolean; otherOpen: number | null } | null> {
    const { rows } = await this.db.raw(
      `SELECT d.chat_id, d.${OPEN} AS open, d.ticket_message_id IS NOT NULL AS had_ticket,
         (SELECT o.id FROM dialogs o WHERE o.chat_id = d.chat_id AND o.${OPEN} AND o.id <> d.id ORDER BY o.id DESC LIMIT 1) AS other
       FROM dialogs d WHERE d.id = ?`,
      [id],
    );
    const row = rows[0] as { chat_id: string; open: boolean; had_ticket: boolean; other: string | null } | undefined;
    return row ? { chatId: Number(row.chat_id), open: row.open, hadTicket: row.had_ticket, otherOpen: row.other === null ? null : Number(row.other) } : null;
  }

  /** The dialog whose forum topic this is (the newest, should a thread id be reused). */
  async dialogOfThread(threadId: number): Promise<number | null> {
    const row = await this.db('dialogs').where({ topic_thread_id: threadId }).orderBy('id', 'desc').first('id');
    return row ? Number(row.id) : null;
  }

  /** The dialog a message in the operators' chat belongs to: a ticket or a relayed copy. */
  async dialogOfLink(chatId: number, messageId: number): Promise<number | null> {
    const row = await this.db('message_links').where({ chat_id: chatId, message_id: messageId }).first('dialog_id');
    return row ? Number(row.dialog_id) : null;
  }

  /** The user's last texts in the chat's open dialog, oldest first (context for the handoff detector). */
  async recentUserTexts(chatId: number, limit = 5): Promise<string[]> {
    const rows: Array<{ text: string }> = await this.db('messages as m')
      .join('dialogs as d', 'd.id', 'm.dialog_id')
      .where('d.chat_id', chatId)
      .whereRaw(`d.${OPEN}`)
      .andWhere('m.sender', 'user')
      .whereNotNull('m.text')
      .orderBy('m.id', 'desc')
      .limit(limit)
      .select('m.text');
    return rows.map((r) => r.text).reverse();
  }

  /**
   * The dialog's last user and bot texts, oldest first: the LLM's history. A bot answer stands
   * right after the question it answers (`in_reply_to`), even when a later question was stored
   * before it (the user wrote while it was being written).
   */
  async conversation(dialogId: number, limit: number): Promise<Array<{ sender: 'user' | 'bot'; text: string }>> {
    const { rows } = await this.db.raw(
      `SELECT sender, text FROM (
         SELECT m.sender, m.text, m.id, CASE WHEN m.in_reply_to IS NULL THEN m.id ELSE COALESCE(
           (SELECT max(u.id) FROM messages u WHERE u.dialog_id = m.dialog_id AND u.sender = 'user' AND u.telegram_message_id = m.in_reply_to),
           m.id) END AS turn
         FROM messages m
         WHERE m.dialog_id = ? AND m.sender IN ('user', 'bot') AND m.text IS NOT NULL
         ORDER BY turn DESC, m.id DESC
         LIMIT ?) t
       ORDER BY turn, id`,
      [dialogId, limit],
    );
    return rows as Array<{ sender: 'user' | 'bot'; text: string }>;
  }

  /** The dialog's last messages from the user and the bot, oldest first, with media: what a ticket quotes. */
  async recentMessages(dialogId: number, limit = 6): Promise<RecentMessage[]> {
    const rows = await this.db('messages')
      .where({ dialog_id: dialogId })
      .whereIn('sender', ['user', 'bot'])
      .orderBy('id', 'desc')
      .limit(limit)
      .select('sender', 'text', 'media', 'telegram_message_id');
    return rows.reverse().map((r) => ({
      sender: r.sender,
      text: r.text,
      media: r.media,
      telegramMessageId: r.telegram_message_id === null ? null : Number(r.telegram_message_id),
    }));
  }

  /** An operator who has acted on a dialog before, by @username (case-insensitive): a transfer's target. */
  async operatorByUsername(username: string): Promise<{ telegramId: number; name: string } | null> {
    const row = await this.db('operators').whereRaw('lower(username) = lower(?)', [username]).orderBy('last_seen_at', 'desc').first('telegram_id', 'name');
    return row ? { telegramId: Number(row.telegram_id), name: row.name as string } : null;
  }

  /** Open dialogs counted by top-level state (the metrics' gauge). */
  async openDialogsByState(): Promise<Array<{ state: string; n: number }>> {
    const rows: Array<{ state: string; n: string }> = await this.db('dialogs').whereRaw(OPEN).groupBy('state').select('state').count('* as n');
    return rows.map((r) => ({ state: r.state, n: Number(r.n) }));
  }

  /** The user behind a dialog. */
  async user(userId: number): Promise<UserRecord | null> {
    const row = await this.db('users').where({ id: userId }).first();
    return row ? { telegramId: Number(row.telegram_id), firstName: row.first_name, lastName: row.last_name, username: row.username } : null;
  }
}

function toRecord(row: Record<string, unknown>): DialogRecord {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    chatId: Number(row.chat_id),
    state: row.state as string,
    revision: Number(row.revision),
    stateValue: row.state_value,
    context: row.context as DialogContext,
    createdAt: row.created_at as Date,
  };
}
