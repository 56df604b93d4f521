import { FakeClock } from '../support/fake.clock';
import { anna, boris, ivan, OPS, startHarness, type Harness } from './harness';

/**
 * Issue 15: a queue that does not wait forever. When nobody takes a dialog in
 * QUEUE_TIMEOUT_MINUTES the user chooses: keep waiting, back to the bot, or leave a message,
 * which an operator answers later with /reopen.
 */

let h: Harness;
afterEach(() => h.close());

const toOps = () => h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === OPS);
const opsTexts = () => h.tg.textsTo(OPS);
const toIvan = () => h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === ivan.id);
const copiesTo = (chatId: number) => h.tg.callsTo('copyMessage').filter((c) => c.params.chat_id === chatId);
const QUESTION = 'Операторы пока не освободились, простите за ожидание. Как поступим?';

/** Ivan asks for a person; resolves with the ticket's message id once it is posted. */
async function ivanWaits(): Promise<number> {
  await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
  await h.tg.waitFor(() => toOps().length >= 1);
  await h.settled();
  return (toOps()[0]!.result as { message_id: number }).message_id;
}

/** Waits for the queue timeout's question to reach Ivan (the `nth`, from 1); resolves with its message id and buttons. */
async function questionArrives(nth = 1): Promise<{ messageId: number; buttons: Array<{ text: string; callback_data: string }> }> {
  const questions = () => toIvan().filter((c) => c.params.text === QUESTION);
  await h.tg.waitFor(() => questions().length >= nth, 8000);
  await h.settled();
  const call = questions()[nth - 1]!;
  const markup = (typeof call.params.reply_markup === 'string' ? JSON.parse(call.params.reply_markup) : call.params.reply_markup) as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
  return { messageId: (call.result as { message_id: number }).message_id, buttons: markup.inline_keyboard.flat() };
}

/** Ivan presses the button captioned `caption` under the question `messageId`. */
async function press(question: { messageId: number; buttons: Array<{ text: string; callback_data: string }> }, caption: string): Promise<void> {
  const button = question.buttons.find((b) => b.text === caption);
  if (!button) throw new Error(`no button "${caption}" among ${question.buttons.map((b) => b.text).join(', ')}`);
  await h.post(h.updates.callback(ivan, button.callback_data, { chatId: ivan.id, messageId: question.messageId }));
  await h.settled();
}

describe('the queue timeout: the user chooses what next', () => {
  beforeEach(async () => {
    // A 1.2-second queue timeout; reminders rarely, so the stories see only the question.
    h = await startHarness({ QUEUE_TIMEOUT_MINUTES: '0.02', OPERATOR_WAIT_SECONDS: '600' });
  });

  it('offers three choices; "keep waiting" keeps the ticket and asks again after as long', async () => {
    await ivanWaits();
    const question = await questionArrives();
    expect(question.buttons.map((b) => b.text)).toEqual(['⏳ Подождать ещё', '🤖 Вернуться к боту', '✉️ Оставить сообщение']);

    await press(question, '⏳ Подождать ещё');
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Хорошо, вы остаётесь в очереди — оператор ответит здесь.');
    expect(h.tg.callsTo('answerCallbackQuery').at(-1)!.params.text).toBeUndefined();
    expect((await h.services.db('dialogs').first()).state).toBe('awaitingOperator');

    // The timeout is armed again: the question comes back, and Anna can still take the ticket.
    await questionArrives(2);
    await h.post(h.updates.groupText(OPS, anna, '/take 1'));
    await h.settled();
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Оператор подключился к диалогу.');
  });

  it('"back to the bot" works like /bot: the operators hear it, and the bot answers the next question', async () => {
    await ivanWaits();
    await press(await questionArrives(), '🤖 Вернуться к боту');
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Вы снова общаетесь с ботом. Чем помочь?');
    expect(opsTexts()).toContain('The user of dialog #1 went back to the bot.');

    h.ai.enqueue({ text: 'Заказы приходят за 3–5 дней.' });
    await h.post(h.updates.text(ivan, 'Сколько идёт доставка?'));
    await h.tg.waitFor(() => h.tg.textsTo(ivan.id).includes('Заказы приходят за 3–5 дней.'));
    expect((await h.services.db('dialogs').first()).state).toBe('botActive');
  });

  it('"leave a message": the next message goes to the ticket, the dialog closes, and an old button then does nothing', async () => {
    const ticketId = await ivanWaits();
    const question = await questionArrives();
    await press(question, '✉️ Оставить сообщение');
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Напишите сообщение — я передам его операторам, и они ответят здесь, когда освободятся.');

    const left = h.updates.text(ivan, 'Заказ 123 не пришёл, жду с понедельника');
    await h.post(left);
    await h.settled();
    // The message is copied to the ticket (a reply to it in a plain group), and kept with the dialog.
    const copies = copiesTo(OPS);
    expect(copies.map((c) => c.params.message_id)).toEqual([left.message.message_id]);
    expect(JSON.stringify(copies[0]!.params.reply_parameters)).toContain(`"message_id":${ticketId}`);
    expect(await h.services.db('messages').where({ dialog_id: 1, sender: 'user' }).pluck('text')).toContain('Заказ 123 не пришёл, жду с понедельника');
    expect(opsTexts().at(-1)).toBe('✉️ The user of dialog #1 could not wait and left a message (above). The dialog is closed; to answer: /reopen 1');
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Спасибо, сообщение передано операторам: они ответят здесь. А пока я снова на связи — спрашивайте.');
    const dialog = await h.services.db('dialogs').first();
    expect(dialog.state).toBe('closed');
    expect(dialog.closed_at).not.toBeNull();
    expect(await h.services.db('dialog_transitions').where({ dialog_id: 1, to_state: 'closed' }).pluck('reason')).toEqual(['leftMessage']);

    // The same question's button, pressed again: a polite word, and nothing else.
    const sent = toIvan().length;
    await press(question, '⏳ Подождать ещё');
    expect(h.tg.callsTo('answerCallbackQuery').at(-1)!.params.text).toBe('Этот выбор уже неактуален.');
    expect(toIvan()).toHaveLength(sent);
    expect(await h.services.db('dialogs').count<{ n: string }[]>('* as n')).toEqual([{ n: '1' }]);
  });

  it('"leave a message" after writing details while waiting: those are the message, the dialog closes at once', async () => {
    await ivanWaits();
    await h.post(h.updates.text(ivan, 'Номер заказа 123'));
    await h.settled();
    await press(await questionArrives(), '✉️ Оставить сообщение');
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Спасибо, сообщение передано операторам: они ответят здесь. А пока я снова на связи — спрашивайте.');
    expect(opsTexts().at(-1)).toContain('left a message');
    expect((await h.services.db('dialogs').first()).state).toBe('closed');
  });
});

describe('/reopen: an operator answers a left message', () => {
  beforeEach(async () => {
    h = await startHarness({ QUEUE_TIMEOUT_MINUTES: '0.02', OPERATOR_WAIT_SECONDS: '600' });
  });

  /** Ivan waits, leaves a message, and the dialog closes; resolves with the ticket's message id. */
  async function ivanLeavesAMessage(): Promise<number> {
    const ticketId = await ivanWaits();
    await press(await questionArrives(), '✉️ Оставить сообщение');
    await h.post(h.updates.text(ivan, 'Заказ 123 не пришёл'));
    await h.settled();
    return ticketId;
  }

  it('Anna reopens the dialog and answers; Ivan receives the answer in the same dialog, its history kept', async () => {
    const ticketId = await ivanLeavesAMessage();

    await h.post(h.updates.groupText(OPS, anna, '/reopen 1'));
    await h.settled();
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Оператор вернулся к вашему запросу.');
    expect(opsTexts().at(-1)).toBe('🔓 Dialog #1 reopened by Anna: messages reach the user again.');
    const dialog = await h.services.db('dialogs').first();
    expect(dialog).toMatchObject({ id: '1', state: 'operatorActive', closed_at: null });
    expect(dialog.context.operator).toEqual({ id: anna.id, name: 'Anna' });

    // Anna answers under the ticket; the answer reaches Ivan.
    const answer = h.updates.groupText(OPS, anna, 'Иван, заказ 123 передан курьеру, будет завтра.', { replyToMessageId: ticketId });
    await h.post(answer);
    await h.settled();
    expect(copiesTo(ivan.id).map((c) => c.params.message_id)).toEqual([answer.message.message_id]);

    // Ivan's reply reaches Anna in the same dialog, with the whole story in it.
    await h.post(h.updates.text(ivan, 'Спасибо!'));
    await h.settled();
    expect(await h.services.db('dialogs').count<{ n: string }[]>('* as n')).toEqual([{ n: '1' }]);
    expect(await h.services.db('messages').where({ dialog_id: 1, sender: 'user' }).orderBy('id').pluck('text')).toEqual([
      'Позовите оператора, пожалуйста',
      'Заказ 123 не пришёл',
      'Спасибо!',
    ]);
    expect(await h.services.db('dialog_transitions').where({ dialog_id: 1 }).orderBy('id').pluck('to_state')).toEqual(
      expect.arrayContaining(['closed', 'operatorActive']),
    );
  });

  it('in a forum group, /reopen in the dialog\'s topic reopens it there, and the operator\'s answer in the topic reaches the user', async () => {
    h.tg.setForum(OPS, true);
    await ivanLeavesAMessage();
    const threadId = (h.tg.callsTo('createForumTopic')[0]!.result as { message_thread_id: number }).message_thread_id;
    expect(toOps().at(-1)!.params).toMatchObject({ message_thread_id: threadId, text: expect.stringContaining('/reopen 1') });

    await h.post(h.updates.groupText(OPS, boris, '/reopen', { threadId, isForum: true }));
    await h.settled();
    expect(toOps().at(-1)!.params).toMatchObject({ message_thread_id: threadId, text: '🔓 Dialog #1 reopened by Boris: messages reach the user again.' });
    const answer = h.updates.groupText(OPS, boris, 'Отвечаю на ваше сообщение', { threadId, isForum: true });
    await h.post(answer);
    await h.settled();
    expect(copiesTo(ivan.id).map((c) => c.params.message_id)).toEqual([answer.message.message_id]);
    expect(h.tg.callsTo('createForumTopic')).toHaveLength(1); // the same topic carries on
  });

  it('is refused for a dialog that does not exist, one that is open, one that had no ticket, and when the user has another open dialog (named)', async () => {
    await h.post(h.updates.groupText(OPS, anna, '/reopen 99'));
    await h.settled();
    expect(opsTexts().at(-1)).toBe('There is no dialog #99.');

    await ivanLeavesAMessage();
    // Ivan writes again: a new dialog, #2, the bot answers it.
    h.ai.enqueue({ text: 'Чем помочь?' });
    await h.post(h.updates.text(ivan, 'Ещё вопрос'));
    await h.settled();
    await h.post(h.updates.groupText(OPS, boris, '/reopen 1'));
    await h.settled();
    expect(opsTexts().at(-1)).toBe('Not reopened: the user has another open dialog, #2; answer there (/take 2).');
    await h.post(h.updates.groupText(OPS, boris, '/reopen 2'));
    await h.settled();
    expect(opsTexts().at(-1)).toBe('Dialog #2 is open: there is nothing to reopen.');
    // Dialog #2 is closed through the admin API without ever reaching the operators: no ticket to answer in.
    const closed = await fetch(`${h.svc.url}/api/dialogs/2/close`, { method: 'POST', headers: { authorization: `Bearer ${h.config.adminToken}` } });
    expect(closed.status).toBe(200);
    await h.settled();
    await h.post(h.updates.groupText(OPS, boris, '/reopen 2'));
    await h.settled();
    expect(opsTexts().at(-1)).toBe('Dialog #2 was not reopened: it never reached the operators (it had no ticket); the bot handled it.');
    expect(await h.services.db('dialogs').orderBy('id').pluck('state')).toEqual(['closed', 'closed']);
  });
});

describe('the reminders name how long the user has waited', () => {
  it('a reminder every 12 minutes by the clock says "user waits 12 min", then "24 min"', async () => {
    const clock = new FakeClock('2026-12-08T09:00:00Z');
    h = await startHarness({ OPERATOR_WAIT_SECONDS: '720', QUEUE_TIMEOUT_MINUTES: 'off' }, { clock });
    await ivanWaits();
    const reminders = () => opsTexts().filter((t) => t.startsWith('⏰'));
    clock.advance(12 * 60_000);
    await h.tg.waitFor(() => reminders().length === 1);
    clock.advance(12 * 60_000);
    await h.tg.waitFor(() => reminders().length === 2);
    expect(reminders()).toEqual([
      '⏰ Dialog #1 is still waiting for an operator (user waits 12 min): /take 1',
      '⏰ Dialog #1 is still waiting for an operator (user waits 24 min): /take 1',
    ]);
  });
});

describe('the reminders while the queue timeout\'s question is open', () => {
  it('the group is reminded, but the user answering the question is not told "you are in the queue" again', async () => {
    const clock = new FakeClock('2026-12-08T09:00:00Z');
    h = await startHarness({ QUEUE_TIMEOUT_MINUTES: '10', OPERATOR_WAIT_SECONDS: '720' }, { clock });
    await ivanWaits();
    clock.advance(10 * 60_000);
    await questionArrives();
    clock.advance(2 * 60_000);
    await h.tg.waitFor(() => opsTexts().some((t) => t.startsWith('⏰')));
    await h.settled();
    expect(opsTexts().filter((t) => t.startsWith('⏰'))).toEqual(['⏰ Dialog #1 is still waiting for an operator (user waits 12 min): /take 1']);
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe(QUESTION);
  });
});

describe('the queue timeout and working hours', () => {
  it('outside hours it counts from the opening: nothing over the weekend, the question 15 minutes after Monday 9:00', async () => {
    const clock = new FakeClock('2026-12-04T17:00:00Z'); // Friday 20:00 in Moscow
    h = await startHarness({ OPERATOR_HOURS: 'Mon-Fri 09:00-18:00', OPERATOR_TIMEZONE: 'Europe/Moscow', QUEUE_TIMEOUT_MINUTES: '15', OPERATOR_WAIT_SECONDS: '3600' }, { clock });
    await ivanWaits();
    clock.set('2026-12-07T06:10:00Z'); // Monday 9:10
    await new Promise((r) => setTimeout(r, 500)); // a few of the timer poller's rounds
    await h.settled();
    expect(h.tg.textsTo(ivan.id)).not.toContain(QUESTION);
    clock.set('2026-12-07T06:15:00Z'); // Monday 9:15
    await questionArrives();
  });
});
