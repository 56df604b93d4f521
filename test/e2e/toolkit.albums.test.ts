import { anna, ivan, OPS, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const albumsTo = (chatId: number) => h.tg.callsTo('copyMessages').filter((c) => c.params.chat_id === chatId);
const copiesTo = (chatId: number) => h.tg.callsTo('copyMessage').filter((c) => c.params.chat_id === chatId);
const idsOf = (parts: Array<{ message: { message_id: number } }>) => parts.map((p) => p.message.message_id);
/** The album groups of the messages a chat window shows (one id per album). */
const groupsOf = (chatId: number, ids: number[]) => new Set(ids.map((id) => (h.tg.findMessage(chatId, id) as { media_group_id?: string } | undefined)?.media_group_id));
const resultIds = (call: { result?: unknown }) => (call.result as Array<{ message_id: number }>).map((m) => m.message_id);

describe('albums: a media group arrives as one album on the other side', () => {
  it('the user\'s three photos reach the operators as one album, in order; the next message comes after it', async () => {
    await h.ticketTakenByAnna();
    const parts = h.updates.album(ivan, 3, 'вот что приходит при оплате');
    for (const part of parts) await h.post(part);
    const more = h.updates.text(ivan, 'и так каждый раз');
    await h.post(more);
    await h.tg.waitFor(() => copiesTo(OPS).length >= 1);
    await h.settled();

    const [album, ...others] = albumsTo(OPS);
    expect(others).toEqual([]);
    expect(album!.params).toMatchObject({ from_chat_id: ivan.id, message_ids: idsOf(parts) });
    // Not scattered: none of the parts was copied alone; the text came after the album.
    expect(copiesTo(OPS).map((c) => c.params.message_id)).toEqual([more.message.message_id]);
    const copies = resultIds(album!);
    expect(copies).toHaveLength(3);
    expect(groupsOf(OPS, copies).size).toBe(1);
    expect(Math.max(...copies)).toBeLessThan((copiesTo(OPS)[0]!.result as { message_id: number }).message_id);
  });

  it('an album without words, while waiting, is gathered by its timer and sent once it has all its parts', async () => {
    await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
    await h.tg.waitFor(() => h.tg.textsTo(OPS).length >= 1);
    await h.settled();
    const parts = h.updates.album(ivan, 3);
    for (const part of parts) await h.post(part);
    await h.tg.waitFor(() => albumsTo(OPS).length === 1, 8000);
    await h.settled();
    expect(albumsTo(OPS)[0]!.params.message_ids).toEqual(idsOf(parts));
    expect(copiesTo(OPS)).toEqual([]);
  });

  it('the operator\'s three photos reach the user as one album', async () => {
    const ticketId = await h.ticketTakenByAnna();
    const parts = h.updates.groupAlbum(OPS, anna, 3, { replyToMessageId: ticketId, caption: 'так выглядит правильный чек' });
    for (const part of parts) await h.post(part);
    await h.tg.waitFor(() => albumsTo(ivan.id).length === 1, 8000);
    await h.settled();

    const album = albumsTo(ivan.id)[0]!;
    expect(album.params).toMatchObject({ from_chat_id: OPS, message_ids: idsOf(parts) });
    expect(copiesTo(ivan.id)).toEqual([]);
    const copies = resultIds(album);
    expect(groupsOf(ivan.id, copies).size).toBe(1);
    expect((h.tg.findMessage(ivan.id, copies[0]!) as { caption?: string }).caption).toBe('так выглядит правильный чек');

    // The album's parts are paired too: Anna corrects its caption, the user gets the note under the copy.
    const opsBefore = h.tg.textsTo(ivan.id).length;
    await h.post(h.updates.edited(parts[0]!, { caption: 'так выглядит чек после оплаты' }));
    await h.settled();
    expect(h.tg.textsTo(ivan.id).slice(opsBefore)).toEqual(['✏️ изменено: так выглядит чек после оплаты']);
  });

  it('in a forum group, both albums stay in the dialog\'s topic; an edit there reaches the user', async () => {
    h.tg.setForum(OPS, true);
    await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
    await h.tg.waitFor(() => h.tg.callsTo('createForumTopic').length === 1);
    await h.settled();
    const threadId = (h.tg.callsTo('createForumTopic')[0]!.result as { message_thread_id: number }).message_thread_id;
    await h.post(h.updates.groupText(OPS, anna, '/take', { threadId }));
    await h.settled();

    for (const part of h.updates.album(ivan, 3)) await h.post(part);
    const answer = h.updates.groupAlbum(OPS, anna, 2, { threadId, caption: 'вот так' });
    for (const part of answer) await h.post(part);
    await h.tg.waitFor(() => albumsTo(OPS).length === 1 && albumsTo(ivan.id).length === 1, 8000);
    await h.settled();
    expect(albumsTo(OPS)[0]!.params.message_thread_id).toBe(threadId);
    expect(albumsTo(ivan.id)[0]!.params.message_ids).toEqual(idsOf(answer));

    const fix = h.updates.groupText(OPS, anna, 'Пришлите номер заказа', { threadId });
    await h.post(fix);
    await h.settled();
    await h.post(h.updates.edited(fix, { text: 'Пришлите, пожалуйста, номер заказа' }));
    await h.settled();
    const copyId = (copiesTo(ivan.id).at(-1)!.result as { message_id: number }).message_id;
    expect(h.tg.findMessage(ivan.id, copyId)).toMatchObject({ text: 'Пришлите, пожалуйста, номер заказа' });
  });

  it('an album sent to the bot before the handoff is copied under the ticket as one album', async () => {
    h.ai.enqueue({ text: 'Похоже на ошибку оплаты. Попробуйте другую карту.' });
    const parts = h.updates.album(ivan, 3, 'вот скриншоты ошибки');
    for (const part of parts) await h.post(part);
    await h.tg.waitFor(() => h.tg.textsTo(ivan.id).length >= 1);
    await h.settled();
    // The bot answered the album once (its caption); the parts without words got no "text only" each.
    expect(h.ai.requests).toHaveLength(1);
    expect(h.tg.textsTo(ivan.id)).toEqual(['Похоже на ошибку оплаты. Попробуйте другую карту.']);

    await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
    await h.tg.waitFor(() => albumsTo(OPS).length === 1);
    await h.settled();
    expect(albumsTo(OPS)[0]!.params.message_ids).toEqual(idsOf(parts));
    expect(copiesTo(OPS)).toEqual([]);
  });
});
