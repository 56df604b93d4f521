/**
 * What one call through each client library costs the calling process in CPU: a PostgreSQL
 * round trip through Knex, a Redis command through ioredis, a Telegram `sendMessage` through the
 * service's telegraf client and an LLM completion through its openai SDK adapter, all against the
 * same local servers the benchmark uses. Calls run one after another in this process (no
 * contention) after a warm-up; CPU is `process.cpuUsage()` (user + system) over the calls.
 *
 * These are the floor under the service's CPU per dialog: a question costs a fixed number of each
 * (see the pipeline part's round trips per dialog), whatever the service does around them.
 */
import { Redis } from 'ioredis';
import type { Knex } from 'knex';
import { OpenAiLlm } from '../src/adapters/llm/openai.llm';
import { TelegramClient } from '../src/adapters/telegram/telegram.client';
import { fig, type Figure } from './lib/stats';

const WARM_UP = 200;

async function cpuPerCall(calls: number, call: (i: number) => Promise<unknown>): Promise<Figure> {
  for (let i = 0; i < WARM_UP; i += 1) await call(i);
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i += 1) await call(i);
  const used = process.cpuUsage(before);
  return fig((used.user + used.system) / calls / 1000, 'ms CPU/call', 3);
}

export async function clientCosts(opts: { db: Knex; redisUrl: string; token: string; apiRoot: string; llmBaseURL: string; calls: number }) {
  const redis = new Redis(opts.redisUrl);
  const telegram = TelegramClient.create({ token: opts.token, apiRoot: opts.apiRoot });
  const llm = OpenAiLlm.create({ apiKey: 'bench-key', baseURL: opts.llmBaseURL, model: 'gpt-4o-mini', timeoutMs: 20_000, maxRetries: 0 });
  try {
    const n = opts.calls;
    return {
      postgresRoundTripKnexRaw: await cpuPerCall(n, () => opts.db.raw('SELECT 1')),
      postgresRoundTripKnexBuilder: await cpuPerCall(n, () => opts.db('dialogs').where({ id: 1 }).first('id')),
      redisCommand: await cpuPerCall(n, () => redis.get('bench:cost')),
      telegramSendMessage: await cpuPerCall(Math.ceil(n / 2), (i) => telegram.sendHtml(9_000_000 + (i % 100), 'An answer with <b>some</b> formatting.')),
      llmCompletion: await cpuPerCall(Math.ceil(n / 2), () => llm.complete({ system: 'Answer briefly.', history: [{ role: 'user', content: 'How do I reset my password?' }] })),
    };
  } finally {
    redis.disconnect();
  }
}
