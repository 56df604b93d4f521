import { anna, ivan, OPS, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const toOps = () => h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === OPS);
const opsTexts = () => h.tg.textsTo(OPS);
const adminCall = (method: string, path: string) =>
  fetch(h.svc.url + path, { method, headers: { authorization: 'Bearer admin-token-for-tests-0123456789' } }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
const POLITE = 'К сожалению, поддержка в этом чате для вас закрыта. Если вы считаете это ошибкой, свяжитесь с нами другим способом.';

describe('bans: /ban, one polite answer a day, /unban and the admin API', () => {
  it("a banned user's ten messages cost zero LLM calls and get one polite answer; /unban and the bot answers again", async () => {
    const ticketId = await h.ticketTakenByAnna();
    const heard = h.tg.textsTo(ivan.id).length;

    await h.post(h.updates.groupText(OPS, anna, '/ban оскорбления', { replyToMessageId: ticketId }));
    await h.settled();
    expect(opsTexts()).toContain('🚫 The user of dialog #1 is banned (Anna). To lift it: /unban and the user id from the ticket.');
    const dialog = await h.services.db('dialogs').first();
    expect(dialog.state).toBe('closed');
    expect(h.tg.textsTo(ivan.id)).toHaveLength(heard); // the ban itself is not announced to the user

    const tickets = toOps().length;
    for (let i = 1; i <= 10; i += 1) await h.post(h.updates.text(ivan, `сообщение ${i}, позовите оператора`));
    await h.post(h.updates.command(ivan, 'operator'));
    await h.settled();
    expect(h.ai.requests).toHaveLength(0);
    expect(h.tg.textsTo(ivan.id).slice(heard)).toEqual([POLITE]);
    expect(toOps()).toHaveLength(tickets); // no ticket
    expect(await h.services.db('dialogs').count<{ n: string }[]>('* as n')).toEqual([{ n: '1' }]);

    // The admin API lists the ban with who gave it and why.
    const listed = await adminCall('GET', '/api/bans');
    expect(listed.body.bans).toEqual([
      expect.objectContaining({ userId: ivan.id, username: 'ivan', reason: 'оскорбления', bannedBy: anna.id, bannedByName: 'Anna', dialogId: 1 }),
    ]);

    // /unban by @username; the user is answered by the bot again.
    await h.post(h.updates.groupText(OPS, anna, '/unban @ivan'));
    await h.settled();
    expect(opsTexts().at(-1)).toBe('✅ User @ivan is no longer banned.');
    await h.post(h.updates.text(ivan, 'Как сменить email?'));
    await h.settled();
    expect(h.ai.requests).toHaveLength(1);
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Ответ: Как сменить email?');
  });

  it('the polite answer comes again a day later; the admin API lifts a ban; /unban of someone not banned says so', async () => {
    await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
    await h.tg.waitFor(() => toOps().length >= 1);
    await h.settled();
    await h.post(h.updates.groupText(OPS, anna, '/ban 1'));
    await h.settled();
    expect((await h.services.db('bans').first()).reason).toBeNull();

    await h.post(h.updates.text(ivan, 'раз'));
    await h.settled();
    await h.services.db('bans').update({ noticed_at: h.services.db.raw("now() - interval '25 hours'") });
    await h.post(h.updates.text(ivan, 'два'));
    await h.post(h.updates.text(ivan, 'три'));
    await h.settled();
    expect(h.tg.textsTo(ivan.id).filter((t) => t === POLITE)).toHaveLength(2);

    expect((await adminCall('DELETE', `/api/bans/${ivan.id}`)).body).toEqual({ lifted: ivan.id });
    expect((await adminCall('DELETE', `/api/bans/${ivan.id}`)).status).toBe(404);
    expect((await adminCall('GET', '/api/bans')).body.bans).toEqual([]);

    await h.post(h.updates.groupText(OPS, anna, `/unban ${ivan.id}`));
    await h.settled();
    expect(opsTexts().at(-1)).toBe(`User ${ivan.id} is not banned.`);
  });
});
