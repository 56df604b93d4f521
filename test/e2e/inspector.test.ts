import type { ChildProcess } from 'node:child_process';
import WebSocket from 'ws';
import { FakeOpenAI } from '../fakes/fake-openai';
import { FakeTelegram } from '../fakes/fake-telegram';
import { UpdateFactory } from '../fakes/updates';
import { freePort, startServiceProcess, stopProcess } from '../support/process';
import { openTestServices } from '../support/services';
import { alice, BOT_TOKEN, SECRET, testEnv, WEBHOOK_PATH } from './harness';

const services = openTestServices();
let child: ChildProcess | null = null;
afterAll(async () => {
  child?.kill('SIGKILL');
  await services.close();
});

// The inspector package is ESM-only and loads with import(), which jest's CommonJS runtime does
// not run, so this story runs the service as its own process, as a developer would.
it('with INSPECT=1 a developer watching the inspector sees each dialog step, without message texts', async () => {
  await services.reset();
  const tg = await FakeTelegram.start({ token: BOT_TOKEN });
  const ai = await FakeOpenAI.start();
  try {
    const [port, inspectPort] = [await freePort(), await freePort()];
    child = await startServiceProcess(testEnv(tg, ai, { INSPECT: '1', INSPECT_PORT: String(inspectPort), LOG_LEVEL: 'warn' }), port);
    const ws = new WebSocket(`ws://localhost:${inspectPort}`);
    const seen: Array<{ type: string; name?: string; sessionId?: string; event?: { type: string; text?: string }; snapshot?: { value: unknown } }> = [];
    ws.on('message', (data) => seen.push(JSON.parse(String(data))));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));

    const update = new UpdateFactory(1, tg).text(alice, 'my card number is 4111 1111');
    await fetch(`http://127.0.0.1:${port}${WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    await tg.waitFor(() => tg.textsTo(alice.id).length === 1);
    for (let i = 0; i < 50 && !seen.some((e) => e.event?.type === 'llm.reply'); i++) await new Promise((r) => setTimeout(r, 50));
    ws.close();

    expect(seen.find((e) => e.type === '@xstate.actor')?.name).toBe('dialog-1');
    const events = seen.filter((e) => e.type === '@xstate.event').map((e) => e.event!.type);
    expect(events).toEqual(['user.message', 'llm.reply']);
    expect(JSON.stringify(seen)).not.toContain('4111');
    expect(await stopProcess(child)).toBe(0);
    child = null;
  } finally {
    await Promise.all([tg.close(), ai.close()]);
  }
}, 60_000);
