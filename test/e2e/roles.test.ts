import os from 'node:os';
import { loadConfig } from '../../src/config';
import { startService, type RunningService } from '../../src/service';
import { freePort, startServiceProcess, stopProcess } from '../support/process';
import { anna, ivan, OPS, SECRET, startHarness, testEnv, WEBHOOK_PATH, type Harness } from './harness';

/**
 * SERVICE_ROLE=web and SERVICE_ROLE=worker: the web process stores updates and wakes the worker
 * process over Redis; the worker answers. The worker's own poll is set to a minute here, so only
 * the web process's signal can wake it in time.
 */
let h: Harness;
let worker: RunningService | null = null;
beforeEach(async () => {
  h = await startHarness({ SERVICE_ROLE: 'web', INSTANCE_ID: 'web-1' });
});
afterEach(async () => {
  await worker?.stop();
  worker = null;
  await h.close();
});

async function startWorker(): Promise<RunningService> {
  // WORKER_NICE=0: this worker runs inside the test process, whose priority must stay as it is.
  const config = loadConfig(testEnv(h.tg, h.ai, { SERVICE_ROLE: 'worker', INSTANCE_ID: 'worker-1', WORKER_NICE: '0' }));
  return startService(config, { timerPollMs: 100, outboxPollMs: 100, inboxPollMs: 60_000 });
}

const pendingUpdates = async () =>
  Number((await h.services.db('inbox_updates').whereNull('processed_at').count<{ n: string }[]>('* as n'))[0]!.n);

describe('a web process and a worker process', () => {
  it('the web process stores, the worker answers: a question, a handoff, and an operator conversation', async () => {
    worker = await startWorker();
    await h.post(h.updates.text(ivan, 'Как сменить пароль?'));
    await h.tg.waitFor(() => h.tg.textsTo(ivan.id).length === 1);
    expect(h.ai.requests).toHaveLength(1);

    await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
    await h.tg.waitFor(() => h.tg.textsTo(OPS).length === 1);
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Переключаю на человека…');

    await h.post(h.updates.groupText(OPS, anna, '/take 1'));
    await h.settled();
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Оператор подключился к диалогу.');
    const ticket = h.tg.callsTo('sendMessage').find((c) => c.params.chat_id === OPS)!.result as { message_id: number };
    const reply = h.updates.groupText(OPS, anna, 'Сейчас проверю', { replyToMessageId: ticket.message_id });
    await h.post(reply);
    await h.settled();
    expect(h.tg.callsTo('copyMessage').filter((c) => c.params.chat_id === ivan.id).map((c) => c.params.message_id)).toEqual([
      (reply as { message: { message_id: number } }).message.message_id,
    ]);
    expect(h.ai.requests).toHaveLength(1);
  });

  it('with no worker running, updates wait in the inbox; a worker started later answers them in order', async () => {
    expect(await h.post(h.updates.text(ivan, 'Первый вопрос'))).toBe(200);
    expect(await h.post(h.updates.text(ivan, 'Второй вопрос'))).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await pendingUpdates()).toBe(2);
    expect(h.tg.callsTo('sendMessage')).toHaveLength(0);

    worker = await startWorker();
    await h.tg.waitFor(() => h.tg.textsTo(ivan.id).at(-1) === 'Ответ: Второй вопрос', 5000);
    await h.settled();
    // One answer to both (they arrived together) or one each, in order: never the second before the first.
    expect(h.tg.textsTo(ivan.id).length).toBeLessThanOrEqual(2);
    if (h.tg.textsTo(ivan.id).length === 2) expect(h.tg.textsTo(ivan.id)[0]).toBe('Ответ: Первый вопрос');
    const asked = h.ai.requests.at(-1)!.body.messages.filter((m: { role: string }) => m.role === 'user').map((m: { content: string }) => m.content);
    expect(asked).toEqual(['Первый вопрос', 'Второй вопрос']);
  });

  it('a worker process answers health and metrics, and takes neither updates nor admin calls', async () => {
    worker = await startWorker();
    const post = await fetch(worker.url + WEBHOOK_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(h.updates.text(ivan, 'hello')),
    });
    expect(post.status).toBe(404);
    const admin = await fetch(`${worker.url}/api/dialogs`, { headers: { authorization: 'Bearer admin-token-for-tests-0123456789' } });
    expect(admin.status).toBe(404);
    expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${worker.url}/metrics`)).status).toBe(200);
    expect(await pendingUpdates()).toBe(0);
  });

  it('a worker process lowers its own CPU priority by WORKER_NICE, so the web process is served first', async () => {
    const port = await freePort();
    const child = await startServiceProcess(testEnv(h.tg, h.ai, { SERVICE_ROLE: 'worker', INSTANCE_ID: 'worker-2', WORKER_NICE: '7', LOG_LEVEL: 'warn' }), port);
    try {
      expect(os.getPriority(child.pid!) - os.getPriority()).toBe(7);
    } finally {
      await stopProcess(child);
    }
  });
});
