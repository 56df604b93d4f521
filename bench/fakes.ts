/**
 * The test fakes (FakeTelegram, FakeOpenAI from test/fakes/, unchanged behaviour, LLM latency 0)
 * in their own process, so that neither the load generator nor the service shares their event
 * loop.
 *
 * Recording is slimmed for long runs: instead of keeping every call with its parameters and
 * results (hundreds of thousands of objects), the fakes' `calls`/`requests` arrays are given a
 * `push` that keeps a compact record of each `sendMessage` (chat, text, arrival time) and counts
 * the rest. The arrival time is taken at the moment the fake records the call (after reading the
 * body, where the fake stamps `at`), as `performance.timeOrigin + performance.now()`: wall-clock
 * milliseconds with sub-millisecond resolution, comparable with the runner's clock.
 *
 * IPC requests: `drain` (the records since the last drain, and counts per method).
 */
import { performance } from 'node:perf_hooks';
import { FakeOpenAI } from '../test/fakes/fake-openai';
import { FakeTelegram, type RecordedCall } from '../test/fakes/fake-telegram';
import { serveIpc } from './lib/children';

/** A `sendMessage` as the fake Telegram received it. */
export interface SentRecord {
  /** chat_id */
  c: number;
  /** text as sent (HTML) */
  x: string;
  /** arrival, epoch milliseconds with fractions */
  t: number;
}

async function main(): Promise<void> {
  const token = process.env.BOT_TOKEN;
  if (!token) throw new Error('BOT_TOKEN is not set: the runner passes the bot token the service uses');
  const tg = await FakeTelegram.start({ token });
  const ai = await FakeOpenAI.start();

  let sent: SentRecord[] = [];
  let counts: Record<string, number> = {};
  let llmRequests = 0;
  const now = () => performance.timeOrigin + performance.now();

  tg.calls.push = (...items: RecordedCall[]): number => {
    const t = now();
    for (const call of items) {
      counts[call.method] = (counts[call.method] ?? 0) + 1;
      if (call.method === 'sendMessage') {
        sent.push({ c: Number(call.params.chat_id), x: String(call.params.text ?? ''), t });
      }
    }
    return 0;
  };
  ai.requests.push = (...items: unknown[]): number => {
    llmRequests += items.length;
    return 0;
  };

  serveIpc({
    drain: () => {
      const answer = { sent, counts, llmRequests };
      sent = [];
      counts = {};
      llmRequests = 0;
      return answer;
    },
  });
  const stop = () => {
    void Promise.all([tg.close(), ai.close()]).finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.send?.({ type: 'ready', apiRoot: tg.apiRoot, baseURL: ai.baseURL, pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/fakes.ts failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
