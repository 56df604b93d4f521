import type { Knex } from 'knex';

/**
 * The long-term record: users, operators, dialogs, their messages and transitions, plus the
 * durable queues: the inbox of Telegram updates (each applied to its dialog once), the outbox of
 * effects (carried out at least once, done in the transaction of their result), and the timers.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id');
    t.bigInteger('telegram_id').notNullable().unique();
    t.text('first_name');
    t.text('last_name');
    t.text('username');
    t.text('language_code');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('operators', (t) => {
    t.bigIncrements('id');
    t.bigInteger('telegram_id').notNullable().unique();
    t.text('name').notNullable();
    t.text('username');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('dialogs', (t) => {
    t.bigIncrements('id'); // the dialog number operators see: /take <id>
    t.bigInteger('user_id').notNullable().references('users.id');
    t.bigInteger('chat_id').notNullable();
    t.text('state').notNullable(); // top-level state: botActive, handoffRequested, ...
    t.jsonb('state_value').notNullable(); // full XState state value, e.g. {"handoffRequested":"posting"}
    t.jsonb('context').notNullable(); // the machine's context: with state_value, enough to rebuild
    t.integer('machine_version').notNullable();
    t.integer('revision').notNullable().defaultTo(0);
    t.bigInteger('operator_id').references('operators.id');
    t.text('handoff_reason');
    t.text('handoff_layer');
    t.integer('topic_thread_id');
    t.bigInteger('ticket_message_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('closed_at', { useTz: true });
    t.index(['state']);
  });
  // At most one open dialog per user chat.
  await knex.raw('CREATE UNIQUE INDEX dialogs_open_chat_uniq ON dialogs (chat_id) WHERE closed_at IS NULL');

  await knex.schema.createTable('messages', (t) => {
    t.bigIncrements('id');
    t.bigInteger('dialog_id').notNullable().references('dialogs.id');
    t.text('sender').notNullable();
    t.bigInteger('operator_id').references('operators.id');
    t.bigInteger('telegram_chat_id');
    t.bigInteger('telegram_message_id');
    t.text('text');
    t.jsonb('media'); // {kind, file_id} for photos, documents, voice, stickers...
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['dialog_id', 'id']);
    t.index(['telegram_chat_id', 'telegram_message_id']);
  });
  await knex.raw(
    "ALTER TABLE messages ADD CONSTRAINT messages_sender_check CHECK (sender IN ('user', 'bot', 'operator', 'system'))",
  );

  // Copies of a dialog's messages in the operators' chat (tickets, relayed messages): an operator's
  // reply to one of them in a plain group is routed to its dialog.
  await knex.schema.createTable('message_links', (t) => {
    t.bigInteger('chat_id').notNullable();
    t.bigInteger('message_id').notNullable();
    t.bigInteger('dialog_id').notNullable().references('dialogs.id');
    t.primary(['chat_id', 'message_id']);
  });

  await knex.schema.createTable('dialog_transitions', (t) => {
    t.bigIncrements('id');
    t.bigInteger('dialog_id').notNullable().references('dialogs.id');
    t.text('from_state'); // null for the dialog's start
    t.text('to_state').notNullable();
    t.text('event').notNullable();
    t.text('reason');
    t.text('layer');
    t.text('actor').notNullable(); // user, operator:<telegram id>, llm, timer, admin, system
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['dialog_id', 'id']);
  });

  await knex.schema.createTable('inbox_updates', (t) => {
    t.bigInteger('update_id').primary(); // Telegram's id: a repeat is the same row
    t.text('lane').notNullable(); // updates of one lane are processed one at a time, in update_id order
    t.jsonb('payload').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('locked_until', { useTz: true });
    t.text('locked_by');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('applied_at', { useTz: true }); // the dialog transition is committed
    t.bigInteger('dialog_id'); // the dialog it was applied to
    t.timestamp('processed_at', { useTz: true }); // and its effects are carried out
    t.text('last_error');
  });
  await knex.raw('CREATE INDEX inbox_pending_lane_idx ON inbox_updates (lane, update_id) WHERE processed_at IS NULL');
  await knex.raw('CREATE INDEX inbox_pending_idx ON inbox_updates (update_id) WHERE processed_at IS NULL');
  await knex.raw('CREATE INDEX inbox_processed_at_idx ON inbox_updates (processed_at) WHERE processed_at IS NOT NULL');

  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('id');
    t.bigInteger('dialog_id').notNullable().references('dialogs.id');
    t.jsonb('effect').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('locked_until', { useTz: true });
    t.text('locked_by'); // the instance carrying it out
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('done_at', { useTz: true });
    t.text('last_error');
  });
  await knex.raw('CREATE INDEX outbox_pending_idx ON outbox (dialog_id, id) WHERE done_at IS NULL');

  await knex.schema.createTable('dialog_timers', (t) => {
    t.bigInteger('dialog_id').notNullable().references('dialogs.id');
    t.text('name').notNullable();
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.primary(['dialog_id', 'name']);
    t.index(['due_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['dialog_timers', 'outbox', 'inbox_updates', 'dialog_transitions', 'message_links', 'messages', 'dialogs', 'operators', 'users']) {
    await knex.schema.dropTableIfExists(table);
  }
}
