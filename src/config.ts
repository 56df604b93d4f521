import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { blankToUndefined, schema } from './config.schema';
import { parseHolidays, type HoursSpec } from './hours/working.hours';

/**
 * The service's whole configuration, parsed once at start-up from the environment.
 *
 * Nothing else in the code reads `process.env`: `main.ts`, `knexfile.ts` and the scripts call
 * {@link loadConfig} and pass values on explicitly. Empty strings count as unset, and every bad or
 * missing variable is reported in one {@link ConfigError}, each with a hint on how to fix it.
 */

/** The parsed configuration, with names the rest of the code uses. */
export interface Config {
  env: 'development' | 'production' | 'test';
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  telegram: {
    token: string;
    apiRoot: string;
    mode: 'webhook' | 'polling';
    webhookPath: string;
    webhookSecret?: string;
    /** Full public URL of the webhook, when the service should register it at start-up. */
    webhookUrl?: string;
    operatorChatId: number;
    /** Language of the texts in the operators' chat. */
    operatorLang: 'ru' | 'en';
  };
  http: {
    host: string;
    port: number;
    /**
     * `ADMIN_PORT`: the admin API, `/metrics` and `/readyz` listen here, and the public port serves
     * only the webhook and `/healthz`. Unset: everything on `port` (development, tests).
     */
    adminPort?: number;
  };
  llm: {
    apiKey: string;
    baseURL: string;
    model: string;
    timeoutMs: number;
    maxRetries: number;
    historyMessages: number;
    systemPromptFile: string;
  };
  databaseUrl: string;
  redisUrl: string;
  adminToken?: string;
  handoff: {
    operatorWaitMs: number;
    idleCloseMs: number;
    llmFailuresBeforeOffer: number;
    /** Messages this close to the first of a burst get one answer together. */
    mergeWindowMs: number;
    /** Operators' working hours (OPERATOR_HOURS, OPERATOR_TIMEZONE, OPERATOR_HOLIDAYS); unset: always open. */
    hours?: HoursSpec;
  };
  workerConcurrency: number;
  /** Flood control: more messages than this from one user within a minute are not answered (the user is asked once to slow down). */
  userMessagesPerMinute: number;
  /** Operators' saved replies for `/r <key>`: a folder of `<key>.<lang>.md` files (REPLIES_DIR, default `replies`). */
  repliesDir: string;
  /** TICKET_BRIEF (default on): the LLM adds a brief of at most 3 lines to every ticket, after it is posted. */
  ticketBrief: boolean;
  /** CSAT (default on): after an operator's `/close` the user is asked to rate the help from 1 to 5 (and may add a comment). */
  csat: boolean;
  /** LLM calls (and other parallel effects) one process runs at once. */
  llmConcurrency: number;
  /** Ordered effects (sends to Telegram) one process runs at once, one per dialog. */
  sendConcurrency: number;
  /**
   * What this process does: `web` answers HTTP (webhook or polling, admin API) and stores
   * updates; `worker` processes them (and serves only health and metrics); `all` does both.
   */
  role: 'all' | 'web' | 'worker';
  /**
   * How much a worker process lowers the CPU priority of its main thread, where the work runs
   * (nice, 0–19): on a busy machine the web processes, which acknowledge Telegram, are served
   * first. Nice ranks processes within one CPU cgroup (one container, one shell session, one
   * systemd unit); between containers compose's `cpu_shares` does this. 0 leaves it as it is.
   */
  workerNice: number;
  /**
   * Names this process's leases on queued work. Stable across restarts, so a restarted process
   * takes up what it left at once. Default `<hostname>:<port>`.
   */
  instanceId?: string;
  /** The Stately inspector for developers (INSPECT=1), on this port. */
  inspect: { enabled: boolean; port: number };
  /**
   * Streaming answers: with `enabled` (default) the LLM's answer is streamed and shown as drafts
   * in private chats, at most one every `draftIntervalMs` (default 1000, see `DRAFT_PACE` in
   * src/streaming/draft.streamer.ts for why); off, the LLM answers in one request under "typing…".
   */
  streaming: { enabled: boolean; draftIntervalMs: number };
  /** The knowledge base: see {@link KnowledgeSettings}. */
  knowledge: KnowledgeSettings;
  /**
   * AUTO_ASSIGN (default false): a new ticket goes to the on-duty operator (`/online`) with the
   * fewest open dialogs, ties to the longest idle; nobody on duty, it waits for /take as always.
   */
  autoAssign: boolean;
  /** Set in sandbox mode (TELEGRAM_MODE=sandbox, the default without BOT_TOKEN): see {@link SandboxSettings}. */
  sandbox?: SandboxSettings;
}

/**
 * Sandbox mode (README "Sandbox"): the web process hosts a Bot API emulator under `/sandbox` and
 * the service reaches it, and registers its webhook there, as it would Telegram; without an LLM
 * key or OPENAI_BASE_URL a built-in demo responder answers from the knowledge base.
 */
export interface SandboxSettings {
  /** Where the web process hosting the emulator answers (SANDBOX_WEB_URL, default http://127.0.0.1:WEB_SERVER_PORT). */
  webUrl: string;
  /** The page to open, as the start-up log says it: http://localhost:<WEB_SERVER_PORT>/sandbox. */
  pageUrl: string;
  /** True when no LLM is configured and the demo responder answers (`<webUrl>/sandbox/llm/v1`). */
  demoLlm: boolean;
}

/** The bot token of the sandbox's emulator: not a secret, it never leaves the service. */
export const SANDBOX_BOT_TOKEN = '7000000001:sandbox';
/** The operators' group in the sandbox's emulator, unless OPERATOR_CHAT_ID says otherwise. */
export const SANDBOX_OPERATOR_CHAT_ID = -1000000000001;
/** The model name the demo responder answers as. */
export const SANDBOX_DEMO_MODEL = 'sandbox-demo';

/** Settings of the knowledge base (docs/knowledge.md). */
export interface KnowledgeSettings {
  /** The folder of Markdown files (KNOWLEDGE_DIR, default `knowledge`). */
  dir: string;
  /** Entries given to the LLM with a question (KNOWLEDGE_TOP_K, default 3). */
  topK: number;
  /** The "covered" model's threshold (KNOWLEDGE_MIN_PROBABILITY, default 0.5): higher says "not covered" more often. */
  minProbability: number;
  /** The embeddings model (OPENAI_EMBEDDINGS_MODEL), when semantic scoring is on; off by default. */
  embeddingsModel?: string;
}

/** Thrown by {@link loadConfig}: lists every bad variable, one per line, with how to fix it. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid (see .env.example and README "Configuration"):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment into a {@link Config}.
 *
 * @example const config = loadConfig(process.env);
 * @throws ConfigError listing every problem at once. Values are never echoed, so secrets stay out of logs.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = schema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
  problems.push(...crossFieldProblems(env));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const sandbox = modeOf(env) === 'sandbox' ? sandboxSettings(e, set(env, 'OPENAI_BASE_URL')) : undefined;
  const apiKey = e.CHAT_GPT_TOKEN ?? e.OPENAI_API_KEY;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    telegram: {
      token: sandbox ? SANDBOX_BOT_TOKEN : (e.BOT_TOKEN as string),
      apiRoot: sandbox ? `${sandbox.webUrl}/sandbox` : e.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
      // The sandbox's emulator delivers by webhook, as Telegram would.
      mode: e.TELEGRAM_MODE === 'polling' ? 'polling' : 'webhook',
      webhookPath: e.WEBHOOK_PATH,
      // The sandbox's secret, unless set, is new at every start: the emulator that uses it lives in the same process.
      webhookSecret: e.WEBHOOK_SECRET ?? (sandbox ? randomBytes(24).toString('hex') : undefined),
      webhookUrl: sandbox
        ? sandbox.webUrl + e.WEBHOOK_PATH
        : e.BASE_WEBHOOK_URL ? e.BASE_WEBHOOK_URL.replace(/\/+$/, '') + e.WEBHOOK_PATH : undefined,
      operatorChatId: e.OPERATOR_CHAT_ID ?? SANDBOX_OPERATOR_CHAT_ID,
      operatorLang: e.OPERATOR_LANG,
    },
    http: { host: e.WEB_SERVER_HOST, port: e.WEB_SERVER_PORT, adminPort: e.ADMIN_PORT },
    llm: {
      apiKey: apiKey ?? 'sandbox',
      baseURL: sandbox?.demoLlm ? `${sandbox.webUrl}/sandbox/llm/v1` : e.OPENAI_BASE_URL.replace(/\/+$/, ''),
      model: sandbox?.demoLlm ? SANDBOX_DEMO_MODEL : e.OPENAI_MODEL,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
      maxRetries: e.OPENAI_MAX_RETRIES,
      historyMessages: e.LLM_HISTORY_MESSAGES,
      systemPromptFile: e.SYSTEM_PROMPT_FILE,
    },
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    adminToken: e.ADMIN_TOKEN,
    handoff: {
      operatorWaitMs: e.OPERATOR_WAIT_SECONDS * 1000,
      idleCloseMs: e.IDLE_CLOSE_MINUTES * 60_000,
      mergeWindowMs: e.LLM_MERGE_WINDOW_MS,
      llmFailuresBeforeOffer: e.LLM_FAILURES_BEFORE_HANDOFF_OFFER,
      hours: e.OPERATOR_HOURS ? { rules: e.OPERATOR_HOURS, timeZone: e.OPERATOR_TIMEZONE, holidays: e.OPERATOR_HOLIDAYS ? parseHolidays(e.OPERATOR_HOLIDAYS) : [] } : undefined,
    },
    workerConcurrency: e.WORKER_CONCURRENCY,
    userMessagesPerMinute: e.USER_MESSAGES_PER_MINUTE,
    repliesDir: e.REPLIES_DIR,
    ticketBrief: e.TICKET_BRIEF,
    csat: e.CSAT,
    llmConcurrency: e.LLM_CONCURRENCY,
    sendConcurrency: e.SEND_CONCURRENCY,
    role: e.SERVICE_ROLE,
    workerNice: e.WORKER_NICE,
    instanceId: e.INSTANCE_ID,
    inspect: { enabled: e.INSPECT, port: e.INSPECT_PORT },
    streaming: { enabled: e.STREAMING, draftIntervalMs: e.STREAMING_DRAFT_INTERVAL_MS },
    knowledge: knowledgeSettings(e),
    autoAssign: e.AUTO_ASSIGN,
    ...(sandbox ? { sandbox } : {}),
  };
}

const set = (env: Record<string, string | undefined>, name: string) => blankToUndefined(env[name]) !== undefined;

/** TELEGRAM_MODE as given, or its default: webhook with a BOT_TOKEN, the sandbox without. */
function modeOf(env: Record<string, string | undefined>): string {
  return String(blankToUndefined(env.TELEGRAM_MODE) ?? (set(env, 'BOT_TOKEN') ? 'webhook' : 'sandbox'));
}

function sandboxSettings(
  e: { SANDBOX_WEB_URL?: string; WEB_SERVER_PORT: number; CHAT_GPT_TOKEN?: string; OPENAI_API_KEY?: string },
  baseUrlSet: boolean,
): SandboxSettings {
  return {
    webUrl: (e.SANDBOX_WEB_URL ?? `http://127.0.0.1:${e.WEB_SERVER_PORT}`).replace(/\/+$/, ''),
    pageUrl: `http://localhost:${e.WEB_SERVER_PORT}/sandbox`,
    demoLlm: !e.CHAT_GPT_TOKEN && !e.OPENAI_API_KEY && !baseUrlSet,
  };
}

function knowledgeSettings(e: { KNOWLEDGE_DIR: string; KNOWLEDGE_TOP_K: number; KNOWLEDGE_MIN_PROBABILITY: number; OPENAI_EMBEDDINGS_MODEL?: string }): KnowledgeSettings {
  return { dir: e.KNOWLEDGE_DIR, topK: e.KNOWLEDGE_TOP_K, minProbability: e.KNOWLEDGE_MIN_PROBABILITY, embeddingsModel: e.OPENAI_EMBEDDINGS_MODEL };
}

/**
 * Only what the knowledge scripts (`npm run knowledge:index`, `eval:knowledge`,
 * `bench:knowledge`) need: the database and the knowledge settings, plus the LLM connection
 * when embeddings are on. They must not demand a bot token.
 *
 * @throws ConfigError listing every problem.
 */
export function loadKnowledgeScriptConfig(env: Record<string, string | undefined>): {
  databaseUrl: string;
  knowledge: KnowledgeSettings;
  embeddings?: { apiKey: string; baseURL: string; model: string; timeoutMs: number; maxRetries: number };
} {
  const parsed = schema.pick({ KNOWLEDGE_DIR: true, KNOWLEDGE_TOP_K: true, KNOWLEDGE_MIN_PROBABILITY: true, OPENAI_EMBEDDINGS_MODEL: true, OPENAI_BASE_URL: true, OPENAI_TIMEOUT_MS: true, OPENAI_MAX_RETRIES: true, CHAT_GPT_TOKEN: true, OPENAI_API_KEY: true }).safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
  let databaseUrl = '';
  try {
    databaseUrl = loadDatabaseUrl(env);
  } catch (error) {
    if (error instanceof ConfigError) problems.push(...error.problems);
    else throw error;
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const apiKey = e.CHAT_GPT_TOKEN ?? e.OPENAI_API_KEY;
  if (e.OPENAI_EMBEDDINGS_MODEL && !apiKey) {
    throw new ConfigError(['CHAT_GPT_TOKEN is not set: OPENAI_EMBEDDINGS_MODEL needs the API key of the embeddings server (any value for a local one)']);
  }
  return {
    databaseUrl,
    knowledge: knowledgeSettings(e),
    embeddings:
      e.OPENAI_EMBEDDINGS_MODEL && apiKey
        ? { apiKey, baseURL: e.OPENAI_BASE_URL.replace(/\/+$/, ''), model: e.OPENAI_EMBEDDINGS_MODEL, timeoutMs: e.OPENAI_TIMEOUT_MS, maxRetries: e.OPENAI_MAX_RETRIES }
        : undefined,
  };
}

/** Rules that tie variables together; checked even when other variables are bad, so all problems show at once. */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const has = (name: string) => set(env, name);
  const mode = modeOf(env);
  const problems: string[] = [];
  if (mode !== 'sandbox') {
    if (!has('BOT_TOKEN')) problems.push('BOT_TOKEN is not set: add the token @BotFather gave you to .env (or leave TELEGRAM_MODE unset to try the sandbox, see README "Sandbox")');
    if (!has('OPERATOR_CHAT_ID')) problems.push('OPERATOR_CHAT_ID is not set: add the operators\' group id (a negative number) to .env, see README "Operators"');
  }
  if (mode !== 'sandbox' && !has('CHAT_GPT_TOKEN') && !has('OPENAI_API_KEY')) {
    problems.push(
      'CHAT_GPT_TOKEN is not set: add your OpenAI key as CHAT_GPT_TOKEN (or OPENAI_API_KEY) to .env; a local OpenAI-compatible server accepts any value',
    );
  }
  if (mode === 'webhook' && !has('WEBHOOK_SECRET')) {
    problems.push('WEBHOOK_SECRET is not set: webhook mode needs a secret, generate one with `openssl rand -hex 32`');
  }
  if (mode === 'sandbox' && !has('SANDBOX_WEB_URL') && String(blankToUndefined(env.WEB_SERVER_PORT) ?? '8080') === '0') {
    problems.push('WEB_SERVER_PORT is 0 in sandbox mode: the service reaches its own emulator on that port, so give it a fixed port (e.g. 8080) or set SANDBOX_WEB_URL');
  }
  const adminPort = blankToUndefined(env.ADMIN_PORT);
  if (adminPort !== undefined && adminPort !== '0' && String(adminPort) === String(blankToUndefined(env.WEB_SERVER_PORT) ?? '8080')) {
    problems.push('ADMIN_PORT equals WEB_SERVER_PORT: give the admin API a port of its own (e.g. 8081), or leave ADMIN_PORT empty to share WEB_SERVER_PORT');
  }
  return problems;
}

/** Only the database part, for `knexfile.ts` and migrations: they must not demand a bot token. */
export function loadDatabaseUrl(env: Record<string, string | undefined>): string {
  const url = blankToUndefined(env.DATABASE_URL);
  if (typeof url !== 'string') {
    throw new ConfigError([
      'DATABASE_URL is not set: add a PostgreSQL URL such as postgres://postgres@localhost:5432/support_bot to .env',
    ]);
  }
  return url;
}

/**
 * Loads `.env` from the working directory when there is one, for `npm run dev` and
 * `npm run migrate` on a developer's machine. Variables already in the environment win; the
 * Docker image has no `.env` (compose passes it as the environment).
 */
export function loadDotEnv(file = '.env'): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}
