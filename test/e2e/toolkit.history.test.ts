import { anna, ivan, OPS, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const toOps = () => h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === OPS);
const api = (p: string) =>
  fetch(h.svc.url + p, { headers: { authorization: 'Bearer admin-token-for-tests-0123456789' } }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

/** Ivan asks for a person; the ticket's message id. */
async function ticket(text: string): Promise<number> {
  const before = toOps().length;
  await h.post(h.updates.text(ivan, text));
  await h.tg.waitFor(() => toOps().length > before);
  await h.settled();
  return (toOps()[before]!.result as { message_id: number }).message_id;
}

describe("/history: the user's earlier dialogs, for the operators", () => {
  it('lists earlier dialogs with their numbers, dates, how each ended and why it was handed off; the admin API has the same', async () => {
    // The first dialog: handed off, taken by Anna, closed by her.
    const first = await ticket('Позовите оператора, пожалуйста');
    await h.post(h.updates.groupText(OPS, anna, '/history', { replyToMessageId: first }));
    await h.settled();
    expect(String(toOps().at(-1)!.params.text)).toBe('The user of dialog #1 has no earlier dialogs.');
    await h.post(h.updates.groupText(OPS, anna, '/take 1'));
    await h.post(h.updates.groupText(OPS, anna, '/close 1'));
    await h.settled();

    // The second: a new ticket; /history as a reply to it lists the first.
    const userHeard = h.tg.textsTo(ivan.id).length;
    const second = await ticket('/operator');
    await h.post(h.updates.groupText(OPS, anna, '/history', { replyToMessageId: second }));
    await h.settled();
    const answer = toOps().at(-1)!.params;
    const today = new Date().toISOString().slice(0, 10);
    expect(String(answer.text).split('\n')).toEqual([
      '🗂 Earlier dialogs of the user of dialog #2:',
      expect.stringMatching(new RegExp(`^<b>#1</b> · ${today} → ${today} · closed by an operator \\(Anna\\) · <code>rules\\.\\w+</code> · \\d+ messages$`)),
    ]);
    // Nothing of it reaches the user (they heard only "switching" for the new ticket).
    expect(h.tg.textsTo(ivan.id).slice(userHeard)).toEqual(['Переключаю на человека…']);

    // The admin API: both dialogs, newest first.
    const listed = await api(`/api/users/${ivan.id}/dialogs`);
    expect(listed.status).toBe(200);
    const dialogs = listed.body.dialogs as Array<Record<string, unknown>>;
    expect(dialogs.map((d) => [d.id, d.state, d.closeReason, d.operatorName])).toEqual([
      [2, 'awaitingOperator', null, null],
      [1, 'closed', 'operator', 'Anna'],
    ]);
    expect(dialogs[0]!.handoffReason).toBe('explicit.request');
    expect(String(dialogs[1]!.handoffReason)).toMatch(/^rules\./);
    expect((await api(`/api/users/${ivan.id}/dialogs?before=2`)).body.dialogs).toHaveLength(1);
    expect((await api('/api/users/0x10/dialogs')).status).toBe(400);
  });
});
