import { TcpProxy } from '../support/tcp-proxy';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env';
import { SECRET, startHarness, WEBHOOK_PATH, type Harness } from '../e2e/harness';
import { answerWhatIsUnanswered, coveredOnce, deliver, refused, users } from './load';

/**
 * Outages of PostgreSQL and Redis under load, as a deployment meets them: the service reaches
 * each through a TCP proxy that the test cuts for ten seconds (the real servers, shared with the
 * rest of the suite, stay up). Updates are delivered as Telegram delivers them: again after any
 * non-2xx answer.
 */
let h: Harness | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  await h?.close();
  await proxy?.close();
  h = undefined;
  proxy = undefined;
});

function through(url: string, p: TcpProxy): string {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(p.port);
  return u.toString();
}

/**
 * The service reaches `variable`'s server through a proxy; 16 s of load, the server cut from the
 * 3rd second to the 13th. Resolves when every update is acknowledged, with the time it came back.
 */
async function outage(variable: 'DATABASE_URL' | 'REDIS_URL', url: string, o: { llmMs: number; chats: number; perSecond: number }) {
  proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(url).port || (variable === 'DATABASE_URL' ? 5432 : 6379)) });
  h = await startHarness({ [variable]: through(url, proxy), WORKER_CONCURRENCY: '8' });
  answerWhatIsUnanswered(h.ai);
  h.ai.setLatency(o.llmMs);
  const run = load(h, o.chats, o.perSecond, 16);
  await new Promise((r) => setTimeout(r, 3000));
  await proxy.cut();
  await new Promise((r) => setTimeout(r, 10_000));
  await proxy.resume();
  const back = Date.now();
  await run.done;
  return { run, back, harness: h };
}

/** Starts sending `perSecond` questions a second for `seconds`, spread over `chats` chats; `done` settles when every one is acknowledged. */
function load(harness: Harness, chats: number, perSecond: number, seconds: number) {
  const people = users(chats);
  const acked = new Map<string, { chatId: number; at: number }>();
  // Telegram delivers one chat's updates one at a time, the next after the last was acknowledged.
  const chains = new Map<number, Promise<void>>();
  const started = Date.now();
  const pacing = (async () => {
    for (let i = 0; i < perSecond * seconds; i += 1) {
      const due = started + (i * 1000) / perSecond;
      await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      const user = people[i % chats]!;
      const text = `q${Math.floor(i / chats)}-${user.id}`;
      const update = harness.updates.text(user, text);
      const previous = chains.get(user.id) ?? Promise.resolve();
      chains.set(user.id, previous.then(() => deliver(() => [harness.svc.url], update, SECRET, WEBHOOK_PATH).then((at) => void acked.set(text, { chatId: user.id, at }))));
    }
  })();
  return { people, acked, done: pacing.then(() => Promise.all(chains.values())) };
}

describe('PostgreSQL stopped for 10 s under 20 updates/s with a 500 ms LLM', () => {
  it('loses no acknowledged update, and answers everything within 5 s of its return', async () => {
    const { run, back, harness: h } = await outage('DATABASE_URL', TEST_DATABASE_URL, { llmMs: 500, chats: 20, perSecond: 20 });

    expect(await unansweredAfter(h, run, 30_000)).toEqual([]);
    for (const p of run.people) {
      const asked = [...run.acked].filter(([, a]) => a.chatId === p.id).map(([t]) => t);
      // Every chat's questions were covered in the order they were asked.
      expect(coveredOnce(h.tg, p.id)).toEqual([...asked].sort((a, b) => Number(a.slice(1).split('-')[0]) - Number(b.slice(1).split('-')[0])));
    }
    // Everything acknowledged before the return was answered within 5 s of it.
    const backlogAnswered = await answeredWithin(h, run, back);
    // The outage was real: Telegram's deliveries were turned away while it lasted.
    expect(refused.count).toBeGreaterThan(20);
    if (process.env.FAULT_FIGURES) process.stdout.write(`PostgreSQL outage: backlog answered ${backlogAnswered} ms after the return, ${run.acked.size} updates, ${refused.count} deliveries refused\n`);
    expect(backlogAnswered).toBeLessThanOrEqual(5000);
  }, 90_000);
});

describe('Redis stopped for 10 s', () => {
  it('loses nothing, and answers go on from PostgreSQL and resume within 2 s of its return', async () => {
    const { run, back, harness: h } = await outage('REDIS_URL', TEST_REDIS_URL, { llmMs: 100, chats: 10, perSecond: 10 });
    expect(await unansweredAfter(h, run, 20_000)).toEqual([]);
    const resumed = await answeredWithin(h, run, back);
    if (process.env.FAULT_FIGURES) process.stdout.write(`Redis outage: backlog answered ${resumed} ms after the return, ${run.acked.size} updates\n`);
    expect(resumed).toBeLessThanOrEqual(2000);
    // The service is connected to Redis again within a second or two, and uses it: new snapshots are written.
    for (let i = 0; i < 30 && h.svc.redis.status !== 'ready'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(h.svc.redis.status).toBe('ready');
    await h.services.redis.flushdb();
    await deliver(() => [h.svc.url], h.updates.text(users(1, 30_000)[0]!, 'after'), SECRET, WEBHOOK_PATH);
    await h.settled();
    expect((await h.services.redis.keys('dialog:*')).length).toBeGreaterThan(0);
  }, 90_000);
});

/** The acknowledged questions no answer covered, once every one is or `ms` have passed. */
async function unansweredAfter(harness: Harness, run: { acked: Map<string, { chatId: number }> }, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  const missing = () => [...run.acked].filter(([text, { chatId }]) => !coveredOnce(harness.tg, chatId).includes(text)).map(([t]) => t);
  while (missing().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return missing();
}

/**
 * How long after `back` the last question acknowledged before `back` was answered (0 when all
 * were answered before it).
 */
async function answeredWithin(harness: Harness, run: { acked: Map<string, { chatId: number; at: number }> }, back: number): Promise<number> {
  let latest = 0;
  for (const [text, { chatId, at }] of run.acked) {
    if (at >= back) continue;
    const answer = harness.tg.callsTo('sendMessage').find((c) => c.params.chat_id === chatId && String(c.params.text).includes(text));
    if (!answer) return Infinity;
    latest = Math.max(latest, answer.at - back);
  }
  return latest;
}
