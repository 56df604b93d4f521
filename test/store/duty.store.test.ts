import { DutyStore } from '../../src/store/duty.store';
import { openTestServices, type TestServices } from '../support/services';

let services: TestServices;
let duty: DutyStore;
const anna = { telegramId: 501, name: 'Anna', username: 'anna_ops' };
const boris = { telegramId: 502, name: 'Boris', username: null };
const vera = { telegramId: 503, name: 'Vera', username: 'vera' };

beforeAll(() => {
  services = openTestServices();
  duty = DutyStore.create(services.db);
});
beforeEach(() => services.reset());
afterAll(() => services.close());

let chat = 2000;
/** A dialog of a new user, owned by `operatorId` (as /take leaves it in the context), open or closed. */
async function dialogOf(operatorId: number, open: boolean): Promise<void> {
  chat += 1;
  const [user] = await services.db('users').insert({ telegram_id: chat }).returning('id');
  await services.db('dialogs').insert({
    user_id: (user as { id: number }).id,
    chat_id: chat,
    state: open ? 'operatorActive' : 'closed',
    state_value: JSON.stringify(open ? 'operatorActive' : 'closed'),
    context: JSON.stringify({ operator: { id: operatorId, name: 'x' } }),
    machine_version: 2,
    closed_at: open ? null : new Date(),
  });
}

describe('the duty store: whom AUTO_ASSIGN picks', () => {
  it('nobody: when nobody is on duty, or everyone went off duty', async () => {
    expect(await duty.pickAssignee()).toBeNull();
    await duty.setDuty(anna, true);
    await duty.setDuty(anna, false);
    expect(await duty.pickAssignee()).toBeNull();
    expect(await duty.onDuty()).toEqual([]);
  });

  it('the fewest open dialogs first; closed dialogs and off-duty operators do not count', async () => {
    await duty.setDuty(anna, true);
    await duty.setDuty(boris, true);
    await duty.setDuty(vera, true);
    await duty.setDuty(vera, false);
    await dialogOf(anna.telegramId, true);
    await dialogOf(boris.telegramId, false);
    await dialogOf(boris.telegramId, false);
    // Boris has none open (two closed), Anna one, Vera none but off duty.
    expect((await duty.pickAssignee())?.name).toBe('Boris');
    expect((await duty.pickAssignee())?.name).toBe('Boris');
  });

  it('ties go to the longest idle: the oldest last assignment or act, so equal operators take turns', async () => {
    await duty.setDuty(anna, true);
    await duty.setDuty(boris, true); // Boris acted last
    const picks = [];
    for (let i = 0; i < 4; i++) picks.push((await duty.pickAssignee())?.name);
    expect(picks).toEqual(['Anna', 'Boris', 'Anna', 'Boris']);
  });

  it('two picks at the same moment go to two operators (the picks are serialized)', async () => {
    await duty.setDuty(anna, true);
    await duty.setDuty(boris, true);
    const picks = await Promise.all([duty.pickAssignee(), duty.pickAssignee()]);
    expect(picks.map((p) => p?.name).sort()).toEqual(['Anna', 'Boris']);
  });

  it('lists who is on duty with their @username, idempotently: a second /online keeps the time they came', async () => {
    const first = await duty.setDuty(anna, true);
    const again = await duty.setDuty(anna, true);
    expect(again.since).toEqual(first.since);
    await duty.setDuty(boris, true);
    expect((await duty.onDuty()).map(({ telegramId, name, username }) => ({ telegramId, name, username }))).toEqual([
      { telegramId: 501, name: 'Anna', username: 'anna_ops' },
      { telegramId: 502, name: 'Boris', username: null },
    ]);
  });
});
