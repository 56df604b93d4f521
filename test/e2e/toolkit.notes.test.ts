import { anna, ivan, OPS, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const toOps = () => h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === OPS);
const copiesTo = (chatId: number) => h.tg.callsTo('copyMessage').filter((c) => c.params.chat_id === chatId);
const admin = (path: string) =>
  fetch(h.svc.url + path, { headers: { authorization: 'Bearer admin-token-for-tests-0123456789' } }).then((r) => r.json() as Promise<Record<string, unknown>>);

describe('private notes: a message starting with ! or // stays with the operators', () => {
  it('notes, before and after /take, never reach the user; the admin API shows them; the next reply does', async () => {
    await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
    await h.tg.waitFor(() => toOps().length >= 1);
    await h.settled();
    const ticketId = (toOps()[0]!.result as { message_id: number }).message_id;
    const opsBefore = toOps().length;

    // Before anyone took the dialog: a note is kept, and nobody is told to /take first.
    await h.post(h.updates.groupText(OPS, anna, '! постоянный клиент, был возврат в мае', { replyToMessageId: ticketId }));
    await h.settled();
    expect(toOps()).toHaveLength(opsBefore);

    await h.post(h.updates.groupText(OPS, anna, '/take 1'));
    await h.settled();
    const userHeard = h.tg.textsTo(ivan.id).length;
    await h.post(h.updates.groupText(OPS, anna, '// проверить оплату в банке', { replyToMessageId: ticketId }));
    await h.post(h.updates.groupPhoto(OPS, anna, { replyToMessageId: ticketId, caption: '! скрин из админки' }));
    const reply = h.updates.groupText(OPS, anna, 'Проверяю ваш платёж', { replyToMessageId: ticketId });
    await h.post(reply);
    await h.settled();

    // The user sees only the reply.
    expect(copiesTo(ivan.id).map((c) => c.params.message_id)).toEqual([reply.message.message_id]);
    expect(h.tg.textsTo(ivan.id).slice(userHeard)).toEqual([]);
    expect(h.ai.requests).toHaveLength(0);

    const dialog = await admin('/api/dialogs/1');
    const notes = (dialog.messages as Array<{ sender: string; text: string }>).filter((m) => m.sender === 'note').map((m) => m.text);
    expect(notes).toEqual(['! постоянный клиент, был возврат в мае', '// проверить оплату в банке', '! скрин из админки']);
  });
});
