import { alice, OPS, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

/** The answer's outbox row (the LLM's reply being sent). */
const answerRow = () => h.services.db('outbox').whereRaw("effect->>'type' = 'sendLlmReply'").first();
async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
/** Time passes for the outbox: the answer first failed `ago` ms back, and its next try is due now. */
const agedBy = (ago: number) =>
  h.services.db('outbox').whereRaw("effect->>'type' = 'sendLlmReply'").update({
    first_failed_at: h.services.db.raw(`now() - (? * interval '1 millisecond')`, [ago]),
    locked_until: h.services.db.fn.now(),
  });

describe('Telegram away for a long while', () => {
  it('an outage of ten minutes: the answer is retried throughout and arrives once after it', async () => {
    h.tg.failNext('sendMessage', { status: 502, times: 10_000 });
    await h.post(h.updates.text(alice, 'Where is my parcel?'));
    await until(async () => ((await answerRow())?.attempts ?? 0) >= 1);
    await agedBy(10 * 60_000); // ten minutes of failures behind it
    await until(async () => ((await answerRow())?.attempts ?? 0) >= 2);
    expect((await answerRow()).done_at).toBeNull(); // still being retried: nothing is given up within a day
    h.tg.stopFailing();
    await h.tg.waitFor(() => h.tg.textsTo(alice.id).length === 1, 15_000);
    await h.settled();
    expect(h.tg.textsTo(alice.id)).toEqual(['Ответ: Where is my parcel?']);
    expect(await answerRow()).toMatchObject({ outcome: 'done' });
  });

  it('an answer given up after a day of failures is recorded, counted and told to the operators', async () => {
    h.tg.failNext('sendMessage', { status: 502, times: 8 }); // two runs of the client's four tries
    await h.post(h.updates.text(alice, 'Where is my parcel?'));
    await until(async () => ((await answerRow())?.attempts ?? 0) >= 1);
    await agedBy(25 * 3600_000);
    await h.tg.waitFor(() => h.tg.textsTo(OPS).some((t) => t.includes('could not be delivered')), 15_000);
    expect(h.tg.textsTo(OPS).find((t) => t.includes('could not be delivered'))).toContain('#1');
    expect(await answerRow()).toMatchObject({ outcome: 'given_up' });
    expect(h.tg.textsTo(alice.id)).toEqual([]);
    const metrics = await (await fetch(h.svc.adminUrl + '/metrics')).text();
    expect(metrics).toContain('bot_effect_failures_total{effect="sendLlmReply",outcome="given_up"} 1');
  });
});

describe('an update a worker cannot process', () => {
  it('is set aside after a few quick attempts, the chat moves on, the operators hear once, the admin API lists it', async () => {
    // A message whose text is not a string passes the webhook (the field is not read there) only
    // as a stored row a worker fails on: store it as Telegram would have delivered it.
    const bad = { ...h.updates.text(alice, 'x'), message: { ...h.updates.text(alice, 'x').message, text: { not: 'a string' } } };
    await h.services.db('inbox_updates').insert({ update_id: bad.update_id, lane: `chat:${alice.id}`, payload: JSON.stringify(bad) });
    h.svc.runner.poke();
    await h.post(h.updates.text(alice, 'And now a normal question'));
    await h.tg.waitFor(() => h.tg.textsTo(alice.id).includes('Ответ: And now a normal question'), 20_000);
    await h.tg.waitFor(() => h.tg.textsTo(OPS).some((t) => t.includes('set aside')), 5000);
    expect(h.tg.textsTo(OPS).filter((t) => t.includes('set aside'))).toHaveLength(1);
    const res = await fetch(h.svc.adminUrl + '/api/updates/set-aside', { headers: { authorization: 'Bearer admin-token-for-tests-0123456789' } });
    const body = (await res.json()) as { updates: Array<{ updateId: number; lane: string }> };
    expect(body.updates.map((u) => u.updateId)).toEqual([bad.update_id]);
  });
});
