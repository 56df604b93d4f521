import { anna, boris, ivan, OPS, startHarness, stranger, type Harness } from './harness';
import type { TgUserLike } from '../fakes/updates';

let h: Harness;
afterEach(() => h.close());

const toOps = () => h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === OPS);
const opsTexts = () => h.tg.textsTo(OPS);
const copiesTo = (chatId: number) => h.tg.callsTo('copyMessage').filter((c) => c.params.chat_id === chatId);
const state = async () => (await h.services.db('dialogs').first()).state as string;

/** An operator's command that names a colleague picked from the members list (a `text_mention`). */
function mentioning(from: TgUserLike, command: string, who: TgUserLike, replyToMessageId: number) {
  const text = `${command} ${who.first_name}`;
  const update = h.updates.groupText(OPS, from, text, { replyToMessageId });
  const entities = (update.message as { entities?: object[] }).entities ?? [];
  (update.message as { entities?: object[] }).entities = [...entities, { type: 'text_mention', offset: command.length + 1, length: (who.first_name ?? '').length, user: { id: who.id, is_bot: false, first_name: who.first_name } }];
  return update;
}


describe('/transfer: an operator hands the dialog to a colleague', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('refuses a name nobody knows and a non-member; hands it to Boris by a mention, and back to Anna by @username', async () => {
    const ticketId = await h.ticketTakenByAnna();

    await h.post(h.updates.groupText(OPS, anna, '/transfer @nobody_here', { replyToMessageId: ticketId }));
    await h.settled();
    expect(opsTexts().at(-1)).toContain('To whom?');

    // A stranger who is not in the operators' group is refused; the dialog stays Anna's.
    h.tg.setChatMember(OPS, stranger.id, 'left');
    await h.post(mentioning(anna, '/transfer', stranger, ticketId));
    await h.settled();
    expect(opsTexts().at(-1)).toBe("Not handed over: that user is not a member of the operators' group.");
    expect((await h.services.db('dialogs').first()).context.operator).toEqual({ id: anna.id, name: 'Anna' });
    const userHeard = h.tg.textsTo(ivan.id).length;

    // Boris, picked from the members list: the user is told, Boris is mentioned in the ticket.
    await h.post(mentioning(anna, '/transfer', boris, ticketId));
    await h.settled();
    expect(h.tg.textsTo(ivan.id).slice(userHeard)).toEqual(['Диалог продолжит другой оператор.']);
    expect(opsTexts().at(-1)).toBe('🔁 Dialog #1 was handed over: Boris continues it.');
    expect(String(toOps().at(-1)!.params.text)).toContain(`tg://user?id=${boris.id}`);

    // Now Boris's replies reach the user and Anna's do not.
    await h.post(h.updates.groupText(OPS, anna, 'Это от Анны', { replyToMessageId: ticketId }));
    const fromBoris = h.updates.groupText(OPS, boris, 'Это от Бориса', { replyToMessageId: ticketId });
    await h.post(fromBoris);
    await h.settled();
    expect(copiesTo(ivan.id).map((c) => c.params.message_id)).toEqual([fromBoris.message.message_id]);

    // Anna has worked on dialogs before, so Boris can name her by her @username.
    await h.post(h.updates.groupText(OPS, boris, '/transfer 1 @anna_ops'));
    await h.settled();
    expect(opsTexts().at(-1)).toBe('🔁 Dialog #1 was handed over: Anna continues it.');
    expect((await h.services.db('dialogs').first()).context.operator).toEqual({ id: anna.id, name: 'Anna' });
    expect(await state()).toBe('operatorActive');
  });

  it('a waiting dialog can be handed straight to a colleague, as if they took it', async () => {
    await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
    await h.tg.waitFor(() => toOps().length >= 1);
    await h.settled();
    await h.post(mentioning(anna, '/transfer', boris, (toOps()[0]!.result as { message_id: number }).message_id));
    await h.settled();
    expect(opsTexts().at(-1)).toBe('✅ Dialog #1 taken by Boris.');
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Оператор подключился к диалогу.');
  });
});

describe('/release: the operator gives the dialog back to the queue', () => {
  beforeEach(async () => {
    // Reminders every second, so the story sees them start again after /release.
    h = await startHarness({ OPERATOR_WAIT_SECONDS: '1' });
  });

  it('only the owner can; the user is told, the dialog waits again and the reminders start again', async () => {
    const ticketId = await h.ticketTakenByAnna();

    await h.post(h.updates.groupText(OPS, boris, '/release', { replyToMessageId: ticketId }));
    await h.settled();
    expect(opsTexts()).toContain('Only the operator who has dialog #1 can give it back to the queue.');
    expect(await state()).toBe('operatorActive');

    await h.post(h.updates.groupText(OPS, anna, '/release', { replyToMessageId: ticketId }));
    await h.settled();
    expect(await state()).toBe('awaitingOperator');
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Оператор передал ваш запрос обратно в очередь: ответит первый освободившийся. Вернуться к боту: /bot');
    expect(opsTexts()).toContain('↩️ Dialog #1 is back in the queue: /take 1');
    expect((await h.services.db('dialogs').first()).context.operator).toBeNull();

    // A second later the queue's reminder comes, as for any waiting dialog.
    await h.tg.waitFor(() => opsTexts().some((t) => t.startsWith('⏰ Dialog #1 is still waiting for an operator (user waits ') && t.endsWith('): /take 1')), 5000);

    // Boris takes it from the queue.
    await h.post(h.updates.groupText(OPS, boris, '/take 1'));
    await h.settled();
    expect(opsTexts()).toContain('✅ Dialog #1 taken by Boris.');
  });
});
