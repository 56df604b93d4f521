import type { Knex } from 'knex';

/**
 * Private notes (issue 14): an operator's message in a dialog's topic (or a reply to its ticket)
 * starting with `!` or `//` is kept in `messages` as sender `note`: shown in the admin API, never
 * sent to the user, never in the LLM's history or a ticket's quote (those read `user` and `bot`).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE messages DROP CONSTRAINT messages_sender_check');
  await knex.raw("ALTER TABLE messages ADD CONSTRAINT messages_sender_check CHECK (sender IN ('user', 'bot', 'operator', 'system', 'note'))");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DELETE FROM messages WHERE sender = 'note'");
  await knex.raw('ALTER TABLE messages DROP CONSTRAINT messages_sender_check');
  await knex.raw("ALTER TABLE messages ADD CONSTRAINT messages_sender_check CHECK (sender IN ('user', 'bot', 'operator', 'system'))");
}
