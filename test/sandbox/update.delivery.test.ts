import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Telegram } from 'telegraf';
import { BotApiEmulator } from '../../src/sandbox/bot-api.emulator';
import { UpdateFactory } from '../../src/sandbox/updates.factory';

const TOKEN = '7000000001:sandbox';

/** A bot's webhook that refuses its first delivery with 500 and then takes everything, recording what it got. */
async function flakyWebhook(): Promise<{ server: Server; url: string; got: Array<{ secret: string | undefined; updateId: number }>; statuses: number[] }> {
  const got: Array<{ secret: string | undefined; updateId: number }> = [];
  const statuses: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statuses.length === 0 ? 500 : 200;
      statuses.push(status);
      if (status === 200) {
        const secret = req.headers['x-telegram-bot-api-secret-token'];
        got.push({ secret: typeof secret === 'string' ? secret : undefined, updateId: (JSON.parse(Buffer.concat(chunks).toString()) as { update_id: number }).update_id });
      }
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`, got, statuses };
}

describe("the emulator's webhook delivery", () => {
  it('delivers queued updates in order with the secret, and delivers again after a refusal, as Telegram does', async () => {
    const hook = await flakyWebhook();
    const emulator = new BotApiEmulator({ token: TOKEN, deliverByWebhook: true });
    const api = createServer((req, res) => void emulator.handle(req, res));
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    try {
      const telegram = new Telegram(TOKEN, { apiRoot: `http://127.0.0.1:${(api.address() as AddressInfo).port}/`, webhookReply: false });
      await telegram.setWebhook(hook.url, { secret_token: 'the_secret' });
      const updates = new UpdateFactory(1, emulator);
      const ivan = { id: 1001, first_name: 'Ivan' };
      emulator.pushUpdate(updates.text(ivan, 'first'));
      emulator.pushUpdate(updates.text(ivan, 'second'));

      const deadline = Date.now() + 10_000;
      while (hook.got.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(hook.statuses).toEqual([500, 200, 200]);
      expect(hook.got).toEqual([{ secret: 'the_secret', updateId: 1 }, { secret: 'the_secret', updateId: 2 }]);
      expect((await telegram.getWebhookInfo()).pending_update_count).toBe(0);
      // Delivered updates are confirmed: getUpdates would never see them again.
      expect(() => emulator.pushUpdate({ update_id: 1 })).toThrow(/already confirmed/);
    } finally {
      emulator.stop();
      api.closeAllConnections();
      hook.server.closeAllConnections();
      await Promise.all([new Promise((r) => api.close(r)), new Promise((r) => hook.server.close(r))]);
    }
  });
});
