import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { FakeOpenAI } from '../fakes/fake-openai';
import { FakeTelegram } from '../fakes/fake-telegram';
import { UpdateFactory } from '../fakes/updates';
import { openTestServices } from '../support/services';
import { alice, BOT_TOKEN, SECRET, testEnv, WEBHOOK_PATH } from './harness';

const ROOT = path.join(__dirname, '..', '..');
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

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the service as its own process, the way `npm run dev` does, and waits for /healthz. */
async function startProcess(port: number): Promise<ChildProcess> {
  const env = { ...process.env, ...testEnv(tg, ai, { WEB_SERVER_PORT: String(port), LOG_LEVEL: 'warn' }) };
  // node itself with the tsx loader (not the tsx CLI, whose wrapper would survive a SIGKILL's target)
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  for (let i = 0; i < 150; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the service process did not start');
}

it('the process killed after acknowledging an update: after a restart the user gets exactly one answer', async () => {
  const port = await freePort();
  const updates = new UpdateFactory(1, tg);
  const first = await startProcess(port);

  ai.setLatency(5000); // the answer is still being written when the process dies
  const res = await fetch(`http://127.0.0.1:${port}${WEBHOOK_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body: JSON.stringify(updates.text(alice, 'Where is my order?')),
  });
  expect(res.status).toBe(200);
  await ai.waitForRequests(1, 10_000);
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  expect(tg.textsTo(alice.id)).toEqual([]);

  ai.setLatency(0);
  const second = await startProcess(port);
  await tg.waitFor(() => tg.textsTo(alice.id).length >= 1, 15_000);
  // Let the restarted process finish whatever else it would do, then count.
  await new Promise((r) => setTimeout(r, 1000));
  expect(tg.textsTo(alice.id)).toEqual(['Ответ: Where is my order?']);
  const pending = await services.db('inbox_updates').whereNull('processed_at').count<{ n: string }[]>('* as n');
  expect(pending[0]!.n).toBe('0');
  second.kill('SIGTERM');
  await new Promise((r) => second.once('exit', r));
}, 60_000);
