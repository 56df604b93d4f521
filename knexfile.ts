import { loadDatabaseUrl } from './src/config';
import { knexConfig } from './src/db/knex';

/**
 * Knex settings for the knex CLI and tools that expect a knexfile. The service itself and
 * `npm run migrate` use the same `knexConfig`, so everyone agrees on the migrations' names.
 */
export default knexConfig(loadDatabaseUrl(process.env));
