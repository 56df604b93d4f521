import type { Knex } from 'knex';

/**
 * Bans (issue 14): a banned user gets one polite fixed answer a day (`noticed_at`) and nothing
 * else: no LLM call, no ticket. One row per banned user, with who banned them, why, and from
 * which dialog; lifting a ban (`/unban`, `DELETE /api/bans/:userId`) deletes the row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bans', (t) => {
    t.bigInteger('user_telegram_id').primary();
    t.text('reason');
    t.bigInteger('banned_by'); // the operator's Telegram id; null: the admin API
    t.text('banned_by_name');
    t.bigInteger('dialog_id').references('dialogs.id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('noticed_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('bans');
}
