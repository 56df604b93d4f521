import { RedisSnapshotStore } from '../../src/adapters/redis/snapshot.store';
import { DialogEngine } from '../../src/core/dialog.engine';
import { createDb } from '../../src/db/knex';
import { DialogStore } from '../../src/store/dialog.store';
import { Inbox } from '../../src/store/inbox.store';
import { OutboxStore } from '../../src/store/outbox.store';
import type { TgUpdate } from '../../src/telegram/update.types';
import { log, settings } from '../core/core-harness';
import { TEST_DATABASE_URL } from '../support/env';
import { openTestServices } from '../support/services';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * PostgreSQL runs a statement and goes away before its answer arrives: the writer sees an error
 * although the statement was written. Nothing may then wait out a lease, nor be done twice.
 * The service's pool reaches PostgreSQL through a proxy that loses one chosen answer.
 */
const services = openTestServices();
let proxy: TcpProxy;
let proxied: ReturnType<typeof createDb>;

beforeAll(async () => {
  const url = new URL(TEST_DATABASE_URL);
  proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(url.port || 5432) });
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  proxied = createDb(url.toString(), 2);
});
beforeEach(() => services.reset());
afterAll(async () => {
  await proxied.destroy();
  await proxy.close();
  await services.close();
});

const update = (id: number, chat: number): TgUpdate =>
  ({ update_id: id, message: { message_id: id, date: 0, chat: { id: chat, type: 'private' }, text: `m${id}` } }) as unknown as TgUpdate;

async function until(check: () => Promise<boolean>, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('an inbox claim written but never answered', () => {
  it('is taken again by the same loop at once, not after its lease', async () => {
    await Inbox.create(services.db).store(update(1, 10), '10');
    proxy.loseAnswerTo('UPDATE inbox_updates SET locked_until');
    await expect(Inbox.create(proxied).claim('w/0')).rejects.toThrow();
    const row = await services.db('inbox_updates').first();
    expect(row.locked_by).toBe('w/0'); // the claim was written

    const inbox = Inbox.create(services.db);
    expect(await inbox.claim('w/1')).toBeNull(); // held: another loop does not take it
    expect((await inbox.claim('w/0'))?.updateId).toBe(1);
  });
});

describe('a failure recorded for an update whose step was written', () => {
  it('leaves the update processed: it is not claimed and stepped again', async () => {
    const inbox = Inbox.create(services.db);
    await inbox.store(update(1, 10), '10');
    const claimed = (await inbox.claim('w/0'))!;
    await inbox.done(1); // what the step's commit wrote before its answer was lost
    await inbox.failed(claimed, 'w/0', 'Connection terminated unexpectedly', undefined, { outage: true });

    expect((await services.db('inbox_updates').first()).processed_at).not.toBeNull();
    expect(await inbox.claim('w/0')).toBeNull();
  });

  it('is not written over the claim of whoever took the update after its lease ran out', async () => {
    const inbox = Inbox.create(services.db);
    await inbox.store(update(1, 10), '10');
    const stale = (await inbox.claim('w/0'))!;
    await services.db('inbox_updates').update({ locked_until: services.db.raw("now() - interval '1 second'") });
    expect((await inbox.claim('w/1'))?.updateId).toBe(1);
    await inbox.failed(stale, 'w/0', 'too slow');

    const row = await services.db('inbox_updates').first();
    expect(row.locked_by).toBe('w/1');
    expect(row.last_error).toBeNull();
  });
});

describe('an outbox claim written but never answered', () => {
  it('is claimed again by its owner, except the rows the owner is running', async () => {
    const [a, b] = await services.db('outbox').insert([{ dialog_id: null, kind: 'parallel', effect: { type: 'a' } }, { dialog_id: null, kind: 'parallel', effect: { type: 'b' } }]).returning('id');
    proxy.loseAnswerTo('UPDATE outbox SET locked_by');
    await expect(OutboxStore.create(proxied).claim('p/outbox', 'parallel', 10)).rejects.toThrow();

    const outbox = OutboxStore.create(services.db);
    expect(await outbox.claim('q/outbox', 'parallel', 10)).toEqual([]);
    const again = await outbox.claim('p/outbox', 'parallel', 10, [Number(a.id)]);
    expect(again.map((r) => r.id)).toEqual([Number(b.id)]);
  });
});

describe('a step whose commit was written but never answered', () => {
  it('frees the effects it leased to itself once PostgreSQL answers, long before the lease runs out', async () => {
    const engine = DialogEngine.create({ store: DialogStore.create(proxied), snapshots: RedisSnapshotStore.create(services.redis), settings, log, instanceId: 'lost' });
    proxy.loseAnswerTo('INSERT INTO dialogs');
    const step = engine.step({ chatId: 77 }, { type: 'user.message', messageId: 1, text: 'Where is my order?', signal: null, at: Date.now() }, {
      actor: 'user',
      user: { telegramId: 77, firstName: 'Ivan' },
      lang: 'en',
      record: { sender: 'user', telegramChatId: 77, telegramMessageId: 1, text: 'Where is my order?' },
    });
    await expect(step).rejects.toThrow();

    const dialog = await services.db('dialogs').where({ chat_id: 77 }).first();
    expect(dialog).toBeDefined(); // the step was written
    const effects = () => services.db('outbox').where({ dialog_id: dialog.id });
    expect((await effects()).length).toBeGreaterThan(0);
    // Free for any runner within a few seconds; the lease itself would hold them for 15.
    expect(await until(async () => (await effects()).every((r) => r.locked_by === null))).toBe(true);
    expect((await OutboxStore.create(services.db).claim('runner', 'parallel', 10)).map((r) => r.effect.type)).toEqual(['askLlm']);
  });
});
