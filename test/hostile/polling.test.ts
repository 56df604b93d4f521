/**
 * Polling mode against Bot API servers that misbehave: one that ignores `timeout` and answers an
 * empty list at once, one that fails every call. The loop must pause, not spin. And polled
 * updates go through the same door as the webhook's: counted in /metrics, bad ones set aside.
 */
import { createLogger } from '../../src/logger';
import { startPolling } from '../../src/telegram/polling';
import { registerCommands } from '../../src/telegram/commands.menu';
import { TelegramClient } from '../../src/adapters/telegram/telegram.client';
import { FakeTelegram } from '../fakes/fake-telegram';
import { alice, startHarness, type Harness } from '../e2e/harness';

const log = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Bot API stand-in that answers getUpdates at once, whatever `timeout` says. */
function impatientServer(answer: () => Promise<unknown[]>) {
  const calls: number[] = [];
  return {
    calls,
    telegram: {
      async getUpdates() {
        calls.push(Date.now());
        return answer();
      },
    },
  };
}

describe('the getUpdates loop', () => {
  it('pauses after an empty answer: a server that ignores timeout is asked about once a second, not thousands of times', async () => {
    const server = impatientServer(async () => []);
    const admitted: unknown[] = [];
    const polling = startPolling({ telegram: server.telegram, intake: { admit: async (u) => (admitted.push(u), 'stored') }, log, minPauseMs: 300 });
    await sleep(1000);
    await polling.stop();
    expect(server.calls.length).toBeGreaterThanOrEqual(3);
    expect(server.calls.length).toBeLessThanOrEqual(5);
  });

  it('does not pause while updates keep coming, and backs off after failures', async () => {
    let n = 0;
    const busy = impatientServer(async () => (n < 5 ? [{ update_id: ++n }] : []));
    const admitted: unknown[] = [];
    const polling = startPolling({ telegram: busy.telegram, intake: { admit: async (u) => (admitted.push(u), 'stored') }, log, minPauseMs: 5000 });
    await sleep(200);
    await polling.stop();
    expect(admitted).toHaveLength(5); // five answers with updates, no pause between them

    const failing = impatientServer(async () => {
      throw new Error('502 Bad Gateway');
    });
    const retrying = startPolling({ telegram: failing.telegram, intake: { admit: async () => 'stored' }, log, errorPauseMs: 100, maxPauseMs: 400 });
    await sleep(1000);
    await retrying.stop();
    // 0, 100, 300, 700 ms: 100, 200, 400 (capped) between tries
    expect(failing.calls.length).toBeGreaterThanOrEqual(3);
    expect(failing.calls.length).toBeLessThanOrEqual(5);
  });
});

describe('polling mode, end to end', () => {
  let h: Harness;
  afterEach(() => h?.close());

  it('counts polled updates in bot_updates_received_total and sets bad ones aside', async () => {
    h = await startHarness({ TELEGRAM_MODE: 'polling' });
    await h.tg.waitFor(() => h.tg.callsTo('getUpdates').length >= 1);
    const bad: any = h.updates.callback(alice, 'talk_to_human');
    delete bad.callback_query.from;
    h.tg.pushUpdate(bad);
    h.tg.pushUpdate(h.updates.text(alice, 'polling works?'));
    await h.tg.waitFor(() => h.tg.textsTo(alice.id).length === 1, 15_000);
    const text = await (await fetch(h.svc.url + '/metrics')).text();
    expect(text).toContain('bot_updates_received_total{kind="message",outcome="stored"} 1');
    expect(text).toContain('bot_updates_rejected_total{kind="callback_query",reason="invalid"} 1');
  });
});

describe('the command menus', () => {
  it("the operators' menu is set even when the users' menu fails", async () => {
    const tg = await FakeTelegram.start();
    try {
      const client = TelegramClient.create({ token: '1:T', apiRoot: tg.apiRoot, attempts: 1 });
      tg.failNext('setMyCommands', { status: 400, description: null });
      const failures = await registerCommands(client, -100123);
      expect(failures).toHaveLength(1);
      const scopes = tg.callsTo('setMyCommands').map((c) => c.params.scope ?? null);
      expect(scopes).toEqual([{ type: 'chat', chat_id: -100123 }]);
    } finally {
      await tg.close();
    }
  });
});
