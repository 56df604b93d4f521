import type { Knex } from 'knex';

/**
 * The outbox runs apart from the inbox (round 2 of the core):
 * - `kind`: `ordered` effects of one dialog run one at a time in id order (what the user and the
 *   operators see keeps the order the machine decided); `parallel` ones (an LLM call, a
 *   cancellation, a callback answer) run at once, each in its own pool.
 * - `dialog_id` may be null: a reply to an input that reached no dialog ("take the dialog
 *   first", "not a member") is an effect too, durable and retried like the rest.
 * - `first_failed_at` bounds the retries (an answer is retried for a day, Telegram's own window);
 *   `outcome` says how a finished row ended: `done` or `given_up`.
 * - `inbox_updates.set_aside_at`: an update that failed its few quick attempts is set aside (its
 *   chat moves on); the admin API lists them.
 * - `messages.in_reply_to`: the user message (Telegram id) a bot answer answers. An answer can be
 *   stored after a later question (the user wrote while it was being written); the LLM's history
 *   puts it right after the question it answers.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('outbox', (t) => {
    t.text('kind').notNullable().defaultTo('ordered');
    t.timestamp('first_failed_at', { useTz: true });
    t.text('outcome');
  });
  await knex.raw('ALTER TABLE outbox ALTER COLUMN dialog_id DROP NOT NULL');
  await knex.raw("ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('ordered', 'parallel'))");
  await knex.raw('CREATE INDEX outbox_runnable_idx ON outbox (id) WHERE done_at IS NULL');
  await knex.schema.alterTable('messages', (t) => {
    t.bigInteger('in_reply_to');
  });
  await knex.schema.alterTable('inbox_updates', (t) => {
    t.timestamp('set_aside_at', { useTz: true });
  });
  await knex.raw('CREATE INDEX inbox_set_aside_idx ON inbox_updates (set_aside_at) WHERE set_aside_at IS NOT NULL');
  await knex.raw('CREATE INDEX dialogs_topic_idx ON dialogs (topic_thread_id) WHERE topic_thread_id IS NOT NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS dialogs_topic_idx');
  await knex.schema.alterTable('messages', (t) => {
    t.dropColumn('in_reply_to');
  });
  await knex.raw('DROP INDEX IF EXISTS inbox_set_aside_idx');
  await knex.schema.alterTable('inbox_updates', (t) => {
    t.dropColumn('set_aside_at');
  });
  await knex.raw('DROP INDEX IF EXISTS outbox_runnable_idx');
  await knex('outbox').whereNull('dialog_id').delete();
  await knex.raw('ALTER TABLE outbox ALTER COLUMN dialog_id SET NOT NULL');
  await knex.schema.alterTable('outbox', (t) => {
    t.dropChecks(['outbox_kind_check']);
    t.dropColumn('outcome');
    t.dropColumn('first_failed_at');
    t.dropColumn('kind');
  });
}
