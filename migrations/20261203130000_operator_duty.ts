import type { Knex } from 'knex';

/**
 * Operators on duty (issue 15): `/online` and `/offline` in the operators' group. One row per
 * operator who ever used them, keyed by the operator's Telegram id (their `operators` row is
 * upserted with it, so the name and @username used in mentions live in one place): whether they
 * are on duty, since when (the last change), and when a ticket was last assigned to them
 * (AUTO_ASSIGN's tie-break: the longest idle first). PostgreSQL holds it, so duty survives a
 * restart and is shared by every replica.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('operator_duty', (t) => {
    t.bigInteger('operator_telegram_id').primary().references('operators.telegram_id');
    t.boolean('on_duty').notNullable();
    t.timestamp('since', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_assigned_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX operator_duty_on_idx ON operator_duty (operator_telegram_id) WHERE on_duty');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('operator_duty');
}
