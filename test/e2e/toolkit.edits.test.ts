import { anna, ivan, OPS, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const copiesTo = (chatId: number) => h.tg.callsTo('copyMessage').filter((c) => c.params.chat_id === chatId);
const copyIdOf = (call: { result?: unknown }) => (call.result as { message_id: number }).message_id;
/** What a chat window shows for a message now (text or caption). */
const shown = (chatId: number, messageId: number) => {
  const m = h.tg.findMessage(chatId, messageId) as { text?: string; caption?: string; edit_date?: number } | undefined;
  return { text: m?.text ?? m?.caption, edited: m?.edit_date !== undefined };
};

describe('edits: an edited message updates its copy on the other side', () => {
  it('the user corrects a message: the operators\' copy reads the new text, marked edited', async () => {
    await h.ticketTakenByAnna();
    const sent = h.updates.text(ivan, 'Мой заказ 12345 не пришёл');
    await h.post(sent);
    await h.settled();
    const copyId = copyIdOf(copiesTo(OPS).at(-1)!);
    expect(shown(OPS, copyId)).toEqual({ text: 'Мой заказ 12345 не пришёл', edited: false });

    await h.post(h.updates.edited(sent, { text: 'Мой заказ 12346 не пришёл' }));
    await h.settled();
    expect(shown(OPS, copyId)).toEqual({ text: 'Мой заказ 12346 не пришёл', edited: true });
    // Nothing else happened: no new copy, nothing to the user, no LLM call.
    expect(copiesTo(OPS).length).toBe(1);
    expect(h.ai.requests).toHaveLength(0);
  });

  it('the user edits a photo\'s caption: the operators get a note "edited:" in reply to the photo\'s copy', async () => {
    await h.ticketTakenByAnna();
    const photo = h.updates.photo(ivan, 'чек об оплате');
    await h.post(photo);
    await h.settled();
    const copyId = copyIdOf(copiesTo(OPS).at(-1)!);
    const opsBefore = h.tg.textsTo(OPS).length;

    await h.post(h.updates.edited(photo, { caption: 'чек об оплате от 1 декабря' }));
    await h.settled();
    expect(h.tg.textsTo(OPS).slice(opsBefore)).toEqual(['✏️ edited: чек об оплате от 1 декабря']);
    const note = h.tg.callsTo('sendMessage').at(-1)!;
    expect(note.params.reply_parameters).toMatchObject({ message_id: copyId });
  });

  it('an operator corrects a reply: the user\'s copy is edited; a redelivered edit is applied once', async () => {
    const ticketId = await h.ticketTakenByAnna();
    const reply = h.updates.groupText(OPS, anna, 'Проверю за 5 минут', { replyToMessageId: ticketId });
    await h.post(reply);
    await h.settled();
    const copyId = copyIdOf(copiesTo(ivan.id).at(-1)!);

    const edit = h.updates.edited(reply, { text: 'Проверю за 10 минут' });
    await h.post(edit);
    await h.settled();
    expect(shown(ivan.id, copyId)).toEqual({ text: 'Проверю за 10 минут', edited: true });

    // Telegram delivers the same update again (our answer was lost, say): it is the same inbox row.
    expect(await h.post(edit)).toBe(200);
    await h.settled();
    const edits = h.tg.callsTo('editMessageText').filter((c) => c.params.chat_id === ivan.id);
    expect(edits).toHaveLength(1);
    expect(edits[0]!.params).toMatchObject({ message_id: copyId, text: 'Проверю за 10 минут' });
  });

  it('an edit of a message never relayed (a question the bot answered) changes nothing: no new answer, no copy edited', async () => {
    h.ai.enqueue({ text: 'Откройте Настройки → Безопасность.' });
    const question = h.updates.text(ivan, 'Как сменить пароль?');
    await h.post(question);
    await h.tg.waitFor(() => h.tg.textsTo(ivan.id).length === 1);
    await h.settled();

    await h.post(h.updates.edited(question, { text: 'Как сменить PIN?' }));
    await h.settled();
    expect(h.ai.requests).toHaveLength(1);
    expect(h.tg.callsTo('editMessageText')).toHaveLength(0);
    expect(h.tg.textsTo(ivan.id)).toHaveLength(1);
  });
});
