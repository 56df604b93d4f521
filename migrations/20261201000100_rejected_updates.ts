import type { Knex } from 'knex';

/**
 * Updates turned away at the door (see src/telegram/update.schema.ts): acknowledged to Telegram
 * with 200 so it stops redelivering them, and kept here once, with the reason, for the admin API.
 * They never enter `inbox_updates`, so no worker ever tries them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rejected_updates', (t) => {
    t.bigIncrements('id');
    t.bigInteger('update_id'); // null: the body had no usable update_id
    t.text('kind').notNullable(); // message, callback_query… (bounded: see UPDATE_KINDS)
    t.text('reason').notNullable(); // not_an_update | too_deep | invalid | unstorable
    t.text('detail').notNullable(); // the first problem, in words, never the value
    t.jsonb('payload'); // the body made storable; null when it cannot be stored
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // A redelivery of the same update is the same row.
  await knex.raw('CREATE UNIQUE INDEX rejected_updates_update_id_idx ON rejected_updates (update_id) WHERE update_id IS NOT NULL');
  await knex.raw('CREATE INDEX rejected_updates_received_at_idx ON rejected_updates (received_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('rejected_updates');
}
