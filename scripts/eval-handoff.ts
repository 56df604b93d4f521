/**
 * Measures handoff detection against labelled JSONL files, beside the keyword baseline, and,
 * with --with-llm, the LLM layer too.
 *
 * Usage: npm run --silent eval:handoff -- [file.jsonl ...] [--json] [--with-llm] [--concurrency N]
 *
 * Each file is scored on its own: precision, recall and F1 per language and overall, then every
 * mistake of the rules. Without files, the three shipped files are scored: data/handoff.jsonl
 * (the development set), data/handoff.holdout.jsonl (round 1's held-out set, no longer blind)
 * and data/handoff.holdout-r2.jsonl (round 2's held-out set, never tuned on).
 *
 * --with-llm also asks the configured LLM about every line, one request per line, with the
 * service's own system prompt (`SYSTEM_PROMPT_FILE`, `{lang}` filled in from the line's
 * language) and the same `transfer_to_human` tool (the service's `OpenAiLlm` adapter), at most
 * `--concurrency` requests at a time (default 4). It prints rules only, LLM only and both on
 * the lines the LLM answered. The LLM settings come from the environment or `.env` as for the
 * service (`OPENAI_BASE_URL`, `OPENAI_MODEL`, `CHAT_GPT_TOKEN` or `OPENAI_API_KEY`,
 * `OPENAI_TIMEOUT_MS`, `OPENAI_MAX_RETRIES`), parsed by the service's `loadConfig`; the
 * variables the evaluation never uses (bot token, operators' chat, databases, webhook secret)
 * need not be set: unset ones get inert placeholders that are never used.
 *
 * With --json one JSON object is printed: for one file its `HandoffEvaluation` (plus `llm`,
 * a `HandoffLayersEvaluation`, with --with-llm); for several, `{ "files": { <file>: ... } }`.
 * Exit codes: 0 after a report, 1 when a file cannot be read or has a bad line, 2 on wrong
 * usage or a configuration the LLM cannot be reached with.
 */
import { readFileSync } from 'node:fs';
import { OpenAiLlm, LlmError } from '../src/adapters/llm/openai.llm';
import { ConfigError, loadConfig, loadDotEnv, type Config } from '../src/config';
import {
  compareHandoffLayers,
  evaluateHandoff,
  formatHandoffReport,
  formatLayersReport,
  HandoffDatasetError,
  parseLabelledJsonl,
  type HandoffEvaluation,
  type HandoffLayersEvaluation,
  type LabelledMessage,
  type LlmVerdict,
} from '../src/handoff';

const USAGE =
  'usage: npm run --silent eval:handoff -- [file.jsonl ...] [--json] [--with-llm] [--concurrency N]\n' +
  '  e.g. npm run --silent eval:handoff                                   (the shipped sets)\n' +
  '       npm run --silent eval:handoff -- --with-llm data/handoff.holdout-r2.jsonl';

/** What runs without file arguments, each scored on its own, with what it is. */
const SHIPPED: Readonly<Record<string, string>> = {
  'data/handoff.jsonl': 'the development set: the rules were written against it',
  'data/handoff.holdout.jsonl': 'held-out set of round 1, no longer blind',
  'data/handoff.holdout-r2.jsonl': 'held-out set of round 2, never tuned on',
};
const SHIPPED_FILES = Object.keys(SHIPPED);
const DEFAULT_CONCURRENCY = 4;

/** Variables `loadConfig` demands that the evaluation never uses; only unset ones are filled. */
const UNUSED_BY_EVAL: Readonly<Record<string, string>> = {
  BOT_TOKEN: 'unused-by-eval-handoff',
  OPERATOR_CHAT_ID: '-1',
  DATABASE_URL: 'postgres://unused-by-eval-handoff/none',
  REDIS_URL: 'redis://unused-by-eval-handoff',
  WEBHOOK_SECRET: 'unused-by-eval-handoff',
};

interface Options {
  files: string[];
  json: boolean;
  withLlm: boolean;
  concurrency: number;
}

interface FileResult {
  evaluation: HandoffEvaluation;
  llm?: HandoffLayersEvaluation;
}

async function main(argv: readonly string[], env: Record<string, string | undefined>): Promise<number> {
  const options = parseArgs(argv);
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n${USAGE}\n`);
    return 2;
  }
  let llm: { adapter: OpenAiLlm; systemPrompt: string } | undefined;
  if (options.withLlm) {
    const made = makeLlm(env);
    if (typeof made === 'string') {
      process.stderr.write(`${made}\n`);
      return 2;
    }
    llm = made;
  }

  const results: Record<string, FileResult> = {};
  for (const file of options.files) {
    const messages = readLabelled(file);
    if (typeof messages === 'string') {
      process.stderr.write(`${messages}\n`);
      return 1;
    }
    const result: FileResult = { evaluation: evaluateHandoff(messages) };
    if (llm !== undefined) {
      const started = Date.now();
      const verdicts = await askLlm(llm.adapter, llm.systemPrompt, messages, options.concurrency);
      result.llm = compareHandoffLayers(messages, verdicts);
      process.stderr.write(`${file}: asked the LLM about ${messages.length} lines in ${((Date.now() - started) / 1000).toFixed(1)} s, ${options.concurrency} at a time\n`);
    }
    results[file] = result;
    if (!options.json) {
      const about = SHIPPED[file.replace(/^\.\//, '')];
      const text = [about === undefined ? file : `${file} (${about})`, formatHandoffReport(result.evaluation), ...(result.llm === undefined ? [] : ['', formatLayersReport(result.llm)])].join('\n');
      process.stdout.write(`${text}\n\n`);
    }
  }
  if (options.json) {
    const single = options.files.length === 1 ? results[options.files[0] as string] : undefined;
    const body = single !== undefined ? { ...single.evaluation, ...(single.llm === undefined ? {} : { llm: single.llm }) } : { files: results };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  }
  return 0;
}

function parseArgs(argv: readonly string[]): Options | string {
  const options: Options = { files: [], json: false, withLlm: false, concurrency: DEFAULT_CONCURRENCY };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--json') options.json = true;
    else if (arg === '--with-llm') options.withLlm = true;
    else if (arg === '--concurrency') {
      const n = Number(argv[i + 1]);
      if (!Number.isInteger(n) || n < 1 || n > 64) return '--concurrency must be a whole number from 1 to 64, e.g. --concurrency 4';
      options.concurrency = n;
      i += 1;
    } else if (arg.startsWith('--')) return `unknown option ${arg}`;
    else options.files.push(arg);
  }
  if (options.files.length === 0) options.files = [...SHIPPED_FILES];
  return options;
}

function readLabelled(file: string): LabelledMessage[] | string {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    return `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`;
  }
  try {
    return parseLabelledJsonl(content);
  } catch (error) {
    if (error instanceof HandoffDatasetError) return `${file}: ${error.message}`;
    throw error;
  }
}

/** The service's LLM adapter and system prompt, from the service's configuration; or why not. */
function makeLlm(env: Record<string, string | undefined>): { adapter: OpenAiLlm; systemPrompt: string } | string {
  loadDotEnv();
  const filled: Record<string, string | undefined> = { ...env };
  for (const [name, placeholder] of Object.entries(UNUSED_BY_EVAL)) if ((filled[name] ?? '').trim() === '') filled[name] = placeholder;
  let config: Config;
  try {
    config = loadConfig(filled);
  } catch (error) {
    if (error instanceof ConfigError) return `--with-llm needs the LLM settings of the service. ${error.message}`;
    throw error;
  }
  let systemPrompt: string;
  try {
    systemPrompt = readFileSync(config.llm.systemPromptFile, 'utf8');
  } catch {
    return `SYSTEM_PROMPT_FILE "${config.llm.systemPromptFile}" cannot be read: run from the project's root, or point it at the bot's instructions (default prompts/system.md)`;
  }
  const { apiKey, baseURL, model, timeoutMs, maxRetries } = config.llm;
  return { adapter: OpenAiLlm.create({ apiKey, baseURL, model, timeoutMs, maxRetries }), systemPrompt };
}

/** One request per line, at most `concurrency` at a time; `verdicts[i]` answers `messages[i]`. */
async function askLlm(llm: OpenAiLlm, systemPrompt: string, messages: readonly LabelledMessage[], concurrency: number): Promise<LlmVerdict[]> {
  const verdicts: LlmVerdict[] = new Array<LlmVerdict>(messages.length).fill('error');
  const failures = new Map<string, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < messages.length) {
      const i = next;
      next += 1;
      const message = messages[i] as LabelledMessage;
      const system = systemPrompt.replaceAll('{lang}', message.lang === 'ru' ? 'Russian' : 'English');
      try {
        const answer = await llm.complete({ system, history: [{ role: 'user', content: message.text }] });
        verdicts[i] = answer.kind === 'transfer' ? 'transfer' : 'reply';
      } catch (error) {
        const code = error instanceof LlmError ? error.code : 'LLM_UNAVAILABLE';
        failures.set(code, (failures.get(code) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, messages.length) }, worker));
  if (failures.size > 0) process.stderr.write(`LLM failures: ${[...failures].map(([code, n]) => `${code} ×${n}`).join(', ')}\n`);
  return verdicts;
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
