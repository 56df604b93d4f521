import { ConfigError, loadDotEnv, loadKnowledgeScriptConfig } from '../../src/config';

/** What the knowledge scripts read from the environment (`.env` in the working directory too). */
export type KnowledgeScriptConfig = ReturnType<typeof loadKnowledgeScriptConfig>;

/**
 * The knowledge scripts' configuration, or null after printing what is wrong with it (the script
 * then exits 1): one place for `npm run knowledge:index` and `npm run eval:knowledge`.
 */
export function knowledgeScriptConfig(): KnowledgeScriptConfig | null {
  loadDotEnv();
  try {
    return loadKnowledgeScriptConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return null;
    }
    throw error;
  }
}
