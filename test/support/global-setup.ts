import { TEST_DATABASE_URL } from './env';
import { recreateDatabase } from './services';

/** Creates the test database afresh and runs the real migrations once before all tests. */
export default async function globalSetup(): Promise<void> {
  await recreateDatabase(TEST_DATABASE_URL);
}
