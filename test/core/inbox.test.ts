import { Inbox } from '../../src/store/inbox.store';
import type { TgUpdate } from '../../src/telegram/update.types';
import { openTestServices } from '../support/services';

const services = openTestServices();
beforeEach(() => services.reset());
afterAll(() => services.close());

const update = (id: number, chat: number): TgUpdate =>
  ({ update_id: id, message: { message_id: id, date: 0, chat: { id: chat, type: 'private' }, text: `m${id}` } }) as unknown as TgUpdate;

describe('the inbox', () => {
  it('marks a finished update done in the claim of the next, and takes the same chat\'s next update after it', async () => {
    const inbox = Inbox.create(services.db);
    await Promise.all([inbox.store(update(1, 10), '10'), inbox.store(update(2, 10), '10')]);
    const first = await inbox.claim('w/0');
    expect(first?.updateId).toBe(1);
    expect(await inbox.claim('w/1')).toBeNull(); // the chat's next waits for the first

    const next = await inbox.claim('w/0', 1);
    expect(next?.updateId).toBe(2);
    const rows = await services.db('inbox_updates').orderBy('update_id').select('update_id', 'processed_at');
    expect(rows.map((r) => r.processed_at !== null)).toEqual([true, false]);
  });

  it('never claims again the update it is marking done, even when that update\'s lease ran out', async () => {
    const inbox = Inbox.create(services.db);
    await inbox.store(update(1, 10), '10');
    await inbox.claim('w/0');
    await services.db('inbox_updates').update({ locked_until: services.db.raw("now() - interval '1 second'") }); // a stalled worker

    expect(await inbox.claim('w/0', 1)).toBeNull();
    const row = await services.db('inbox_updates').first();
    expect(row.processed_at).not.toBeNull();
    expect(row.attempts).toBe(1);
  });
});
