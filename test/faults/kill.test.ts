import type { ChildProcess } from 'node:child_process';
import { FakeOpenAI } from '../fakes/fake-openai';
import { FakeTelegram } from '../fakes/fake-telegram';
import { UpdateFactory } from '../fakes/updates';
import { freePort, startServiceProcess, stopProcess } from '../support/process';
import { openTestServices } from '../support/services';
import { BOT_TOKEN, SECRET, testEnv, WEBHOOK_PATH } from '../e2e/harness';
import { answerWhatIsUnanswered, covered, coveredOnce, deliver, users } from './load';

/**
 * Two service processes, each killed with SIGKILL at random every 1–2 s and started again,
 * while 40 chats each send 15 messages in sequence, delivered as Telegram delivers them (a chat's
 * next update after its last was acknowledged, again after any failure, to whichever process
 * answers). Every message must be answered (alone or in one answer with the ones around it), in
 * order; an answer may come twice only when a kill fell between Telegram accepting it and the
 * commit that records it.
 */
const services = openTestServices();
let tg: FakeTelegram;
let ai: FakeOpenAI;
const live = new Map<number, ChildProcess>();

beforeAll(async () => {
  tg = await FakeTelegram.start({ token: BOT_TOKEN });
  ai = await FakeOpenAI.start();
  await services.reset();
});
afterAll(async () => {
  for (const child of live.values()) child.kill('SIGKILL');
  await Promise.all([tg.close(), ai.close(), services.close()]);
});

it('processes killed at random every 1–2 s: every message answered, in order, none lost', async () => {
  answerWhatIsUnanswered(ai);
  ai.setLatency(40);
  const ports = [await freePort(), await freePort()];
  const env = (i: number) => testEnv(tg, ai, { LOG_LEVEL: 'fatal', INSTANCE_ID: `kill-${i}`, WORKER_CONCURRENCY: '8' });
  await Promise.all(ports.map(async (port, i) => live.set(port, await startServiceProcess(env(i), port))));
  const urls = () => [...live.keys()].map((port) => `http://127.0.0.1:${port}`);

  let kills = 0;
  let sending = true;
  const killer = (async () => {
    while (sending) {
      await new Promise((r) => setTimeout(r, 1000 + Math.random() * 1000));
      if (!sending) break;
      const i = Math.floor(Math.random() * ports.length);
      const port = ports[i]!;
      const child = live.get(port);
      if (!child) continue;
      live.delete(port);
      await stopProcess(child, 'SIGKILL');
      kills += 1;
      live.set(port, await startServiceProcess(env(i), port)); // the same instance: its claims are void at start
    }
  })();

  const people = users(40, 40_000);
  const updates = new UpdateFactory(10_000, tg);
  const asked = new Map<number, string[]>();
  await Promise.all(
    people.map(async (user) => {
      for (let n = 0; n < 15; n += 1) {
        const text = `m${n}-${user.id}`;
        await deliver(urls, updates.text(user, text), SECRET, WEBHOOK_PATH, 200);
        asked.set(user.id, [...(asked.get(user.id) ?? []), text]);
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 600));
      }
    }),
  );
  sending = false;
  await killer;

  const complete = () => people.every((u) => coveredOnce(tg, u.id).length === 15);
  const deadline = Date.now() + 60_000;
  while (!complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 1000)); // whatever else would still be sent

  for (const user of people) expect(coveredOnce(tg, user.id)).toEqual(asked.get(user.id));
  // An answer sent twice: the same text again in the chat (a kill between Telegram's answer and the commit that records it).
  const resent = people.reduce((sum, u) => sum + tg.textsTo(u.id).length - new Set(tg.textsTo(u.id)).size, 0);
  const repeatedQuestions = people.reduce((sum, u) => sum + covered(tg, u.id).length - coveredOnce(tg, u.id).length, 0);
  if (process.env.FAULT_FIGURES) {
    process.stdout.write(`kills: ${kills}, messages: 600, answers: ${people.reduce((s, u) => s + tg.textsTo(u.id).length, 0)}, answers sent twice: ${resent}, questions in them: ${repeatedQuestions}\n`);
  }
  expect(kills).toBeGreaterThanOrEqual(3);
  // Only a repeat can cover a question twice, and a kill repeats at most the sends it caught in flight (SEND_CONCURRENCY, 32).
  expect(repeatedQuestions === 0 || resent > 0).toBe(true);
  expect(resent).toBeLessThanOrEqual(kills * 32);
  const pending = await services.db('inbox_updates').whereNull('processed_at').count<Array<{ n: string }>>('* as n');
  expect(pending[0]!.n).toBe('0');
}, 180_000);
