import type { Knex } from 'knex';

/**
 * Message pairs (issue 14, edits and albums): every relayed message's original (the user's
 * message in their private chat, or an operator's in the operators' chat) and the copy the bot
 * made of it on the other side. An edit of the original finds its copies here; an album's parts
 * are paired one by one (`copyMessages` answers their copies' ids in order).
 *
 * A copy is one message, so it is the key; an original may have several copies (a photo copied
 * under the ticket, say) and is looked up by its own index.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('message_pairs', (t) => {
    t.bigInteger('copy_chat_id').notNullable();
    t.bigInteger('copy_message_id').notNullable();
    t.bigInteger('origin_chat_id').notNullable();
    t.bigInteger('origin_message_id').notNullable();
    t.bigInteger('dialog_id').notNullable().references('dialogs.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['copy_chat_id', 'copy_message_id']);
    t.index(['origin_chat_id', 'origin_message_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('message_pairs');
}
