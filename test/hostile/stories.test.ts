/**
 * Hostile and broken input, as a user or an operator of the service would notice it: a message
 * with a NUL is answered, an update that does not fit is acknowledged, set aside and counted (and
 * never reaches a worker), an LLM server's 200-with-error gives the friendly text, a 403 without
 * a description still closes the dialog of a user who blocked the bot.
 */
import { alice, ivan, SECRET, startHarness, WEBHOOK_PATH, type Harness } from '../e2e/harness';

const ADMIN = { authorization: 'Bearer admin-token-for-tests-0123456789' };
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
beforeEach(async () => {
  await h.services.db.raw('TRUNCATE rejected_updates RESTART IDENTITY');
  await h.settled();
  h.tg.reset();
  h.ai.reset();
});
afterAll(() => h?.close());

async function postRaw(body: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(h.svc.url + WEBHOOK_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    body,
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}
const metrics = async () => (await fetch(h.svc.url + '/metrics')).text();
const rejectedList = async () => (await (await fetch(h.svc.url + '/api/rejected-updates', { headers: ADMIN })).json()) as { rejectedUpdates: any[] };

describe('a hostile or broken update', () => {
  it('a NUL or a lone surrogate in a message text: the user is answered, without them', async () => {
    const update = h.updates.text(alice, 'Hello\u0000 there');
    expect(await h.post(update)).toBe(200);
    await h.tg.waitFor(() => h.tg.textsTo(alice.id).length === 1);
    expect(h.tg.textsTo(alice.id)).toEqual(['Ответ: Hello there']);
    // JSON.stringify writes a lone surrogate as the escape \ud800, which PostgreSQL's jsonb refuses.
    expect((await postRaw(JSON.stringify(h.updates.text(ivan, 'Привет \ud800!')))).status).toBe(200);
    await h.tg.waitFor(() => h.tg.textsTo(ivan.id).length === 1);
    expect(h.tg.textsTo(ivan.id)).toEqual(['Ответ: Привет \ufffd!']);
    expect((await rejectedList()).rejectedUpdates).toEqual([]);
  });

  it('a callback_query without `from`: 200, set aside once with the reason, counted, listed, never processed', async () => {
    const update: any = h.updates.callback(alice, 'talk_to_human');
    delete update.callback_query.from;
    expect(await postRaw(JSON.stringify(update))).toEqual({ status: 200, body: { ok: true, rejected: true } });
    expect((await postRaw(JSON.stringify(update))).status).toBe(200); // Telegram's redelivery: the same row
    await h.settled();
    expect(await h.services.db('inbox_updates').where({ update_id: update.update_id }).first()).toBeUndefined();
    const [row] = (await rejectedList()).rejectedUpdates;
    expect((await rejectedList()).rejectedUpdates).toHaveLength(1);
    expect(row).toMatchObject({ updateId: update.update_id, kind: 'callback_query', reason: 'invalid', detail: expect.stringContaining('callback_query.from') });
    expect(await metrics()).toContain('bot_updates_rejected_total{kind="callback_query",reason="invalid"} 1');
    expect(h.tg.callsTo('answerCallbackQuery')).toHaveLength(0);
  });

  it('wrong types and ids out of range are set aside at the door, not retried by a worker', async () => {
    const bad: any[] = [
      { ...h.updates.text(alice, 'x'), message: { ...h.updates.text(alice, 'x').message, text: { not: 'a string' } } },
      { ...h.updates.text(alice, 'y'), message: { ...h.updates.text(alice, 'y').message, chat: { id: 1e20, type: 'private' } } },
      { ...h.updates.text(alice, 'z'), message: { ...h.updates.text(alice, 'z').message, message_thread_id: 2 ** 40 } },
    ];
    for (const update of bad) expect(await postRaw(JSON.stringify(update))).toEqual({ status: 200, body: { ok: true, rejected: true } });
    expect((await rejectedList()).rejectedUpdates.map((r) => r.reason)).toEqual(['invalid', 'invalid', 'invalid']);
    expect(Number((await h.services.db('inbox_updates').whereIn('update_id', bad.map((u) => u.update_id)).count<{ n: string }[]>('* as n'))[0]!.n)).toBe(0);
  });

  it('arrays nested 5,000 deep: 200, set aside as too deep, no stack overflow', async () => {
    const id = h.updates.text(alice, 'deep').update_id;
    const body = `{"update_id":${id},"message":{"message_id":1,"chat":{"id":1,"type":"private"},"entities":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    expect(await postRaw(body)).toEqual({ status: 200, body: { ok: true, rejected: true } });
    expect((await rejectedList()).rejectedUpdates[0]).toMatchObject({ updateId: id, reason: 'too_deep' });
    expect(await metrics()).toContain('bot_updates_rejected_total{kind="message",reason="too_deep"} 1');
  });

  it('a body with no update_id is not from Telegram: 400, counted, not stored', async () => {
    expect((await postRaw('[1,2,3]')).status).toBe(400);
    expect((await postRaw('{"update_id":"12"}')).status).toBe(400);
    expect(await metrics()).toMatch(/bot_updates_rejected_total\{kind="[a-z_]+",reason="not_an_update"\} [12]/);
    expect((await rejectedList()).rejectedUpdates).toEqual([]);
  });

  it('field names outside the Bot API do not grow the metrics: they count as kind "other"', async () => {
    for (let i = 0; i < 3; i += 1) expect(await h.post({ update_id: 900_000 + i, [`made_up_${i}`]: {} })).toBe(200);
    const text = await metrics();
    expect(text).toContain('bot_updates_received_total{kind="other",outcome="ignored"} 3');
    expect(text).not.toContain('made_up_');
  });
});

describe('outside systems that stray from their specs', () => {
  it("an LLM server's 200 with {\"error\"}: the user gets the friendly text", async () => {
    h.ai.enqueue({ raw: { error: { message: 'overloaded', type: 'server_error' } } });
    expect(await h.post(h.updates.text(alice, 'What are your opening hours?'))).toBe(200);
    await h.tg.waitFor(() => h.tg.textsTo(alice.id).length === 1);
    expect(h.tg.textsTo(alice.id)).toEqual(['Sorry, I cannot answer right now. Please try again in a minute.']);
  });

  it('a 403 without a description closes the dialog of a user who blocked the bot', async () => {
    const blocker = { id: 4242, first_name: 'Gone', language_code: 'en' };
    h.tg.failNext('sendMessage', { status: 403, description: null });
    expect(await h.post(h.updates.text(blocker, 'hello'))).toBe(200);
    await h.settled();
    const dialog = await h.services.db('dialogs').where({ chat_id: blocker.id }).first('state', 'closed_at');
    expect(dialog).toMatchObject({ state: 'closed' });
  });
});
