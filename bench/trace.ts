/**
 * Traces single dialogs through the real service, step by step: every SQL round trip, Redis
 * command and outgoing HTTP call (to the fake Telegram and the fake LLM), with its start time
 * relative to the webhook POST and its duration. A diagnostic for the figures of `npm run bench`:
 * it shows where the pipeline's latency and the workers' CPU go, and how many idle claim
 * queries the inbox workers run.
 *
 * Usage: npx tsx bench/trace.ts            (uses support_bot_bench_test and Redis db 14, like the bench)
 *
 * The service runs in this process here (one dialog at a time, no load), with pg's
 * `Client.prototype.query` and ioredis's `sendCommand` wrapped to record calls; the fakes are the
 * test fakes, in this process too. Nothing of the service is replaced.
 */
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig } from '../src/config';
import { startService } from '../src/service';
import { FakeOpenAI } from '../test/fakes/fake-openai';
import { FakeTelegram } from '../test/fakes/fake-telegram';
import { sleep } from './lib/stats';
import { BENCH_DATABASE_URL, BENCH_REDIS_URL, prepareStores } from './lib/stores';
import { HANDOFF_TEXT, questionText, textUpdate } from './lib/updates';

interface Step {
  at: number;
  ms: number;
  kind: 'sql' | 'redis' | 'http';
  what: string;
}

const steps: Step[] = [];
let recording = false;

function record(kind: Step['kind'], what: string, started: number): void {
  if (recording) steps.push({ at: started, ms: performance.now() - started, kind, what });
}

type QueryFn = (...args: unknown[]) => unknown;
const query = pg.Client.prototype.query as unknown as QueryFn;
(pg.Client.prototype as unknown as { query: QueryFn }).query = function traced(this: unknown, ...args: unknown[]) {
  const started = performance.now();
  const first = args[0] as string | { text?: string; callback?: unknown };
  const text = (typeof first === 'string' ? first : (first.text ?? '')).replace(/\s+/g, ' ');
  // knex passes a callback (last argument, or `callback` on the query config); others use the promise.
  const last = args.length - 1;
  if (typeof args[last] === 'function') {
    const callback = args[last] as (...a: unknown[]) => unknown;
    args[last] = (...a: unknown[]) => {
      record('sql', text, started);
      return callback(...a);
    };
    return query.apply(this, args);
  }
  if (typeof first === 'object' && typeof first.callback === 'function') {
    const callback = first.callback as (...a: unknown[]) => unknown;
    first.callback = (...a: unknown[]) => {
      record('sql', text, started);
      return callback(...a);
    };
    return query.apply(this, args);
  }
  const result = query.apply(this, args);
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    void (result as Promise<unknown>).then(
      () => record('sql', text, started),
      () => record('sql', `(failed) ${text}`, started),
    );
  }
  return result;
};
type SendCommand = (command: { name: string }, ...rest: unknown[]) => unknown;
const sendCommand = (Redis.prototype as unknown as { sendCommand: SendCommand }).sendCommand;
(Redis.prototype as unknown as { sendCommand: SendCommand }).sendCommand = function traced(this: unknown, command, ...rest) {
  const started = performance.now();
  const result = sendCommand.call(this, command, ...rest);
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    void (result as Promise<unknown>).then(
      () => record('redis', command.name, started),
      () => record('redis', `(failed) ${command.name}`, started),
    );
  }
  return result;
};

const BOT_TOKEN = '123456:TRACE-token';
const SECRET = 'trace_secret';
const OPS = -1001234567890;

async function main(): Promise<void> {
  const stores = await prepareStores();
  const tg = await FakeTelegram.start({ token: BOT_TOKEN });
  const ai = await FakeOpenAI.start();
  // Outgoing HTTP as the fakes see it: arrival of each call.
  const origPush = tg.calls.push.bind(tg.calls);
  tg.calls.push = (...calls) => {
    for (const call of calls) record('http', `→ Telegram ${call.method}${call.params.chat_id === undefined ? '' : ` (chat ${String(call.params.chat_id)})`}`, performance.now());
    return origPush(...calls);
  };
  const aiPush = ai.requests.push.bind(ai.requests);
  ai.requests.push = (...requests) => {
    record('http', '→ LLM chat.completions', performance.now());
    return aiPush(...requests);
  };
  const svc = await startService(
    loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      BOT_TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      WEBHOOK_SECRET: SECRET,
      WEB_SERVER_HOST: '127.0.0.1',
      WEB_SERVER_PORT: '0',
      OPERATOR_CHAT_ID: String(OPS),
      CHAT_GPT_TOKEN: 'trace-key',
      OPENAI_BASE_URL: ai.baseURL,
      DATABASE_URL: BENCH_DATABASE_URL,
      KNOWLEDGE_DIR: 'off',
      REDIS_URL: BENCH_REDIS_URL,
    }),
  );
  let updateId = 1;
  const post = async (chat: number, text: string, messageId: number) => {
    const res = await fetch(`${svc.url}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(textUpdate(updateId++, chat, text, messageId)),
    });
    await res.arrayBuffer();
    return res.status;
  };

  const trace = async (title: string, chat: number, text: string, messageId: number, sendsExpected: number) => {
    await sleep(400);
    const before = tg.callsTo('sendMessage').length;
    steps.length = 0;
    recording = true;
    const t0 = performance.now();
    await post(chat, text, messageId);
    const acked = performance.now() - t0;
    await tg.waitFor(() => tg.callsTo('sendMessage').length >= before + sendsExpected, 5000);
    const answered = performance.now() - t0;
    await sleep(150); // the tail after the answer (records, marks done)
    recording = false;
    const sql = steps.filter((s) => s.kind === 'sql');
    const isClaim = (what: string) => what.startsWith('UPDATE inbox_updates SET locked_until') || what.startsWith('WITH done AS');
    const claims = sql.filter((s) => isClaim(s.what)).length;
    process.stdout.write(
      `\n== ${title}\n   webhook 200 after ${acked.toFixed(1)} ms; the last expected sendMessage after ${answered.toFixed(1)} ms\n` +
        `   ${sql.length} SQL round trips (${claims} of them inbox claims), ${steps.filter((s) => s.kind === 'redis').length} Redis commands, ` +
        `${steps.filter((s) => s.kind === 'http').length} outgoing HTTP calls, in the ${(answered + 150).toFixed(0)} ms window\n`,
    );
    let lastClaim = '';
    for (const s of [...steps].sort((a, b) => a.at - b.at)) {
      const label = s.what.startsWith('WITH done AS')
        ? 'done + claim (WITH done AS (UPDATE …) UPDATE inbox_updates … SKIP LOCKED)'
        : isClaim(s.what) ? 'claim (UPDATE inbox_updates … FOR UPDATE SKIP LOCKED)' : s.what;
      if (label === lastClaim) continue; // collapse runs of claims
      lastClaim = label.startsWith('claim') ? label : '';
      const run = label.startsWith('claim') ? steps.filter((x) => isClaim(x.what) && Math.abs(x.at - s.at) < 3).length : 1;
      process.stdout.write(
        `   ${(s.at - t0).toFixed(1).padStart(7)} ms ${s.kind === 'http' ? '        ' : `${s.ms.toFixed(2).padStart(6)}ms`} ${s.kind.padEnd(5)} ${run > 1 ? `${run}× ` : ''}${label.slice(0, 120)}\n`,
      );
    }
  };

  // Warm-up: JIT and pools.
  for (let i = 0; i < 30; i += 1) await post(900_000 + i, questionText(updateId, i), 1);
  await sleep(1500);

  await trace('a new dialog: one question → the LLM answer', 5001, questionText(updateId, 1), 1, 1);
  await trace('the same dialog: a second question → the LLM answer', 5001, questionText(updateId, 2), 2, 1);
  await trace(`a new dialog: "${HANDOFF_TEXT}" → notice to the user and the ticket`, 5002, HANDOFF_TEXT, 1, 2);

  // Idle: what the workers do when there is nothing to do.
  steps.length = 0;
  recording = true;
  await sleep(2000);
  recording = false;
  const idleClaims = steps.filter((s) => s.what.startsWith('UPDATE inbox_updates SET locked_until')).length;
  process.stdout.write(`\n== idle for 2 s: ${idleClaims} claim queries (${(idleClaims / 2).toFixed(0)}/s) from ${svc.url}\n`);

  await svc.stop();
  await tg.close();
  await ai.close();
  await stores.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/trace.ts failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
