import type { ChildProcess } from 'node:child_process';
import { FakeOpenAI } from '../fakes/fake-openai';
import { FakeTelegram } from '../fakes/fake-telegram';
import { UpdateFactory } from '../fakes/updates';
import { freePort, startServiceProcess, stopProcess } from '../support/process';
import { openTestServices } from '../support/services';
import { alice, BOT_TOKEN, SECRET, testEnv, WEBHOOK_PATH } from './harness';

const bob = { id: 1003, first_name: 'Bob', language_code: 'en' };

const services = openTestServices();
let tg: FakeTelegram;
let ai: FakeOpenAI;
const children: ChildProcess[] = [];

beforeAll(async () => {
  tg = await FakeTelegram.start({ token: BOT_TOKEN });
  ai = await FakeOpenAI.start();
  await services.reset();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all([tg.close(), ai.close(), services.close()]);
});

it('the process killed after acknowledging an update: after a restart the user gets exactly one answer', async () => {
  const port = await freePort();
  const env = testEnv(tg, ai, { LOG_LEVEL: 'warn' });
  const updates = new UpdateFactory(1, tg);
  const first = await startServiceProcess(env, port);
  children.push(first);

  ai.setLatency(5000); // the answer is still being written when the process dies
  const res = await fetch(`http://127.0.0.1:${port}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(updates.text(alice, 'Where is my order?')),
  });
  expect(res.status).toBe(200);
  await ai.waitForRequests(1, 10_000);
  await stopProcess(first, 'SIGKILL');
  expect(tg.textsTo(alice.id)).toEqual([]);

  ai.setLatency(0);
  const second = await startServiceProcess(env, port);
  children.push(second);
  await tg.waitFor(() => tg.textsTo(alice.id).length >= 1, 15_000);
  // Let the restarted process finish whatever else it would do, then count.
  await new Promise((r) => setTimeout(r, 1000));
  expect(tg.textsTo(alice.id)).toEqual(['Ответ: Where is my order?']);
  const pending = await services.db('inbox_updates').whereNull('processed_at').count<{ n: string }[]>('* as n');
  expect(pending[0]!.n).toBe('0');
  expect(await stopProcess(second)).toBe(0); // SIGTERM: a graceful stop
}, 60_000);

it('a process killed while an answer streams: after a restart the request is redone and the user gets one answer', async () => {
  await services.reset();
  tg.reset();
  const port = await freePort();
  const env = testEnv(tg, ai, { LOG_LEVEL: 'warn' });
  const updates = new UpdateFactory(500, tg);
  const first = await startServiceProcess(env, port);
  children.push(first);

  const answer = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
  ai.setResponder(() => ({ text: answer }));
  ai.setStreamPace({ firstTokenMs: 50, tokensPerSecond: 40 }); // five seconds of writing
  const res = await fetch(`http://127.0.0.1:${port}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(updates.text(bob, 'Tell me everything about returns')),
  });
  expect(res.status).toBe(200);
  await tg.waitFor(() => tg.draftsTo(bob.id).some((d) => d.text.length > 0), 10_000);
  await stopProcess(first, 'SIGKILL');
  expect(tg.textsTo(bob.id)).toEqual([]);

  ai.setStreamPace({ tokensPerSecond: 2000 });
  const second = await startServiceProcess(env, port);
  children.push(second);
  await tg.waitFor(() => tg.textsTo(bob.id).length >= 1, 15_000);
  await new Promise((r) => setTimeout(r, 1000));
  expect(tg.textsTo(bob.id)).toEqual([answer]);
  // The redone answer's drafts replaced the half-written one: one draft id throughout.
  expect(new Set(tg.draftsTo(bob.id).map((d) => d.draftId)).size).toBe(1);
  expect(await stopProcess(second)).toBe(0);
}, 60_000);
