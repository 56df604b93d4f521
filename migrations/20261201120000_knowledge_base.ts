import type { Knex } from 'knex';

/**
 * The knowledge base's index (see docs/knowledge.md). The Markdown files in KNOWLEDGE_DIR are
 * the source of truth; these tables are rebuilt from them by `npm run knowledge:index` or at
 * start-up when the files' content hash changed.
 *
 * - `knowledge_entries`: one row per `##` section, with a weighted tsvector (title A, tags B,
 *   text C) built in the entry's language configuration (`russian`, `english`).
 * - `knowledge_terms`: document frequency of every lexeme per language, for IDF weights.
 * - `knowledge_words`: the surface words of the base with their lexemes, so a misspelt query
 *   word finds the word it meant by pg_trgm similarity among the words of about its length
 *   that start with its letter.
 * - `knowledge_synonyms`: groups of words that mean the same to a customer, as lexemes.
 * - `knowledge_index`: the hash of the files last indexed, so start-up reindexes only on change.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');

  await knex.schema.createTable('knowledge_entries', (t) => {
    t.text('id').primary(); // '<file>#<heading>', e.g. 'delivery.ru.md#Сроки доставки'
    t.text('file').notNullable();
    t.text('heading').notNullable();
    t.text('lang').notNullable();
    t.specificType('tags', 'text[]').notNullable().defaultTo('{}');
    t.text('body').notNullable();
    t.integer('position').notNullable(); // order of the entry in its file
    t.specificType('tsv', 'tsvector').notNullable();
    t.specificType('embedding', 'real[]'); // optional: OPENAI_EMBEDDINGS_MODEL
    t.text('content_hash').notNullable();
    t.timestamp('indexed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // No index on lang alone: the planner would scan a language's entries by it and test each
    // tsvector, instead of asking the GIN index below for the few that match.
  });
  await knex.raw("ALTER TABLE knowledge_entries ADD CONSTRAINT knowledge_entries_lang_check CHECK (lang IN ('ru', 'en'))");
  await knex.raw('CREATE INDEX knowledge_entries_tsv_idx ON knowledge_entries USING gin (tsv)');

  await knex.schema.createTable('knowledge_terms', (t) => {
    t.text('lang').notNullable();
    t.text('lexeme').notNullable();
    t.text('prefix').notNullable(); // the lexeme's first 5 letters: finds a query word's relatives (откры: открыва, открыт)
    t.integer('df').notNullable();
    t.primary(['lang', 'lexeme']);
    t.index(['lang', 'prefix']);
  });

  await knex.schema.createTable('knowledge_words', (t) => {
    t.text('lang').notNullable();
    t.text('word').notNullable();
    t.text('lexeme').notNullable();
    t.text('first').notNullable(); // the word's first letter and its length: a typo's neighbours share
    t.integer('length').notNullable(); // the first letter and differ in length by at most 2
    t.primary(['lang', 'word', 'lexeme']);
    t.index(['lang', 'first', 'length']);
  });

  // Groups of words customers use for the same thing (built in, plus the base's synonyms.txt), as lexemes.
  await knex.schema.createTable('knowledge_synonyms', (t) => {
    t.text('lang').notNullable();
    t.integer('grp').notNullable();
    t.text('lexeme').notNullable();
    t.primary(['lang', 'lexeme', 'grp']);
    t.index(['lang', 'grp']);
  });

  await knex.schema.createTable('knowledge_index', (t) => {
    t.text('name').primary(); // one row, 'default'
    t.text('source_hash').notNullable();
    t.integer('entries').notNullable();
    t.jsonb('languages').notNullable().defaultTo('{}'); // entries per language, e.g. {"ru": 46, "en": 46}: N of the IDF
    t.timestamp('indexed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

/** Drops the index tables; the Markdown files stay, so `up` and a reindex restore everything. */
export async function down(knex: Knex): Promise<void> {
  for (const table of ['knowledge_index', 'knowledge_synonyms', 'knowledge_words', 'knowledge_terms', 'knowledge_entries']) {
    await knex.schema.dropTableIfExists(table);
  }
  // pg_trgm stays: other schemas may use it, and dropping an extension is the DBA's call.
}
