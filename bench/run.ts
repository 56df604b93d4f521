/**
 * `npm run bench`: end-to-end performance of the support bot on this machine, against the real
 * service (in child processes), real PostgreSQL and Redis, and the test fakes for Telegram and
 * the LLM (latency 0). Prints a table (figure, target, pass/fail) and writes bench/results.json.
 *
 * Parts (each starts from empty tables and a flushed Redis db 14, with fresh service processes):
 *  1. ingest    webhook updates/s acknowledged with durable storage, p50/p99 ack latency: at a
 *               steady 500/s (20 s) and 2,000/s (10 s), and at saturation (autocannon, 10 s);
 *               the same saturation run against a bare Koa server (the machine's limit), and
 *               against the webhook route alone (no workers; a diagnostic). Workers run during
 *               ingest, as in production.
 *  2. pipeline  webhook 200 → the answer's sendMessage at the fake Telegram, at 50 and 200 new
 *               dialogs/s (10 s each), with the fake LLM answering after --llm-latency-ms
 *               (default 0); also the end of each LLM answer → its sendMessage.
 *     slowllm   200 new dialogs at 50/s, every LLM call 2,000 ms: the end of each LLM answer at
 *               the fake OpenAI → its sendMessage at the fake Telegram, and webhook 200 → answer.
 *     streaming new dialogs at 50/s for 10 s, the LLM's first token after 500 ms then 50 tokens/s
 *               (answers of about 100 tokens): first token → first draft with text, webhook 200 →
 *               first visible text, Bot API calls per streamed answer.
 *  3. handoff   "позовите оператора" (webhook 200) → the ticket in the operators' chat.
 *  4. memory    service RSS and Redis memory per 10,000 idle dialogs; PostgreSQL bytes per message.
 *  5. scale     the saturation run against two service processes sharing PostgreSQL and Redis,
 *               and a per-chat ordering check (a chat's messages alternate between the two).
 *  6. costs     CPU per call of each client library the service uses (Knex, ioredis, telegraf,
 *               the openai SDK) against the same local servers: the floor under a dialog's cost.
 *
 * Flags: `--quick` (a smoke run of a few seconds per part), `--only ingest,scale`,
 * `--profile` (service processes write CPU profiles to bench/.tmp/prof; read them with
 * `npx tsx bench/profile-summary.ts <file>`), `--connections N` (saturation connections),
 * `--pipeline-processes N` (service processes sharing the pipeline's load, in turn; default 1),
 * `--llm-latency-ms N` (the fake LLM answers every request after N ms, streamed ones included;
 * default 0; the slowllm and streaming parts set their own), `--streaming off` (the services run
 * with STREAMING=false: a diagnostic of what drafts cost).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clientCosts } from './costs';
import type { Drained, LlmSettings } from './fakes';
import { killAllChildrenNow, rssOf, startChild, stopAllChildren, TMP_DIR, type BenchChild } from './lib/children';
import { cpuBetween, cpuSnapshot, waitForQuiet } from './lib/cpu';
import { paced, saturate, type LoadResult, type Target } from './lib/load';
import { SentLog } from './lib/sent-log';
import { fig, latencySummary, nowMs, percentile, sleep, type Figure } from './lib/stats';
import { BENCH_DATABASE_URL, BENCH_REDIS_URL, pendingWork, prepareStores, processedCount, storedUpdates, type Stores } from './lib/stores';
import { HANDOFF_TEXT, questionText, textUpdate } from './lib/updates';

const BOT_TOKEN = '123456:BENCH-token-for-the-fake';
const SECRET = 'bench_webhook_secret-123';
const WEBHOOK_PATH = '/telegram/webhook';
const OPS = -1001234567890;
/** Telegram's default `max_connections` for a webhook. */
const TELEGRAM_CONNECTIONS = 40;
const PARTS = ['ingest', 'pipeline', 'slowllm', 'streaming', 'handoff', 'memory', 'scale', 'costs'] as const;
type Part = (typeof PARTS)[number];

/** How long each part runs: the full run, and the `--quick` smoke run. */
const FULL = {
  warmSec: 2,
  fixedLowRate: 500,
  fixedLowSec: 20,
  fixedHighRate: 2000,
  fixedHighSec: 10,
  saturationSec: 10,
  pipelineRates: [50, 200],
  pipelineSec: 10,
  slowLlmCount: 200,
  slowLlmRate: 50,
  slowLlmLatencyMs: 2000,
  streamingRate: 50,
  streamingSec: 10,
  handoffCount: 300,
  handoffRate: 25,
  memoryDialogs: 10_000,
  memoryRate: 150,
  orderingChats: 200,
  orderingMessages: 5,
  drainMs: 15_000,
  ingestChats: 5_000,
};
const QUICK: typeof FULL = {
  warmSec: 1,
  fixedLowRate: 500,
  fixedLowSec: 3,
  fixedHighRate: 2000,
  fixedHighSec: 2,
  saturationSec: 3,
  pipelineRates: [50, 200],
  pipelineSec: 2,
  slowLlmCount: 50,
  slowLlmRate: 50,
  slowLlmLatencyMs: 2000,
  streamingRate: 50,
  streamingSec: 2,
  handoffCount: 40,
  handoffRate: 25,
  memoryDialogs: 1_000,
  memoryRate: 250,
  orderingChats: 40,
  orderingMessages: 3,
  drainMs: 8_000,
  ingestChats: 1_000,
};

interface TargetRow {
  figure: string;
  value: number | null;
  unit: string;
  target: string;
  pass: boolean | null;
}

interface Options {
  quick: boolean;
  profile: boolean;
  only: Set<Part>;
  connections: number;
  /** Service processes for the pipeline part (`--pipeline-processes N`, default 1). */
  pipelineProcesses: number;
  /**
   * `split` (default, as docker-compose.yml deploys it): each service is a web process
   * (SERVICE_ROLE=web) and a worker process (SERVICE_ROLE=worker); `single`: one process doing
   * both (`--layout single`).
   */
  layout: 'split' | 'single';
  /** The fake LLM's latency for the parts that do not set their own (`--llm-latency-ms N`, default 0). */
  llmLatencyMs: number;
  /** `--streaming off`: the services run with STREAMING=false (one request under "typing…"); default: the service's default (on). */
  streaming: 'default' | 'off';
}

/** The streaming part's model: first token after 500 ms, then 50 tokens/s, answers of about 100 tokens. */
const STREAMING_LLM = { streamPace: { firstTokenMs: 500, tokensPerSecond: 50 }, answerWords: 100 } as const;

function parseArgs(argv: readonly string[]): Options {
  const only = new Set<Part>(PARTS);
  const at = argv.indexOf('--only');
  if (at >= 0) {
    only.clear();
    for (const name of (argv[at + 1] ?? '').split(',')) {
      if (!(PARTS as readonly string[]).includes(name)) throw new Error(`--only takes parts from: ${PARTS.join(', ')} (got "${name}")`);
      only.add(name as Part);
    }
  }
  const c = argv.indexOf('--connections');
  const connections = c >= 0 ? Number(argv[c + 1]) : TELEGRAM_CONNECTIONS;
  if (!Number.isInteger(connections) || connections < 2) throw new Error('--connections must be an integer ≥ 2, e.g. --connections 40');
  const p = argv.indexOf('--pipeline-processes');
  const pipelineProcesses = p >= 0 ? Number(argv[p + 1]) : 1;
  if (!Number.isInteger(pipelineProcesses) || pipelineProcesses < 1) throw new Error('--pipeline-processes must be an integer ≥ 1, e.g. --pipeline-processes 2');
  const l = argv.indexOf('--layout');
  const layout = l >= 0 ? argv[l + 1] : 'split';
  if (layout !== 'split' && layout !== 'single') throw new Error('--layout takes split or single');
  const m = argv.indexOf('--llm-latency-ms');
  const llmLatencyMs = m >= 0 ? Number(argv[m + 1]) : 0;
  if (!Number.isInteger(llmLatencyMs) || llmLatencyMs < 0) throw new Error('--llm-latency-ms must be an integer ≥ 0, e.g. --llm-latency-ms 2000');
  const st = argv.indexOf('--streaming');
  const streaming = st >= 0 ? argv[st + 1] : 'default';
  if (streaming !== 'default' && streaming !== 'off') throw new Error('--streaming takes off (the default is the service\'s own: on)');
  return { quick: argv.includes('--quick'), profile: argv.includes('--profile'), only, connections, pipelineProcesses, layout, llmLatencyMs, streaming };
}

/** Drives the parts; holds the fakes, the stores and the update_id counter shared by all parts. */
class Bench {
  readonly results: Record<string, unknown> = {};
  readonly targets: TargetRow[] = [];
  /** Per measured run: how busy the machine was before it, and what others used during it. */
  readonly contention: Array<{ run: string; busyBefore: number; othersDuring: number }> = [];
  private nextUpdateId = 1;
  private chatBase = 0;
  /** Waiting for a quiet machine is bounded over the whole run, so the run stays within its time. */
  private quietBudgetMs: number;

  private constructor(
    private readonly opts: Options,
    private readonly s: typeof FULL,
    private readonly stores: Stores,
    private readonly fakes: BenchChild,
  ) {
    this.quietBudgetMs = opts.quick ? 10_000 : 45_000;
  }

  static async create(opts: Options): Promise<Bench> {
    const stores = await prepareStores();
    const fakes = await startChild('fakes', path.join(__dirname, 'fakes.ts'), { BOT_TOKEN });
    return new Bench(opts, opts.quick ? QUICK : FULL, stores, fakes);
  }

  /** Stops every child but the fakes (after a part failed). */
  async stopServices(): Promise<void> {
    await stopAllChildren(new Set([this.fakes.pid]));
  }

  async close(): Promise<void> {
    await stopAllChildren();
    await this.stores.close();
  }

  // ── plumbing ───────────────────────────────────────────────────────────────

  /** A fresh range of chat ids for a part, so no two parts share a chat. */
  private newChats(): number {
    this.chatBase += 10_000_000;
    return this.chatBase;
  }

  private serviceEnv(extra: Record<string, string> = {}): Record<string, string> {
    return {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      BOT_TOKEN,
      TELEGRAM_API_ROOT: String(this.fakes.ready.apiRoot),
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_PATH,
      WEB_SERVER_HOST: '127.0.0.1',
      WEB_SERVER_PORT: '0',
      OPERATOR_CHAT_ID: String(OPS),
      OPERATOR_LANG: 'ru',
      CHAT_GPT_TOKEN: 'bench-openai-key',
      OPENAI_BASE_URL: String(this.fakes.ready.baseURL),
      DATABASE_URL: BENCH_DATABASE_URL,
      REDIS_URL: BENCH_REDIS_URL,
      // The core's pipeline, as round 1 measured it: the LLM answers every question (the
      // knowledge base's own cost is `npm run bench:knowledge`).
      KNOWLEDGE_DIR: 'off',
      ...(this.opts.streaming === 'off' ? { STREAMING: 'false' } : {}),
      ...extra,
    };
  }

  /**
   * Empties the stores and starts `count` services (production defaults: 16 workers, log level
   * info). In the split layout each is a web process and a worker process (named `…-worker`);
   * the webhook-only diagnostic is always one process. The fake LLM gets `llm` (default: the
   * `--llm-latency-ms` latency, answers at once, the plain echo).
   */
  private async freshServices(name: string, count = 1, extra: Record<string, string> = {}, layout = this.opts.layout, llm?: LlmSettings): Promise<BenchChild[]> {
    await this.stores.reset();
    await this.fakes.ask('configure', { ...(llm ?? { llmLatencyMs: this.opts.llmLatencyMs }) });
    await this.drainFakes(); // forget what earlier parts caused
    const nodeArgs = ['--expose-gc'];
    if (this.opts.profile) {
      const dir = path.join(TMP_DIR, 'prof');
      fs.mkdirSync(dir, { recursive: true });
      nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
    }
    const split = layout === 'split' && extra.BENCH_MODE === undefined;
    const started: BenchChild[] = [];
    for (let i = 0; i < count; i += 1) {
      const base = count > 1 ? `${name}-${i + 1}` : name;
      const env = (role: string, id: string) => this.serviceEnv({ ...extra, ...(split ? { SERVICE_ROLE: role, INSTANCE_ID: id } : {}) });
      started.push(await startChild(base, path.join(__dirname, 'serve.ts'), env('web', `${base}-web`), { nodeArgs }));
      if (split) started.push(await startChild(`${base}-worker`, path.join(__dirname, 'serve.ts'), env('worker', `${base}-worker`), { nodeArgs }));
    }
    await sleep(300); // setMyCommands and the first pool connections
    await this.drainFakes();
    return started;
  }

  /** The processes that take webhooks (all of them, unless split). */
  private webOf(children: BenchChild[]): BenchChild[] {
    return children.filter((c) => !c.name.endsWith('-worker'));
  }

  private target(child: BenchChild): Target {
    return { url: String(child.ready.url), path: WEBHOOK_PATH, headers: { 'x-telegram-bot-api-secret-token': SECRET } };
  }

  private async drainFakes(log?: SentLog): Promise<void> {
    const drained = await this.fakes.ask<Drained>('drain');
    log?.add(drained);
  }

  /** Polls the fakes until `done(log)` or `timeoutMs`; returns whether it was done. */
  /** Unmeasured dialogs (one question each) until all are answered: JIT, pools and the heap settle. */
  private async warmUp(svc: BenchChild, opts: { rate: number; count: number; timeoutMs: number }): Promise<void> {
    const base = this.newChats();
    const ids: number[] = [];
    await paced(this.target(svc), {
      rate: opts.rate,
      count: opts.count,
      body: (i) => {
        const updateId = this.nextUpdateId++;
        ids.push(updateId);
        return JSON.stringify(textUpdate(updateId, base + i, questionText(updateId, 0), 1));
      },
    });
    await this.waitFor(new SentLog(OPS), (l) => ids.every((id) => l.answers.has(id)), opts.timeoutMs);
  }

  private async waitFor(log: SentLog, done: (log: SentLog) => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.drainFakes(log);
      if (done(log)) return true;
      if (Date.now() > deadline) return false;
      await sleep(200);
    }
  }

  /** A body maker over a pool of `chats` chats: each call is the next update_id, round robin over chats. */
  private poolBodies(chats: number): { body: () => string } {
    const base = this.newChats();
    const messageIds = new Map<number, number>();
    return {
      body: () => {
        const updateId = this.nextUpdateId++;
        const chat = base + (updateId % chats);
        const messageId = (messageIds.get(chat) ?? 0) + 1;
        messageIds.set(chat, messageId);
        return JSON.stringify(textUpdate(updateId, chat, questionText(updateId, messageId), messageId));
      },
    };
  }

  private row(figure: string, value: Figure, target: string, pass: boolean | null): void {
    this.targets.push({ figure, value: value.value, unit: value.unit, target, pass });
  }

  /** Waits (bounded) for a quiet machine before a measured run; returns how busy it still was. */
  private async quiet(run: string): Promise<number> {
    const started = Date.now();
    const busy = await waitForQuiet(0.3, Math.min(15_000, this.quietBudgetMs));
    this.quietBudgetMs = Math.max(0, this.quietBudgetMs - (Date.now() - started));
    if (busy >= 0.3) this.log(`${run}: the machine is busy (${busy} cores) with something else; measuring anyway`);
    return busy;
  }

  private noteContention(run: string, busyBefore: number, cpu: Record<string, { value: number }>): void {
    this.contention.push({ run, busyBefore, othersDuring: cpu.others?.value ?? 0 });
  }

  private log(line: string): void {
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  }

  // ── 1. ingest ──────────────────────────────────────────────────────────────

  /** One ingest measurement against fresh service(s): warm-up, then the measured load. */
  private async ingestRun(
    name: string,
    load: (targets: Target[], body: () => string, warmSec: number) => Promise<LoadResult & { perTarget?: LoadResult[] }>,
    opts: { processes?: number; mode?: 'service' | 'webhook-only' | 'bare'; chats?: number } = {},
  ) {
    const mode = opts.mode ?? 'service';
    const busyBefore = await this.quiet(name);
    const children =
      mode === 'bare'
        ? [await startChild('bare-koa', path.join(__dirname, 'bare-koa.ts'), {})]
        : await this.freshServices(name, opts.processes ?? 1, mode === 'webhook-only' ? { BENCH_MODE: 'webhook-only' } : {});
    try {
      const targets = this.webOf(children).map((c) => this.target(c));
      const bodies = this.poolBodies(opts.chats ?? this.s.ingestChats);
      // Warm-up (JIT, pools): the same load for a short while, not measured.
      await load(targets, bodies.body, this.s.warmSec);
      const measuredFrom = this.nextUpdateId;
      const pids = Object.fromEntries([...children.map((c) => [c.name, c.pid] as const), ['fakes', this.fakes.pid] as const]);
      const processedBefore = mode === 'service' ? await processedCount(this.stores.db) : 0;
      const gauged = mode === 'bare' ? [] : children;
      await Promise.all(gauged.map((c) => c.ask('stats')));
      const before = cpuSnapshot(pids);
      const result = await load(targets, bodies.body, 0);
      const after = cpuSnapshot(pids);
      const gauges = await Promise.all(gauged.map((c) => c.ask<Record<string, unknown>>('stats')));
      const processedDuring = mode === 'service' ? (await processedCount(this.stores.db)) - processedBefore : 0;
      const to = this.nextUpdateId - 1;
      const stored = mode === 'bare' ? null : await storedUpdates(this.stores.db, measuredFrom, to);
      const backlog = mode === 'service' ? await pendingWork(this.stores.db) : null;
      const rps = (result.ok / result.elapsedMs) * 1000;
      const summary = {
        rps: fig(rps, 'updates/s', 0),
        ...latencySummary(result.latencies),
        acked: result.ok,
        non2xx: result.non2xx,
        errors: result.errors,
        durationSec: fig(result.elapsedMs / 1000, 's'),
        ...(stored
          ? {
              storedInPostgres: stored.stored,
              durable: stored.stored >= result.ok,
              ...(mode === 'service'
                ? {
                    workersProcessedDuringRun: processedDuring,
                    workerRate: fig((processedDuring / result.elapsedMs) * 1000, 'updates/s', 0),
                    backlogAtEnd: fig(backlog?.inbox ?? null, 'updates', 0),
                  }
                : {}),
            }
          : {}),
        cpu: cpuBetween(before, after),
        ...(gauges.length ? { serviceGauges: gauges.map(({ type: _t, id: _i, ...g }) => g) } : {}),
        ...(result.perTarget
          ? { perProcess: result.perTarget.map((r) => ({ rps: fig((r.ok / r.elapsedMs) * 1000, 'updates/s', 0), ...latencySummary(r.latencies) })) }
          : {}),
        updateIds: { from: measuredFrom, to },
      };
      this.noteContention(name, busyBefore, summary.cpu);
      this.log(`${name}: ${summary.rps.value} updates/s, p50 ${summary.p50.value} ms, p99 ${summary.p99.value} ms (${result.non2xx} non-2xx, ${result.errors} errors)`);
      return { summary, children };
    } catch (error) {
      await Promise.all(children.map((c) => c.stop()));
      throw error;
    }
  }

  /** Saturation split over the targets; `warmSec` > 0 runs that long instead (a warm-up). */
  private satLoad(durationSec: number) {
    return async (targets: Target[], body: () => string, warmSec: number) => {
      const perTarget = await Promise.all(
        targets.map((t) => saturate(t, { connections: Math.floor(this.opts.connections / targets.length), durationSec: warmSec || durationSec, body })),
      );
      const merged: LoadResult = {
        ok: perTarget.reduce((n, r) => n + r.ok, 0),
        non2xx: perTarget.reduce((n, r) => n + r.non2xx, 0),
        errors: perTarget.reduce((n, r) => n + r.errors, 0),
        elapsedMs: Math.max(...perTarget.map((r) => r.elapsedMs)),
        latencies: perTarget.flatMap((r) => r.latencies),
      };
      return targets.length > 1 ? { ...merged, perTarget } : merged;
    };
  }

  /** A steady rate against one target; `warmSec` > 0 runs that long instead (a warm-up). */
  private fixedLoad(rate: number, durationSec: number) {
    return (targets: Target[], body: () => string, warmSec: number) => {
      const [t] = targets;
      if (!t) throw new Error('no target');
      return paced(t, { rate, count: Math.round(rate * (warmSec || durationSec)), body, maxSockets: TELEGRAM_CONNECTIONS, graceMs: 10_000 });
    };
  }

  async ingest(): Promise<void> {
    const s = this.s;
    const c = this.opts.connections;
    const out: Record<string, unknown> = {
      notes:
        (this.opts.layout === 'split'
          ? 'Workers run during ingest (16 loops, as in production) in their own process (SERVICE_ROLE=worker, WORKER_NICE 10); the webhook in the web process shares PostgreSQL and the 2 cores with them. '
          : 'Workers run during ingest (16 loops) in the webhook\'s own process (--layout single), sharing its event loop, PostgreSQL and the 2 cores. ') +
        `Steady loads are open-loop (one request every 1/rate s over at most ${TELEGRAM_CONNECTIONS} keep-alive sockets); saturation is autocannon with ${c} connections, closed loop. ` +
        'Latency is from the request being issued to the whole answer; rps counts 2xx answers only.',
    };

    const low = await this.ingestRun(`ingest-fixed${s.fixedLowRate}`, this.fixedLoad(s.fixedLowRate, s.fixedLowSec));
    await Promise.all(low.children.map((ch) => ch.stop()));
    out[`fixed${s.fixedLowRate}`] = { offered: fig(s.fixedLowRate, 'updates/s', 0), ...low.summary };

    const high = await this.ingestRun(`ingest-fixed${s.fixedHighRate}`, this.fixedLoad(s.fixedHighRate, s.fixedHighSec));
    await Promise.all(high.children.map((ch) => ch.stop()));
    out[`fixed${s.fixedHighRate}`] = { offered: fig(s.fixedHighRate, 'updates/s', 0), ...high.summary };

    const sat = await this.ingestRun('ingest-saturation', this.satLoad(s.saturationSec));
    await Promise.all(sat.children.map((ch) => ch.stop()));
    out.saturation = { connections: c, ...sat.summary };

    const hook = await this.ingestRun('ingest-webhook-only', this.satLoad(s.saturationSec), { mode: 'webhook-only' });
    await Promise.all(hook.children.map((ch) => ch.stop()));
    out.webhookOnlySaturation = {
      note: 'Diagnostic: the webhook route over the real inbox in its own process, no workers. Not a production configuration.',
      connections: c,
      ...hook.summary,
    };

    const bare = await this.ingestRun('bare-koa', this.satLoad(s.saturationSec), { mode: 'bare' });
    await Promise.all(bare.children.map((ch) => ch.stop()));
    out.bareKoaSaturation = { connections: c, ...bare.summary };

    const ratio = bare.summary.rps.value ? ((sat.summary.rps.value ?? 0) / bare.summary.rps.value) * 100 : null;
    out.serviceToBare = fig(ratio, '%', 1);
    this.results.ingest = out;

    this.row('ingest: saturation throughput', sat.summary.rps, '≥ 2000 updates/s', (sat.summary.rps.value ?? 0) >= 2000);
    const highOk = high.summary.acked >= 0.98 * Math.round(s.fixedHighRate * s.fixedHighSec) && (high.summary.rps.value ?? 0) >= 0.98 * s.fixedHighRate;
    this.row(`ingest: p99 ack at ${s.fixedHighRate}/s offered`, high.summary.p99, `≤ 25 ms while sustaining ${s.fixedHighRate}/s`, highOk && (high.summary.p99.value ?? Infinity) <= 25);
    this.row(`ingest: rate sustained at ${s.fixedHighRate}/s offered`, high.summary.rps, `≥ ${s.fixedHighRate * 0.98} updates/s`, highOk);
    this.row(`ingest: p99 ack at ${s.fixedLowRate}/s`, low.summary.p99, '≤ 25 ms', (low.summary.p99.value ?? Infinity) <= 25);
    this.row('ingest: p99 ack at saturation', sat.summary.p99, `≤ 25 ms (${c} connections)`, (sat.summary.p99.value ?? Infinity) <= 25);
    this.row('ingest: service / bare Koa', out.serviceToBare as Figure, '≥ 30 %', (ratio ?? 0) >= 30);
  }

  // ── 2. pipeline and 3. handoff ─────────────────────────────────────────────

  /**
   * New dialogs at a steady `rate`, one message each; returns, per dialog, the webhook's ack and
   * the arrival of what `arrivedAt` finds for it at the fake Telegram (Infinity if it never came).
   */
  private async dialogs(opts: {
    name: string;
    rate: number;
    count: number;
    text: (updateId: number) => string;
    arrivedAt: (log: SentLog, chat: number, updateId: number) => number | undefined;
    waitMs: number;
    llm?: LlmSettings;
  }) {
    const base = this.newChats();
    const log = new SentLog(OPS);
    const all = await this.freshServices(opts.name, this.opts.pipelineProcesses, {}, this.opts.layout, opts.llm);
    const webs = this.webOf(all);
    const svc = webs[0]!; // takes the warm-up
    try {
      // Warm-up: a few dialogs at a low rate, not measured.
      await this.warmUp(svc, { rate: 20, count: 20, timeoutMs: 10_000 });

      const sent: Array<{ chat: number; updateId: number; ackAt: number; sentAt: number }> = [];
      const busyBefore = await this.quiet(opts.name);
      const pids = { ...Object.fromEntries(all.map((c) => [serviceName(c, opts.name), c.pid])), fakes: this.fakes.pid };
      await Promise.all(all.map((c) => c.ask('stats')));
      const before = cpuSnapshot(pids);
      const load = await paced(webs.map((c) => this.target(c)), {
        rate: opts.rate,
        count: opts.count,
        maxSockets: TELEGRAM_CONNECTIONS,
        body: (i) => {
          const updateId = this.nextUpdateId++;
          const chat = base + i;
          sent[i] = { chat, updateId, ackAt: Number.NaN, sentAt: Number.NaN };
          return JSON.stringify(textUpdate(updateId, chat, opts.text(updateId), 1));
        },
        onAck: (ack) => {
          const entry = sent[ack.index];
          if (entry) {
            entry.ackAt = ack.status === 200 ? ack.ackAt : Number.NaN;
            entry.sentAt = ack.sentAt;
          }
        },
      });
      const complete = await this.waitFor(log, (l) => sent.every((d) => opts.arrivedAt(l, d.chat, d.updateId) !== undefined), opts.waitMs);
      const after = cpuSnapshot(pids);
      const gauges = await Promise.all(
        all.map(async (c) => {
          const { type: _t, id: _i, ...g } = await c.ask<Record<string, unknown>>('stats');
          return { process: serviceName(c, opts.name), ...g } as Record<string, unknown>;
        }),
      );
      const fromAck = sent.map((d) => {
        const at = opts.arrivedAt(log, d.chat, d.updateId);
        return at === undefined || Number.isNaN(d.ackAt) ? Infinity : at - d.ackAt;
      });
      const fromSend = sent.map((d) => {
        const at = opts.arrivedAt(log, d.chat, d.updateId);
        return at === undefined ? Infinity : at - d.sentAt;
      });
      const arrived = fromAck.filter(Number.isFinite).length;
      const firstSent = Math.min(...sent.map((d) => d.sentAt).filter(Number.isFinite));
      const lastArrival = Math.max(...sent.map((d) => opts.arrivedAt(log, d.chat, d.updateId) ?? -Infinity));
      const answeredPerSecond = arrived > 0 ? (arrived / (lastArrival - firstSent)) * 1000 : 0;
      const cpu = cpuBetween(before, after);
      this.noteContention(opts.name, busyBefore, cpu);
      return { load, sent, fromAck, fromSend, arrived, answeredPerSecond, complete, log, cpu, cpuWallSec: after.wall - before.wall, gauges };
    } finally {
      await Promise.all(all.map((c) => c.stop()));
    }
  }

  async pipeline(): Promise<void> {
    const out: Record<string, unknown> = {
      notes:
        'New chats, one message each, issued at a steady rate; latency = arrival of the answer (sendMessage to that chat) at the fake Telegram − the webhook\'s 200 at the client. ' +
        `Fake LLM latency ${this.opts.llmLatencyMs} ms (--llm-latency-ms). Answers that never came count as infinite. Clocks: both ends use performance.timeOrigin + performance.now() on one machine. ` +
        'llmEndToAnswer: the end of the LLM\'s answer to that dialog, as the fake OpenAI wrote it, → its sendMessage at the fake Telegram.',
      llmLatency: fig(this.opts.llmLatencyMs, 'ms', 0),
    };
    for (const rate of this.s.pipelineRates) {
      const count = Math.round(rate * this.s.pipelineSec);
      const r = await this.dialogs({
        name: `pipeline-${rate}`,
        rate,
        count,
        text: (id) => questionText(id, 0),
        arrivedAt: (log, _chat, updateId) => log.answers.get(updateId),
        waitMs: Math.max(10_000, this.s.drainMs),
      });
      const statements = r.gauges.reduce((sum, g) => sum + (typeof g.sqlStatements === 'number' ? g.sqlStatements : 0), 0);
      // CPU over the whole window (the load, then until the last answer), shared by the dialogs.
      const perDialog = (cores: number | undefined) => fig(cores === undefined ? null : ((cores * r.cpuWallSec) / count) * 1000, 'ms CPU/dialog');
      const summary = {
        offered: fig(rate, 'dialogs/s', 0),
        dialogs: count,
        answered: r.arrived,
        answeredPerSecond: fig(r.answeredPerSecond, 'dialogs/s', 0),
        sqlStatementsPerDialog: fig(statements / count, 'statements', 1),
        cpuPerDialog: {
          service: perDialog(sumServices(r.cpu)),
          postgres: perDialog(r.cpu.postgres?.value ?? undefined),
          machine: perDialog(r.cpu.machine?.value ?? undefined),
        },
        ...latencySummary(r.fromAck),
        fromRequestSent: latencySummary(r.fromSend),
        llmEndToAnswer: llmEndToAnswer(r.log, r.sent),
        botApiCalls: r.log.counts,
        llmRequests: r.log.llmRequests,
        ackP99: latencySummary(r.load.latencies).p99,
        cpu: r.cpu,
        serviceGauges: r.gauges,
      };
      this.log(`pipeline ${rate}/s: answered ${r.arrived}/${count}, p50 ${summary.p50.value} ms, p99 ${summary.p99.value} ms; LLM end → answer p50 ${summary.llmEndToAnswer.p50.value} ms, p99 ${summary.llmEndToAnswer.p99.value} ms`);
      out[`rate${rate}`] = summary;
      if (rate === 200) {
        this.row('pipeline: p50 at 200 dialogs/s', summary.p50, '≤ 15 ms', (summary.p50.value ?? Infinity) <= 15);
        this.row('pipeline: p99 at 200 dialogs/s', summary.p99, '≤ 60 ms', (summary.p99.value ?? Infinity) <= 60);
      } else {
        this.row(`pipeline: p50 at ${rate} dialogs/s`, summary.p50, '(no target)', null);
        this.row(`pipeline: p99 at ${rate} dialogs/s`, summary.p99, '(no target)', null);
      }
    }
    this.results.pipeline = out;
  }

  /**
   * A slow LLM (issue: late answers): `slowLlmCount` new dialogs at `slowLlmRate`/s, every LLM
   * call `slowLlmLatencyMs`, default configuration. What the service adds after the model has
   * answered: the end of each LLM answer at the fake OpenAI → that dialog's sendMessage.
   */
  async slowllm(): Promise<void> {
    const { slowLlmCount: count, slowLlmRate: rate, slowLlmLatencyMs: latencyMs } = this.s;
    const r = await this.dialogs({
      name: 'slowllm',
      rate,
      count,
      text: (id) => questionText(id, 0),
      arrivedAt: (log, _chat, updateId) => log.answers.get(updateId),
      waitMs: Math.max(20_000, this.s.drainMs),
      llm: { llmLatencyMs: latencyMs },
    });
    const afterLlm = llmEndToAnswer(r.log, r.sent);
    const llmStart = r.sent.map((d) => {
      const answer = r.log.llm.get(d.updateId);
      return answer === undefined || Number.isNaN(d.ackAt) ? Infinity : answer.a - d.ackAt;
    });
    const summary = {
      notes:
        `${count} new dialogs at ${rate}/s, the fake LLM answering every request after ${latencyMs} ms (streamed ones: the stream at once after that), default configuration. ` +
        'llmEndToAnswer: the end of the LLM answer to that dialog as the fake OpenAI wrote it → its sendMessage at the fake Telegram; ' +
        'webhookToAnswer: the webhook\'s 200 → the same sendMessage; webhookToLlmRequest: the webhook\'s 200 → the LLM request\'s arrival at the fake.',
      llmLatency: fig(latencyMs, 'ms', 0),
      offered: fig(rate, 'dialogs/s', 0),
      dialogs: count,
      answered: r.arrived,
      complete: r.complete,
      llmRequests: r.log.llmRequests,
      llmAnswersRepeated: r.log.llmRepeats,
      botApiCalls: r.log.counts,
      llmEndToAnswer: afterLlm,
      webhookToAnswer: latencySummary(r.fromAck),
      webhookToLlmRequest: latencySummary(llmStart),
      cpu: r.cpu,
      serviceGauges: r.gauges,
    };
    this.results.slowllm = summary;
    this.log(`slowllm: answered ${r.arrived}/${count}; LLM end → answer p50 ${afterLlm.p50.value} ms, p99 ${afterLlm.p99.value} ms; webhook → answer p50 ${summary.webhookToAnswer.p50.value} ms, p99 ${summary.webhookToAnswer.p99.value} ms`);
    this.row(`slowllm: LLM end → answer p99 (${latencyMs} ms LLM)`, afterLlm.p99, `≤ 150 ms, all ${count} answered`, (afterLlm.p99.value ?? Infinity) <= 150 && r.arrived === count);
    this.row(`slowllm: webhook → answer p50 (${latencyMs} ms LLM)`, summary.webhookToAnswer.p50, '(no target)', null);
    this.row(`slowllm: webhook → answer p99 (${latencyMs} ms LLM)`, summary.webhookToAnswer.p99, '(no target)', null);
  }

  /**
   * Streaming (issue 11): new dialogs at `streamingRate`/s for `streamingSec`, the fake LLM
   * streaming its ~100-token answers (first token after 500 ms, then 50 tokens/s). Per dialog:
   * the first text piece the fake OpenAI wrote → the first draft with text at the fake Telegram;
   * the webhook's 200 → that draft (the first visible text); Bot API calls per answer.
   */
  async streaming(): Promise<void> {
    const rate = this.s.streamingRate;
    const count = Math.round(rate * this.s.streamingSec);
    const r = await this.dialogs({
      name: 'streaming',
      rate,
      count,
      text: (id) => questionText(id, 0),
      arrivedAt: (log, _chat, updateId) => log.answers.get(updateId),
      waitMs: Math.max(20_000, this.s.drainMs),
      llm: { ...STREAMING_LLM, streamPace: { ...STREAMING_LLM.streamPace } },
    });
    const firstText = (chat: number) => r.log.drafts.get(chat)?.find((d) => d.text !== '')?.at;
    const tokenToDraft = r.sent.map((d) => {
      const answer = r.log.llm.get(d.updateId);
      const at = firstText(d.chat);
      return answer === undefined || at === undefined ? Infinity : at - answer.f;
    });
    const webhookToText = r.sent.map((d) => {
      const at = firstText(d.chat);
      return at === undefined || Number.isNaN(d.ackAt) ? Infinity : at - d.ackAt;
    });
    const webhookToThinking = r.sent.map((d) => {
      const at = r.log.drafts.get(d.chat)?.[0]?.at;
      return at === undefined || Number.isNaN(d.ackAt) ? Infinity : at - d.ackAt;
    });
    const calls = r.sent.map((d) => {
      const drafts = r.log.drafts.get(d.chat)?.length ?? 0;
      const messages = r.log.byChat.get(d.chat)?.length ?? 0;
      const typing = r.log.typing.get(d.chat) ?? 0;
      return { drafts, messages, typing, total: drafts + messages + typing };
    });
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    const streamedAnswers = [...r.log.llm.values()].filter((a) => a.s).length;
    const summary = {
      notes:
        `${count} new dialogs at ${rate}/s; the fake LLM streams every answer (about ${STREAMING_LLM.answerWords} text pieces): the first after ${STREAMING_LLM.streamPace.firstTokenMs} ms, then ${STREAMING_LLM.streamPace.tokensPerSecond}/s. ` +
        'tokenToFirstDraft: the first text piece the fake OpenAI wrote → the first draft with text (not "Thinking…") Telegram accepted for that chat; ' +
        'webhookToFirstText: the webhook\'s 200 → that draft (what the user first reads); webhookToThinking: → the first draft ("Thinking…"); ' +
        'webhookToAnswer: → the final sendMessage. Bot API calls per answer: accepted drafts + sendMessage + sendChatAction to that chat.',
      offered: fig(rate, 'dialogs/s', 0),
      dialogs: count,
      answered: r.arrived,
      complete: r.complete,
      llmStreamedAnswers: streamedAnswers,
      withTextDraft: tokenToDraft.filter(Number.isFinite).length,
      tokenToFirstDraft: latencySummary(tokenToDraft),
      webhookToFirstText: latencySummary(webhookToText),
      webhookToThinking: latencySummary(webhookToThinking),
      webhookToAnswer: latencySummary(r.fromAck),
      botApiCallsPerAnswer: {
        total: fig(mean(calls.map((c) => c.total)), 'calls', 2),
        totalP50: fig(percentile(calls.map((c) => c.total), 50), 'calls', 0),
        totalMax: fig(percentile(calls.map((c) => c.total), 100), 'calls', 0),
        drafts: fig(mean(calls.map((c) => c.drafts)), 'calls', 2),
        sendMessage: fig(mean(calls.map((c) => c.messages)), 'calls', 2),
        typing: fig(mean(calls.map((c) => c.typing)), 'calls', 2),
      },
      methodCounts: r.log.counts,
      cpu: r.cpu,
      serviceGauges: r.gauges,
    };
    this.results.streaming = summary;
    this.log(
      `streaming: answered ${r.arrived}/${count}; first token → first draft p50 ${summary.tokenToFirstDraft.p50.value} ms, p99 ${summary.tokenToFirstDraft.p99.value} ms; ` +
        `webhook → first text p50 ${summary.webhookToFirstText.p50.value} ms, p99 ${summary.webhookToFirstText.p99.value} ms; ${summary.botApiCallsPerAnswer.total.value} Bot API calls per answer`,
    );
    this.row('streaming: first token → first draft p99', summary.tokenToFirstDraft.p99, `≤ 50 ms, all ${count} answered`, (summary.tokenToFirstDraft.p99.value ?? Infinity) <= 50 && r.arrived === count);
    this.row('streaming: webhook → first visible text p50', summary.webhookToFirstText.p50, '(no target)', null);
    this.row('streaming: webhook → first visible text p99', summary.webhookToFirstText.p99, '(no target)', null);
    this.row('streaming: Bot API calls per answer (mean)', summary.botApiCallsPerAnswer.total, '(no target)', null);
  }

  async handoff(): Promise<void> {
    const { handoffCount: count, handoffRate: rate } = this.s;
    const r = await this.dialogs({
      name: 'handoff',
      rate,
      count,
      text: () => HANDOFF_TEXT,
      arrivedAt: (log, chat) => log.tickets.get(chat),
      waitMs: 15_000,
    });
    // The user's notice («Переключаю на человека…»): the first message to the user's chat.
    const notice = r.sent.map((d) => {
      const at = r.log.byChat.get(d.chat)?.[0]?.at;
      return at === undefined || Number.isNaN(d.ackAt) ? Infinity : at - d.ackAt;
    });
    const summary = {
      notes: `New chats say "${HANDOFF_TEXT}" at ${rate}/s; latency = the ticket's sendMessage to the operators' chat at the fake Telegram − the webhook's 200.`,
      offered: fig(rate, 'dialogs/s', 0),
      dialogs: count,
      tickets: r.arrived,
      ...latencySummary(r.fromAck),
      fromRequestSent: latencySummary(r.fromSend),
      userNotice: { notices: notice.filter(Number.isFinite).length, ...latencySummary(notice) },
      cpu: r.cpu,
      serviceGauges: r.gauges,
    };
    this.results.handoff = summary;
    this.log(`handoff: ${r.arrived}/${count} tickets, p50 ${summary.p50.value} ms, p99 ${summary.p99.value} ms`);
    this.row('handoff: ticket p50', summary.p50, '(no target)', null);
    this.row('handoff: ticket p99', summary.p99, '≤ 100 ms', (summary.p99.value ?? Infinity) <= 100);
  }

  // ── 4. memory ──────────────────────────────────────────────────────────────

  private async memoryState(svc: BenchChild) {
    const { memory } = await svc.ask<{ memory: NodeJS.MemoryUsage }>('memory');
    const info = await this.stores.redis.info('memory');
    const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
    const dbsize = await this.stores.redis.dbsize();
    const pg = await this.stores.db.raw(
      `SELECT pg_total_relation_size('messages') AS bytes, (SELECT count(*) FROM messages) AS rows,
              pg_total_relation_size('dialogs') AS dialog_bytes, (SELECT count(*) FROM dialogs) AS dialogs`,
    );
    const row = pg.rows[0] as { bytes: string; rows: string; dialog_bytes: string; dialogs: string };
    return {
      rss: rssOf(svc.pid),
      heapUsedAfterGc: memory.heapUsed,
      redisUsed: used,
      redisKeys: dbsize,
      pgMessageBytes: Number(row.bytes),
      pgMessages: Number(row.rows),
      pgDialogBytes: Number(row.dialog_bytes),
      pgDialogs: Number(row.dialogs),
    };
  }

  async memory(): Promise<void> {
    const n = this.s.memoryDialogs;
    const [svc] = await this.freshServices('memory', 1, {}, 'single'); // per-dialog memory does not depend on the layout
    if (!svc) throw new Error('no service');
    try {
      // Warm-up dialogs (not counted): JIT, pools, and the process's steady heap.
      await this.warmUp(svc, { rate: 100, count: 200, timeoutMs: 15_000 });
      const busyBefore = await this.quiet('memory');
      const before = await this.memoryState(svc);
      const cpuBefore = cpuSnapshot({ service: svc.pid, fakes: this.fakes.pid });

      const base = this.newChats();
      const ids: number[] = [];
      const log = new SentLog(OPS);
      const started = nowMs();
      await paced(this.target(svc), {
        rate: this.s.memoryRate,
        count: n,
        body: (i) => {
          const updateId = this.nextUpdateId++;
          ids.push(updateId);
          return JSON.stringify(textUpdate(updateId, base + i, questionText(updateId, i), 1));
        },
      });
      const complete = await this.waitFor(log, (l) => ids.every((id) => l.answers.has(id)), this.opts.quick ? 20_000 : 150_000);
      const createdSec = (nowMs() - started) / 1000;
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const p = await pendingWork(this.stores.db);
        if (p.inbox === 0 && p.outbox === 0) break;
        await sleep(200);
      }
      await sleep(2000); // settle: idle dialogs, nothing in flight
      const after = await this.memoryState(svc);
      const cpu = cpuBetween(cpuBefore, cpuSnapshot({ service: svc.pid, fakes: this.fakes.pid }));
      this.noteContention('memory', busyBefore, cpu);

      // MEMORY USAGE of a sample of the dialog keys.
      const sample: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await this.stores.redis.scan(cursor, 'MATCH', 'dialog:*', 'COUNT', 500);
        cursor = next;
        sample.push(...keys);
      } while (cursor !== '0' && sample.length < 500);
      const usages: number[] = [];
      const snapshotBytes: number[] = [];
      for (const key of sample.slice(0, 500)) {
        usages.push(Number(await this.stores.redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')));
        snapshotBytes.push(Number(await this.stores.redis.hstrlen(key, 'data')));
      }
      const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

      const dialogs = after.pgDialogs - before.pgDialogs;
      const messages = after.pgMessages - before.pgMessages;
      const redisPerDialog = dialogs > 0 ? (after.redisUsed - before.redisUsed) / dialogs : null;
      const summary = {
        notes:
          `${n} new chats with one message each (issued at ${this.s.memoryRate}/s, answered by the fake LLM; waited for all answers, at most 150 s), then 2 s idle. Per-dialog figures divide by the dialogs actually created. ` +
          'RSS from /proc of the service process; heap after a forced GC; Redis INFO used_memory delta (server-wide: includes anything else using this Redis during the run) and MEMORY USAGE of up to 500 dialog keys; PostgreSQL pg_total_relation_size(\'messages\') delta / new rows.',
        dialogsCreated: dialogs,
        answered: ids.filter((id) => log.answers.has(id)).length,
        complete,
        createdInSec: fig(createdSec, 's', 1),
        rssBefore: fig(before.rss / 2 ** 20, 'MiB', 1),
        rssAfter: fig(after.rss / 2 ** 20, 'MiB', 1),
        rssPer10kDialogs: fig(dialogs > 0 ? ((after.rss - before.rss) / 2 ** 20) * (10_000 / dialogs) : null, 'MiB', 1),
        heapAfterGcPer10kDialogs: fig(dialogs > 0 ? ((after.heapUsedAfterGc - before.heapUsedAfterGc) / 2 ** 20) * (10_000 / dialogs) : null, 'MiB', 1),
        redisKeys: after.redisKeys - before.redisKeys,
        redisPerDialog: fig(redisPerDialog, 'bytes', 0),
        redisPer10kDialogs: fig(redisPerDialog === null ? null : (redisPerDialog * 10_000) / 2 ** 20, 'MiB', 2),
        redisMemoryUsagePerKey: fig(mean(usages), 'bytes', 0),
        redisSnapshotJsonPerKey: fig(mean(snapshotBytes), 'bytes', 0),
        pgMessagesStored: messages,
        pgBytesPerMessage: fig(messages > 0 ? (after.pgMessageBytes - before.pgMessageBytes) / messages : null, 'bytes', 0),
        pgDialogBytesPerDialog: fig(dialogs > 0 ? (after.pgDialogBytes - before.pgDialogBytes) / dialogs : null, 'bytes', 0),
        dialogsPerSecond: fig(dialogs / createdSec, 'dialogs/s', 0),
        cpu,
      };
      this.results.memory = summary;
      this.log(`memory: RSS +${summary.rssPer10kDialogs.value} MiB/10k, Redis ${summary.redisPerDialog.value} B/dialog (MEMORY USAGE ${summary.redisMemoryUsagePerKey.value}), PG ${summary.pgBytesPerMessage.value} B/message`);
      this.row('memory: service RSS per 10k idle dialogs', summary.rssPer10kDialogs, '(no target)', null);
      const redisWorst = Math.max(summary.redisPerDialog.value ?? 0, summary.redisMemoryUsagePerKey.value ?? 0);
      this.row('memory: Redis per idle dialog', fig(redisWorst, 'bytes', 0), '≤ 2048 bytes (larger of INFO delta, MEMORY USAGE)', redisWorst <= 2048 && complete);
      this.row('memory: PostgreSQL per stored message', summary.pgBytesPerMessage, '(no target)', null);
    } finally {
      await svc.stop();
    }
  }

  // ── 5. scale ───────────────────────────────────────────────────────────────

  /**
   * Closed-loop load can deliver two updates of one chat out of order (a later one stored
   * before an earlier one: Telegram never does that, it waits for each answer). Such chats are
   * told apart by the updates' received_at in PostgreSQL and not counted as violations.
   */
  private async explainInversions(order: ReturnType<typeof orderingOf>) {
    let deliveredOutOfOrder = 0;
    const violations: typeof order.examples = [];
    for (const example of order.all) {
      const rows: Array<{ update_id: string; received_at: Date }> = await this.stores.db('inbox_updates')
        .whereIn('update_id', example.updateIds)
        .select('update_id', 'received_at');
      const received = new Map(rows.map((r) => [Number(r.update_id), r.received_at.getTime()]));
      const byId = [...example.updateIds].sort((a, b) => a - b);
      const storedInOrder = byId.every((id, i) => i === 0 || (received.get(id) ?? 0) >= (received.get(byId[i - 1] as number) ?? 0));
      if (storedInOrder) violations.push(example);
      else deliveredOutOfOrder += 1;
    }
    return { ...order, violations: violations.length, examples: violations.slice(0, 5), all: undefined, deliveredOutOfOrder };
  }

  async scale(): Promise<void> {
    const out: Record<string, unknown> = {
      notes:
        'Two service processes on the same PostgreSQL and Redis; the saturation load is split across them (half the connections each). ' +
        'Ordering: answers per chat must arrive at the fake Telegram in update_id order.',
    };
    // A tenth of the chats of the single-process run, so that the updates answered within the
    // drain window (the oldest first) include several per chat.
    const chats = Math.round(this.s.ingestChats / 10);
    const sat = await this.ingestRun('scale', this.satLoad(this.s.saturationSec), { processes: 2, chats });
    const { from, to } = sat.summary.updateIds;
    // Ordering among whatever the workers answer within the drain window: the oldest updates
    // first, which are the warm-up's (same chats, sent just before), so those count too.
    const log = new SentLog(OPS);
    const drainStart = nowMs();
    await this.waitFor(log, (l) => l.answers.size >= to - from + 1, this.s.drainMs);
    const drainRate = (log.answers.size / (nowMs() - drainStart)) * 1000;
    await Promise.all(sat.children.map((c) => c.stop()));
    const satOrder = await this.explainInversions(orderingOf(log, (id) => id <= to));
    out.saturation = { connections: this.opts.connections, chats, ...sat.summary, orderingAfterDrain: { drainWindow: fig(this.s.drainMs / 1000, 's', 0), answeredInWindow: fig(drainRate, 'answers/s', 0), ...satOrder } };
    const single = (this.results.ingest as { saturation?: { rps: Figure } } | undefined)?.saturation?.rps.value ?? null;
    out.twoProcessesToOne = fig(single ? ((sat.summary.rps.value ?? 0) / single) * 100 : null, '%', 1);
    this.log(`scale: ordering after drain: ${satOrder.chatsChecked} chats with ≥2 answers, ${satOrder.violations} violations`);

    // Dedicated ordering check: each chat sends its messages one after another (as Telegram
    // does: the next after the previous was acknowledged), alternating between the processes.
    const children = await this.freshServices('ordering', 2);
    try {
      await this.quiet('ordering');
      const targets = this.webOf(children).map((c) => this.target(c));
      const base = this.newChats();
      const expected = new Map<number, number[]>();
      const oneChat = async (chat: number) => {
        for (let m = 0; m < this.s.orderingMessages; m += 1) {
          const updateId = this.nextUpdateId++;
          expected.set(chat, [...(expected.get(chat) ?? []), updateId]);
          const t = targets[m % targets.length] as Target;
          await paced(t, { rate: 1000, count: 1, maxSockets: 1, body: () => JSON.stringify(textUpdate(updateId, chat, questionText(updateId, m + 1), m + 1)) });
        }
      };
      await Promise.all(Array.from({ length: this.s.orderingChats }, (_, i) => oneChat(base + i)));
      const all = [...expected.values()].flat();
      const olog = new SentLog(OPS);
      const complete = await this.waitFor(olog, (l) => all.every((id) => l.answers.has(id)), this.opts.quick ? 15_000 : 60_000);
      const { all: _all, ...order } = orderingOf(olog, (id) => all.includes(id));
      const missing = all.filter((id) => !olog.answers.has(id)).length;
      out.ordering = {
        chats: this.s.orderingChats,
        messagesPerChat: this.s.orderingMessages,
        updates: all.length,
        answered: all.length - missing,
        complete,
        ...order,
      };
      this.log(`scale: ordering check: ${order.chatsChecked} chats, ${order.violations} violations, ${missing} unanswered`);
      this.row('scale: two processes, saturation throughput', sat.summary.rps, '(no target)', null);
      this.row('scale: two processes / one', out.twoProcessesToOne as Figure, '(no target)', null);
      this.row('scale: per-chat order violations', fig(order.violations + satOrder.violations, 'chats', 0), '0, all answered', order.violations === 0 && satOrder.violations === 0 && missing === 0);
    } finally {
      await Promise.all(children.map((c) => c.stop()));
    }
    this.results.scale = out;
  }

  // ── 6. costs ───────────────────────────────────────────────────────────────

  async costs(): Promise<void> {
    const costs = await clientCosts({
      db: this.stores.db,
      redisUrl: BENCH_REDIS_URL,
      token: BOT_TOKEN,
      apiRoot: String(this.fakes.ready.apiRoot),
      llmBaseURL: String(this.fakes.ready.baseURL),
      calls: this.opts.quick ? 300 : 2_000,
    });
    // A question costs the service `statements` round trips to PostgreSQL, 3 Redis commands
    // (load, save, save), one LLM call and one sendMessage. The pipeline at 200 dialogs/s keeps
    // the service busy, so its CPU per dialog is the cost of a dialog and not of idle polling.
    const pipeline = this.results.pipeline as { rate200?: { sqlStatementsPerDialog: Figure; cpuPerDialog: { service: Figure } } } | undefined;
    const statements = pipeline?.rate200?.sqlStatementsPerDialog.value ?? null;
    const floor =
      statements === null
        ? null
        : statements * (costs.postgresRoundTripKnexRaw.value ?? 0) +
          3 * (costs.redisCommand.value ?? 0) +
          (costs.telegramSendMessage.value ?? 0) +
          (costs.llmCompletion.value ?? 0);
    const measured = pipeline?.rate200?.cpuPerDialog.service.value ?? null;
    this.results.costs = {
      notes:
        'CPU of the calling process per call, calls one after another after a warm-up, against the fakes and the benchmark\'s PostgreSQL and Redis. ' +
        'clientFloorPerDialog = SQL statements per dialog (pipeline at 200/s) × a Knex round trip + 3 Redis commands + one sendMessage + one LLM completion; ' +
        'serviceMeasuredPerDialog = the service processes\' CPU per dialog in the pipeline at 200/s (busy throughout).',
      ...costs,
      clientFloorPerDialog: fig(floor, 'ms CPU/dialog'),
      serviceMeasuredPerDialog: fig(measured, 'ms CPU/dialog'),
    };
    this.log(`costs: Knex round trip ${costs.postgresRoundTripKnexRaw.value} ms, Redis ${costs.redisCommand.value} ms, sendMessage ${costs.telegramSendMessage.value} ms, LLM call ${costs.llmCompletion.value} ms (CPU per call)`);
    this.row('costs: client libraries per dialog (floor)', fig(floor, 'ms CPU/dialog'), '(no target)', null);
    this.row('costs: service CPU per dialog at 200/s', fig(measured, 'ms CPU/dialog'), '(no target)', null);
  }
}

/**
 * Per dialog: the end of the LLM's answer to it (as the fake OpenAI wrote it) → its sendMessage
 * at the fake Telegram; Infinity when either is missing.
 */
function llmEndToAnswer(log: SentLog, sent: ReadonlyArray<{ updateId: number }>) {
  return latencySummary(
    sent.map((d) => {
      const llm = log.llm.get(d.updateId);
      const at = log.answers.get(d.updateId);
      return llm === undefined || at === undefined ? Infinity : at - llm.e;
    }),
  );
}

/** A service process's name in a run's CPU breakdown: `service`, `service-worker`, `service-2`… */
function serviceName(child: BenchChild, run: string): string {
  return `service${child.name.slice(run.length)}`;
}

/** The service processes' cores in a CPU breakdown (`service`, `service-worker`, `service-2`…). */
function sumServices(cpu: Record<string, { value: number | null }>): number | undefined {
  const parts = Object.entries(cpu).filter(([name]) => name === 'service' || name.startsWith('service-'));
  return parts.length ? parts.reduce((sum, [, c]) => sum + (c.value ?? 0), 0) : undefined;
}

/** Per chat, whether the answers (of updates `mine`) arrived in update_id order. */
function orderingOf(log: SentLog, mine: (updateId: number) => boolean) {
  let chatsChecked = 0;
  let answersChecked = 0;
  let violations = 0;
  const all: Array<{ chat: number; updateIds: number[] }> = [];
  for (const [chat, messages] of log.byChat) {
    const ids = messages.map((m) => m.updateId).filter((id): id is number => id !== null && mine(id));
    if (ids.length < 2) continue;
    chatsChecked += 1;
    answersChecked += ids.length;
    if (ids.some((id, i) => i > 0 && id < (ids[i - 1] as number))) {
      violations += 1;
      all.push({ chat, updateIds: ids });
    }
  }
  return { chatsChecked, answersChecked, violations, examples: all.slice(0, 5), all };
}

function printTable(rows: TargetRow[]): void {
  const cells = rows.map((r) => [
    r.figure,
    r.value === null ? 'n/a' : `${r.value} ${r.unit}`,
    r.target,
    r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const head = ['figure', 'value', 'target', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ');
  process.stdout.write(`${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${cells.map(line).join('\n')}\n`);
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const startedAt = new Date();
  const hardLimitMs = opts.quick ? 3 * 60_000 : 9 * 60_000;
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: still running after ${hardLimitMs / 60_000} min; stopping everything\n`);
    killAllChildrenNow();
    process.exit(3);
  }, hardLimitMs);
  watchdog.unref();
  process.on('exit', killAllChildrenNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllChildrenNow();
      process.exit(130);
    });
  }

  const bench = await Bench.create(opts);
  const errors: Record<string, string> = {};
  try {
    for (const part of PARTS) {
      if (!opts.only.has(part)) continue;
      try {
        await bench[part]();
      } catch (error) {
        errors[part] = error instanceof Error ? (error.stack ?? error.message) : String(error);
        process.stderr.write(`bench: part ${part} failed: ${errors[part]}\n`);
        await bench.stopServices();
      }
    }
  } finally {
    await bench.close();
  }

  const results = {
    meta: {
      date: startedAt.toISOString(),
      durationSec: fig((Date.now() - startedAt.getTime()) / 1000, 's', 0),
      node: process.version,
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: fig(os.totalmem() / 2 ** 30, 'GiB', 1),
      quick: opts.quick,
      parts: [...opts.only],
      service: 'bench/serve.ts: startService(loadConfig(env)), NODE_ENV=production, LOG_LEVEL=info (to bench/.tmp/*.log), WORKER_CONCURRENCY default (16)',
      layout: opts.layout === 'split' ? 'split: a web process (SERVICE_ROLE=web) and a worker process (SERVICE_ROLE=worker) per service, as docker-compose.yml deploys' : 'single: one process per service (SERVICE_ROLE=all)',
      fakes: `test/fakes FakeTelegram + FakeOpenAI in their own process; LLM latency ${opts.llmLatencyMs} ms (--llm-latency-ms) except in slowllm and streaming, which set their own`,
      llmLatencyMs: opts.llmLatencyMs,
      streaming: opts.streaming === 'off' ? 'STREAMING=false (--streaming off)' : 'the service default (STREAMING=true)',
    },
    ...bench.results,
    targets: bench.targets,
    contention: {
      note: 'Per measured run: machine busy (cores) just before it, and CPU used by processes other than the benchmark\'s during it (the machine is shared with other work). Runs with others > 0.25 cores are less reliable.',
      runs: bench.contention,
    },
    ...(Object.keys(errors).length ? { errors } : {}),
  };
  // Only a full run of every part at the default LLM latency replaces bench/results.json; smoke
  // and partial runs, and runs with another --llm-latency-ms, go to bench/.tmp/.
  const full = !opts.quick && opts.only.size === PARTS.length;
  const file =
    full && opts.llmLatencyMs === 0 && opts.streaming === 'default'
      ? path.join(__dirname, 'results.json')
      : path.join(TMP_DIR, opts.quick ? 'results.quick.json' : full ? `results.llm${opts.llmLatencyMs}.json` : 'results.partial.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  printTable(bench.targets);
  const contended = bench.contention.filter((c) => c.othersDuring > 0.25);
  if (contended.length) {
    process.stdout.write(`\nwarning: other processes used CPU during ${contended.map((c) => `${c.run} (${c.othersDuring} cores)`).join(', ')}: those figures are pessimistic\n`);
  }
  process.stdout.write(`\nwrote ${path.relative(path.join(__dirname, '..'), file)}${Object.keys(errors).length ? ` (parts failed: ${Object.keys(errors).join(', ')})` : ''}\n`);
  clearTimeout(watchdog);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  killAllChildrenNow();
  process.exit(1);
});
