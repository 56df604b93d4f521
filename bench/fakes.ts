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
 * Drafts (`sendMessageDraft`) are kept the same way (chat, text, arrival; refused ones dropped
 * at drain), and so are the typing indicators (`sendChatAction`, chat and arrival).
 *
 * The fake LLM's answers are timed as they are written: each chat completion's response is
 * watched (its `write`/`end` on the fake's own HTTP server, nothing changed in how the fake
 * answers) and, per answer, the fakes record when its first text piece went out and when the
 * response ended, keyed by the `#u<update_id>` the answer echoes. That is "the end of its LLM
 * call" for the slow-LLM part and "the first token" for the streaming part.
 *
 * LLM settings (per part, over IPC `configure`, or `BENCH_LLM_LATENCY_MS` at start):
 * `llmLatencyMs` is {@link FakeOpenAI.setLatency}; the fake applies it before any answer, streamed
 * ones included (the response headers, then the stream at its pace), so a streamed answer of
 * latency N and the default pace (all at once) ends about N ms after the request arrived.
 * `streamPace` is {@link FakeOpenAI.setStreamPace}; `answerWords` pads the echoed answer with
 * words to about that many text pieces (a long answer to stream).
 *
 * IPC requests: `drain` (the records since the last drain, and counts per method), `configure`.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { echoLastUserMessage, FakeOpenAI, type StreamPace } from '../test/fakes/fake-openai';
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

/** A `sendMessageDraft` Telegram accepted, or a `sendChatAction` (x: the action). */
export type DraftRecord = SentRecord;

/** One chat completion answer as the fake LLM wrote it (times: epoch ms with fractions). */
export interface LlmRecord {
  /** The update ids the answer echoes (`#u<id>`: one, or a merged burst's). */
  u: number[];
  /** The request arrived (its headers). */
  a: number;
  /** The response's headers were written (the end of the fake's latency). */
  h: number;
  /** The first text piece was written (for a JSON answer: the whole body). */
  f: number;
  /** The response ended. */
  e: number;
  /** Streamed (Server-Sent Events). */
  s: boolean;
}

/** What `configure` sets; every field optional, absent ones back to the default. */
export interface LlmSettings {
  llmLatencyMs?: number;
  streamPace?: StreamPace;
  answerWords?: number;
}

/** Everything one `drain` returns. */
export interface Drained {
  sent: SentRecord[];
  drafts: DraftRecord[];
  typing: DraftRecord[];
  llm: LlmRecord[];
  counts: Record<string, number>;
  llmRequests: number;
}

const FILLER = 'это часть длинного ответа модели который приходит по словам'.split(' ');

/**
 * The test fakes' echo of the last user message, plus the `#u<id>` tags of the burst's earlier
 * messages (the user messages after the last assistant message: a burst the service merged into
 * one question), so that one answer to a merged burst reads as answering each of its updates;
 * padded with words to about `words` text pieces when given.
 */
function burstEcho(words = 0) {
  return (req: Parameters<typeof echoLastUserMessage>[0]) => {
    const reply = echoLastUserMessage(req);
    if (!('text' in reply) || reply.text === undefined) return reply;
    const messages: unknown[] = Array.isArray(req.body?.messages) ? req.body.messages : [];
    let start = messages.length;
    while (start > 0 && !isRole(messages[start - 1], 'assistant')) start -= 1;
    const burst = messages.slice(start).filter((m) => isRole(m, 'user'));
    const earlier = burst.slice(0, -1).flatMap((m) => JSON.stringify(m).match(/#u\d+/g) ?? []);
    const text = earlier.length ? `${reply.text} (${earlier.join(' ')})` : reply.text;
    const have = text.split(/\s+/).length;
    const extra = Array.from({ length: Math.max(0, words - have) }, (_, i) => FILLER[i % FILLER.length]);
    return { text: [text, ...extra].join(' ') };
  };
}

function isRole(message: unknown, role: string): boolean {
  return typeof message === 'object' && message !== null && (message as { role?: unknown }).role === role;
}

/**
 * Times every chat completion response of `server` (the fake LLM's own): wraps that response's
 * `writeHead`, `write` and `end`, so the fake's behaviour is unchanged.
 */
function timeResponses(server: Server, now: () => number, record: (r: LlmRecord) => void): void {
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || !(req.url ?? '').includes('/chat/completions')) return;
    const arrivedAt = now();
    let headersAt = Number.NaN;
    let firstAt = Number.NaN;
    let streamed = false;
    let text = '';
    const seen = (chunk: unknown): void => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      const piece = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
      if (Number.isNaN(firstAt) && /"content":"[^"]/.test(piece)) firstAt = now();
      text += piece;
    };
    const { writeHead, write, end } = res;
    res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
      headersAt = now();
      streamed = /event-stream/.test(JSON.stringify(args));
      return writeHead.apply(this, args);
    } as ServerResponse['writeHead'];
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      seen(chunk);
      return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as ServerResponse['write'];
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      seen(chunk);
      const endedAt = now();
      const ids = [...text.matchAll(/#u(\d+)/g)].map((m) => Number(m[1]));
      if (ids.length) record({ u: ids, a: arrivedAt, h: Number.isNaN(headersAt) ? endedAt : headersAt, f: Number.isNaN(firstAt) ? endedAt : firstAt, e: endedAt, s: streamed });
      text = '';
      return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
    } as ServerResponse['end'];
  });
}

async function main(): Promise<void> {
  const token = process.env.BOT_TOKEN;
  if (!token) throw new Error('BOT_TOKEN is not set: the runner passes the bot token the service uses');
  const tg = await FakeTelegram.start({ token });
  const ai = await FakeOpenAI.start();

  let sent: SentRecord[] = [];
  // Drafts keep their call until the drain, which drops the ones the fake refused (failedWith).
  let drafts: Array<{ call: RecordedCall; t: number }> = [];
  let typing: DraftRecord[] = [];
  let llm: LlmRecord[] = [];
  let counts: Record<string, number> = {};
  let llmRequests = 0;
  const now = () => performance.timeOrigin + performance.now();

  const configure = (settings: LlmSettings): void => {
    ai.setLatency(settings.llmLatencyMs ?? 0);
    ai.setStreamPace(settings.streamPace ?? {});
    ai.setResponder(burstEcho(settings.answerWords));
  };
  configure({ llmLatencyMs: Number(process.env.BENCH_LLM_LATENCY_MS ?? 0) });
  // The fake's server is private to it; bracket access is TypeScript's way in for a bench.
  timeResponses(ai['server'], now, (r) => llm.push(r));

  tg.calls.push = (...items: RecordedCall[]): number => {
    const t = now();
    for (const call of items) {
      counts[call.method] = (counts[call.method] ?? 0) + 1;
      if (call.method === 'sendMessage') {
        sent.push({ c: Number(call.params.chat_id), x: String(call.params.text ?? ''), t });
      } else if (call.method === 'sendMessageDraft') {
        drafts.push({ call, t });
      } else if (call.method === 'sendChatAction') {
        typing.push({ c: Number(call.params.chat_id), x: String(call.params.action ?? ''), t });
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
      const accepted = drafts
        .filter((d) => d.call.failedWith === undefined)
        .map((d) => ({ c: Number(d.call.params.chat_id), x: String(d.call.params.text ?? ''), t: d.t }));
      const answer: Drained = { sent, drafts: accepted, typing, llm, counts, llmRequests };
      sent = [];
      drafts = [];
      typing = [];
      llm = [];
      counts = {};
      llmRequests = 0;
      return { ...answer };
    },
    configure: (message) => {
      configure(message as LlmSettings);
      return {};
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
