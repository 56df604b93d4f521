import { z } from 'zod';
import { workingHoursVariables } from './hours/hours.config';

/**
 * The environment's variables as zod parses them (names as in .env). {@link loadConfig} in
 * config.ts turns the result into the {@link Config} the code uses. A feature with several
 * variables adds them as a section of its own (an object spread into `schema` below).
 */

/** Empty strings (`FOO=` in .env) mean "not set". */
export const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

export const optionalString = z.preprocess(blankToUndefined, z.string().optional());
export const requiredString = (hint: string) =>
  z.preprocess(blankToUndefined, z.string({ error: `is not set: ${hint}` }));
export const int = (fallback: number, min = 0) =>
  z.preprocess(blankToUndefined, z.coerce.number().int().min(min).default(fallback));
export const flag = z.preprocess(
  (value) => {
    const v = blankToUndefined(value);
    if (v === undefined) return false;
    return ['1', 'true', 'yes', 'on'].includes(String(v).toLowerCase());
  },
  z.boolean(),
);

/** A switch that is on unless set to false/0/no/off; `hint` says what off does. Parses to a boolean. */
export const onUnlessOff = (hint: string) =>
  z.preprocess(
    (value) => String(blankToUndefined(value) ?? 'true').toLowerCase(),
    z.enum(['true', '1', 'yes', 'on', 'false', '0', 'no', 'off'], { error: `must be true or false (${hint})` }).transform((v) => ['true', '1', 'yes', 'on'].includes(v)),
  );

/** Operators on duty (issue 15): AUTO_ASSIGN gives a new ticket to an on-duty operator (default false). */
const duty = {
  AUTO_ASSIGN: flag,
};

export const schema = z
  .object({
    NODE_ENV: z.preprocess(blankToUndefined, z.enum(['development', 'production', 'test']).default('production')),
    LOG_LEVEL: z.preprocess(
      blankToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),

    // Unset BOT_TOKEN means sandbox mode (the built-in Bot API emulator, see README "Sandbox"); the other modes require it.
    BOT_TOKEN: optionalString,
    TELEGRAM_API_ROOT: z.preprocess(blankToUndefined, z.url().default('https://api.telegram.org')),
    // Default: webhook when BOT_TOKEN is set, sandbox when it is not (see config.ts).
    TELEGRAM_MODE: z.preprocess(blankToUndefined, z.enum(['webhook', 'polling', 'sandbox']).optional()),
    WEBHOOK_PATH: z.preprocess(
      blankToUndefined,
      z.string().startsWith('/', { error: 'must start with "/", for example /telegram/webhook' }).default('/telegram/webhook'),
    ),
    WEBHOOK_SECRET: z.preprocess(
      blankToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,256}$/, {
          error: 'must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram\'s rule for secret_token)',
        })
        .optional(),
    ),
    BASE_WEBHOOK_URL: z.preprocess(
      blankToUndefined,
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://bot.example.com' }).optional(),
    ),
    WEB_SERVER_HOST: z.preprocess(blankToUndefined, z.string().default('0.0.0.0')),
    WEB_SERVER_PORT: int(8080, 0),
    ADMIN_PORT: z.preprocess(
      blankToUndefined,
      z.coerce
        .number()
        .int({ error: 'must be a port number such as 8081, or empty to serve the admin API on WEB_SERVER_PORT' })
        .min(0)
        .max(65535, { error: 'must be a port number (0-65535), or empty to serve the admin API on WEB_SERVER_PORT' })
        .optional(),
    ),

    OPERATOR_CHAT_ID: z.preprocess(
      blankToUndefined,
      z.coerce.number().int({ error: 'must be a whole number such as -1001234567890' }).optional(),
    ),

    OPERATOR_LANG: z.preprocess(blankToUndefined, z.enum(['ru', 'en']).default('ru')),

    CHAT_GPT_TOKEN: optionalString,
    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: z.preprocess(blankToUndefined, z.url().default('https://api.openai.com/v1')),
    OPENAI_MODEL: z.preprocess(blankToUndefined, z.string().default('gpt-4o-mini')),
    OPENAI_TIMEOUT_MS: int(30_000, 1),
    OPENAI_MAX_RETRIES: int(2, 0),
    LLM_HISTORY_MESSAGES: int(20, 1),
    SYSTEM_PROMPT_FILE: z.preprocess(blankToUndefined, z.string().default('prompts/system.md')),

    DATABASE_URL: requiredString('add a PostgreSQL URL such as postgres://postgres@localhost:5432/support_bot to .env'),
    REDIS_URL: requiredString('add a Redis URL such as redis://localhost:6379 to .env'),

    ADMIN_TOKEN: z.preprocess(
      blankToUndefined,
      z.string().min(16, { error: 'must be at least 16 characters: generate one with `openssl rand -hex 32`' }).optional(),
    ),

    OPERATOR_WAIT_SECONDS: int(300, 1),
    // Working hours (issue 15): reminders wait for them, users are told when operators are back.
    ...workingHoursVariables,
    IDLE_CLOSE_MINUTES: int(30, 1),
    LLM_FAILURES_BEFORE_HANDOFF_OFFER: int(2, 1),
    WORKER_CONCURRENCY: int(16, 1),
    LLM_CONCURRENCY: int(256, 1),
    SEND_CONCURRENCY: int(32, 1),
    LLM_MERGE_WINDOW_MS: int(1500, 0),
    // --- the operators' toolkit (issue 14) ---
    USER_MESSAGES_PER_MINUTE: z.preprocess(
      blankToUndefined,
      z.coerce.number().int().min(1, { error: 'must be a whole number of at least 1 (messages per user per minute; see README "Configuration")' }).default(20),
    ),
    REPLIES_DIR: z.preprocess(blankToUndefined, z.string().default('replies')),
    TICKET_BRIEF: onUnlessOff('false: tickets get no LLM-written brief, see README "Operators\' guide"'),

    // Ratings (issue 15): "How did we do?" after an operator's /close.
    CSAT: onUnlessOff('false: users are not asked to rate the operator after /close, see README "Operators\' guide"'),

    SERVICE_ROLE: z.preprocess(
      blankToUndefined,
      z.enum(['all', 'web', 'worker'], { error: 'must be all, web or worker (see README "Configuration")' }).default('all'),
    ),
    WORKER_NICE: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(19, { error: 'must be 0 to 19 (a nice value)' }).default(10)),
    INSTANCE_ID: optionalString,
    INSPECT: flag,
    INSPECT_PORT: int(5678, 1),

    // Streaming answers (issue 11): drafts while the LLM writes.
    STREAMING: onUnlessOff('false: only "typing…" while the LLM writes, see README "Streaming"'),
    STREAMING_DRAFT_INTERVAL_MS: z.preprocess(
      blankToUndefined,
      z.coerce
        .number()
        .int({ error: 'must be a whole number of milliseconds, such as 1000' })
        .min(250, { error: 'must be at least 250 ms: Telegram allows about one message a second per chat, see README "Streaming"' })
        .max(10_000, { error: 'must be at most 10000 ms: a draft is a 30-second preview that must stay fresh' })
        .default(1000),
    ),
    // Knowledge base (issue 12, docs/knowledge.md).
    KNOWLEDGE_DIR: z.preprocess(blankToUndefined, z.string().default('knowledge')),
    KNOWLEDGE_TOP_K: z.preprocess(
      blankToUndefined,
      z.coerce.number().int().min(1).max(10, { error: 'must be 1 to 10: how many entries go to the LLM with a question' }).default(3),
    ),
    KNOWLEDGE_MIN_PROBABILITY: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ error: 'must be a number between 0 and 1, e.g. 0.5 (see docs/knowledge.md "The covered decision")' })
        .min(0, { error: 'must be between 0 and 1, e.g. 0.5' })
        .max(1, { error: 'must be between 0 and 1, e.g. 0.5' })
        .default(0.5),
    ),
    OPENAI_EMBEDDINGS_MODEL: optionalString,
    ...duty,
    // Sandbox (issue 17): where the web process hosting the emulator answers, for the processes that reach it.
    SANDBOX_WEB_URL: z.preprocess(
      blankToUndefined,
      z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://app:8080 (the web process that hosts the sandbox)' }).optional(),
    ),
  });

