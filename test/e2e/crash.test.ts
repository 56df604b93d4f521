import type { ChildProcess } from 'node:child_process';
import { FakeOpenAI } from '../fakes/fake-openai';
import { FakeTelegram } from '../fakes/fake-telegram';
import { UpdateFactory } from '../fakes/updates';
import { freePort, startServiceProcess, stopProcess } from '../support/process';
import { openTestServices } from '../support/services';
import { alice, BOT_TOKEN, SECRET, testEnv, WEBHOOK_PATH } from './harness';

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
