import type { Knex } from 'knex';

/**
 * Ratings (issue 15, CSAT): after an operator's `/close` the user is asked "How did we do?" with
 * 1–5 buttons. One row per dialog, written when the question is sent (`asked_at`), with the
 * operator who had the dialog; the press fills `score` once (a second press changes nothing),
 * and one optional comment may follow. The question expires after a day, or as soon as the user
 * opens a newer dialog.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ratings', (t) => {
    t.bigInteger('dialog_id').primary().references('dialogs.id');
    t.bigInteger('user_telegram_id').notNullable();
    t.bigInteger('operator_telegram_id'); // the operator who had the dialog when it was closed
    t.text('operator_name');
    t.timestamp('asked_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.smallint('score');
    t.timestamp('rated_at', { useTz: true });
    t.text('rated_by_query'); // the callback query of the press: its effect, run again, repeats its messages and stores nothing
    t.text('comment');
    t.timestamp('commented_at', { useTz: true });
    t.index(['rated_at']);
    t.index(['user_telegram_id']);
  });
  await knex.raw('ALTER TABLE ratings ADD CONSTRAINT ratings_score_range CHECK (score BETWEEN 1 AND 5)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('ratings');
}
