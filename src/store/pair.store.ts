import type { Knex } from 'knex';

/** A relayed message and its copy on the other side (the user's chat, or the operators'). */
export interface MessagePair {
  originChatId: number;
  originMessageId: number;
  copyChatId: number;
  copyMessageId: number;
}

/** A copy of a message, where it is. */
export interface CopyRef {
  chatId: number;
  messageId: number;
}

/**
 * The message pairs' store: every statement on `message_pairs`. Pairs are written with the
 * statement that records the effect that made the copies ({@link pairsInsert}: the outbox's
 * "done", or the follow-up step), so a crash before it leaves the copy to be made again, never a
 * pair without its effect's record; they are read when an edit comes.
 */
export class PairStore {
  private constructor(private readonly db: Knex) {}

  static create(db: Knex): PairStore {
    return new PairStore(db);
  }

  /** The copies of a message made for this dialog, oldest first (none: the message was never relayed). */
  async copiesOf(dialogId: number, originChatId: number, originMessageId: number): Promise<CopyRef[]> {
    const rows: Array<{ copy_chat_id: string; copy_message_id: string }> = await this.db('message_pairs')
      .where({ dialog_id: dialogId, origin_chat_id: originChatId, origin_message_id: originMessageId })
      .orderBy('created_at')
      .orderBy('copy_message_id')
      .select('copy_chat_id', 'copy_message_id');
    return rows.map((r) => ({ chatId: Number(r.copy_chat_id), messageId: Number(r.copy_message_id) }));
  }
}

/**
 * The CTE that inserts pairs, for the statement that records the effect which made them.
 * `dialog`: the dialog's id, or `'d'` inside a step's statement (the pairs hang on its `d` row,
 * so a step that is not written writes none). A copy recorded twice (an effect's record retried)
 * is the same row.
 */
export function pairsInsert(name: string, pairs: MessagePair[], dialog: number | 'd'): { sql: string; bindings: Knex.RawBinding[] } {
  const bindings: Knex.RawBinding[] = [];
  for (const p of pairs) bindings.push(p.copyChatId, p.copyMessageId, p.originChatId, p.originMessageId);
  const source = dialog === 'd' ? 'd.id FROM d,' : '?::bigint FROM';
  if (dialog !== 'd') bindings.unshift(dialog);
  return {
    sql: `${name} AS (
      INSERT INTO message_pairs (copy_chat_id, copy_message_id, origin_chat_id, origin_message_id, dialog_id)
      SELECT v.copy_chat_id, v.copy_message_id, v.origin_chat_id, v.origin_message_id, ${source}
        (VALUES ${pairs.map(() => '(?::bigint, ?::bigint, ?::bigint, ?::bigint)').join(', ')}) AS v(copy_chat_id, copy_message_id, origin_chat_id, origin_message_id)
      ON CONFLICT (copy_chat_id, copy_message_id) DO NOTHING)`,
    bindings,
  };
}

/** Pairs an album's parts with their copies, in order (`copyMessages` answers the copies' ids in the parts' order). */
export function albumPairs(originChatId: number, originIds: number[], copyChatId: number, copyIds: number[]): MessagePair[] {
  return originIds.slice(0, copyIds.length).map((originMessageId, i) => ({ originChatId, originMessageId, copyChatId, copyMessageId: copyIds[i]! }));
}
