import { ConfigError, loadConfig } from '../../src/config';

/** The smallest environment the service accepts (the configuration tests vary it). */
export const validEnv = {
  BOT_TOKEN: '123:abc',
  WEBHOOK_SECRET: 'a_secret-1',
  OPERATOR_CHAT_ID: '-1001',
  CHAT_GPT_TOKEN: 'sk-test',
  DATABASE_URL: 'postgres://postgres@localhost:5432/app',
  REDIS_URL: 'redis://localhost:6379',
};

/** The problems `loadConfig` lists for `env` (none when it is valid). */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
