/**
 * The inbox's batch INSERT isolates rows: when PostgreSQL refuses one row of a batch, the others
 * of the same event-loop turn are stored all the same, and only the bad one fails, with a typed
 * error the webhook turns into "set aside". (The webhook's schema makes strings storable first;
 * this is the net under it.)
 */
import { Inbox, InboxRowRefused } from '../../src/store/inbox.store';
import type { TgUpdate } from '../../src/telegram/update.types';
import { openTestServices, type TestServices } from '../support/services';

let services: TestServices;
beforeAll(async () => {
  services = openTestServices();
  await services.reset();
});
afterAll(() => services.close());

const update = (id: number, text: string): TgUpdate => ({
  update_id: id,
  message: { message_id: id, chat: { id: 5000 + id, type: 'private' }, from: { id: 5000 + id, first_name: 'U' }, text },
});

describe('a batch with one row PostgreSQL refuses', () => {
  it('stores every good row and fails only the bad one', async () => {
    const inbox = Inbox.create(services.db);
    const ids = [101, 102, 103, 104, 105];
    const results = await Promise.allSettled(ids.map((id) => inbox.store(update(id, id === 103 ? 'bad \u0000 row' : `good ${id}`), `chat:${5000 + id}`)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const refused = results[2] as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(InboxRowRefused);
    expect(refused.reason).toMatchObject({ updateId: 103 });
    const stored = await services.db('inbox_updates').whereIn('update_id', ids).orderBy('update_id').pluck('update_id');
    expect(stored.map(Number)).toEqual([101, 102, 104, 105]);
  });

  it('a repeat in the same batch is still a repeat after the row-by-row retry', async () => {
    const inbox = Inbox.create(services.db);
    const results = await Promise.all([
      inbox.store(update(201, 'first'), 'chat:5201'),
      inbox.store(update(201, 'first'), 'chat:5201'),
      inbox.store(update(202, 'x\u0000'), 'chat:5202').catch((e: unknown) => e),
    ]);
    expect(results[0]).toBe(true);
    expect(results[1]).toBe(false);
    expect(results[2]).toBeInstanceOf(InboxRowRefused);
  });

  it('a database that cannot be reached is not a refused row: the error is passed on', async () => {
    const down = openTestServices('postgres://postgres@127.0.0.1:1/support_bot_test_unreachable');
    try {
      const inbox = Inbox.create(down.db);
      const error = await inbox.store(update(301, 'hi'), 'chat:5301').catch((e: unknown) => e);
      expect(error).not.toBeInstanceOf(InboxRowRefused);
      expect(String(error)).toMatch(/ECONNREFUSED|connect/);
    } finally {
      await down.db.destroy();
      down.redis.disconnect();
    }
  });
});
