import http from 'node:http';
import autocannon from 'autocannon';
import { nowMs } from './stats';

/** Where and how to post updates: the webhook URL and the headers Telegram sends. */
export interface Target {
  url: string;
  path: string;
  headers: Record<string, string>;
}

/** One acknowledged (or failed) request of a {@link paced} run. */
export interface Ack {
  index: number;
  status: number;
  /** When the request was handed to the HTTP client (ms since epoch, fractional). */
  sentAt: number;
  /** When the whole answer had arrived; NaN when it failed. */
  ackAt: number;
}

/** What a load run measured. */
export interface LoadResult {
  /** Requests answered with a 2xx. */
  ok: number;
  /** Requests answered with another status. */
  non2xx: number;
  /** Connection errors and time-outs. */
  errors: number;
  /** From the first request to the last answer, ms. */
  elapsedMs: number;
  /** Latency of every 2xx answer, ms. */
  latencies: number[];
}

/**
 * An open-loop load at a fixed rate: request i is issued at start + i/rate, whether or not
 * earlier ones were answered (a late server does not slow the offered load down, as Telegram
 * would not). Requests go over keep-alive sockets, at most `maxSockets` at once (Telegram's
 * default `max_connections` is 40); a request waiting for a free socket counts that wait in its
 * latency. Bounded: `count` requests, and whatever is unanswered `graceMs` after the last one
 * was issued is aborted and counted as an error.
 *
 * Why not autocannon's `overallRate`: autocannon gives each connection a budget per second and
 * spends it at once when the second starts (a burst each second, not a steady rate), and with
 * a rate it "corrects" latencies with an expected interval of `Math.ceil(1 / rate)` = 1 ms,
 * which adds hundreds of synthetic samples per slow answer. A steady schedule is both closer to
 * Telegram and measurable without correction.
 */
export async function paced(
  targetOrTargets: Target | Target[],
  opts: {
    rate: number;
    count: number;
    body: (index: number) => string;
    maxSockets?: number;
    graceMs?: number;
    onAck?: (ack: Ack) => void;
  },
): Promise<LoadResult> {
  // Several targets (service processes) take the requests in turn.
  const targets = (Array.isArray(targetOrTargets) ? targetOrTargets : [targetOrTargets]).map((t) => ({ ...t, parsed: new URL(t.path, t.url) }));
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 40 });
  const result: LoadResult = { ok: 0, non2xx: 0, errors: 0, elapsedMs: 0, latencies: [] };
  const inFlight = new Set<http.ClientRequest>();
  const start = nowMs();
  let lastAnswer = start;
  let issued = 0;
  let settled = 0;

  await new Promise<void>((resolveAll) => {
    const finishOne = () => {
      settled += 1;
      if (settled === opts.count) resolveAll();
    };
    const fire = (index: number) => {
      const body = opts.body(index);
      const sentAt = nowMs();
      const target = targets[index % targets.length]!;
      const req = http.request(
        {
          agent,
          host: target.parsed.hostname,
          port: target.parsed.port,
          path: target.parsed.pathname,
          method: 'POST',
          headers: { ...target.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            inFlight.delete(req);
            const ackAt = nowMs();
            lastAnswer = ackAt;
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              result.ok += 1;
              result.latencies.push(ackAt - sentAt);
            } else {
              result.non2xx += 1;
            }
            opts.onAck?.({ index, status, sentAt, ackAt });
            finishOne();
          });
        },
      );
      inFlight.add(req);
      req.on('error', () => {
        if (!inFlight.delete(req)) return;
        result.errors += 1;
        opts.onAck?.({ index, status: 0, sentAt, ackAt: Number.NaN });
        finishOne();
      });
      req.end(body);
    };
    const tick = () => {
      const due = Math.min(opts.count, Math.floor(((nowMs() - start) * opts.rate) / 1000) + 1);
      while (issued < due) fire(issued++);
      if (issued < opts.count) {
        setTimeout(tick, 1);
        return;
      }
      // All issued: abort what is still unanswered after the grace period.
      const abort = setTimeout(() => {
        for (const req of [...inFlight]) req.destroy(new Error('bench: no answer within the grace period'));
      }, opts.graceMs ?? 10_000);
      abort.unref();
    };
    if (opts.count === 0) resolveAll();
    else tick();
  });
  agent.destroy();
  result.elapsedMs = lastAnswer - start;
  return result;
}

/**
 * A closed-loop saturation run with autocannon: `connections` keep-alive connections each send
 * the next request as soon as the previous is answered, for `durationSec`. Every request gets a
 * fresh body from `body()` (a new update_id and chat). Latencies are recorded per answer from
 * autocannon's `response` events (so runs against several servers can be merged exactly).
 */
export async function saturate(
  target: Target,
  opts: { connections: number; durationSec: number; body: () => string },
): Promise<LoadResult & { autocannon: { p50: number; p99: number; rps: number } }> {
  const latencies: number[] = [];
  const started = nowMs();
  let finish: (error: unknown, result?: autocannon.Result) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) => (error || !result ? reject(error ?? new Error('autocannon gave no result')) : resolve(result));
  });
  const instance = autocannon({
    url: new URL(target.path, target.url).toString(),
    connections: opts.connections,
    pipelining: 1,
    duration: opts.durationSec,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: target.path,
        headers: { ...target.headers, 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: opts.body() }),
      },
    ],
  }, (error, result) => finish(error, result));
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const r = await done;
  return {
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    elapsedMs: nowMs() - started,
    latencies,
    autocannon: { p50: r.latency.p50, p99: r.latency.p99, rps: r.requests.average },
  };
}
