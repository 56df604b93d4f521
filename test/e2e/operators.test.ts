import { alice, anna, boris, ivan, OPS, startHarness, stranger, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const toOps = () => h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === OPS);
const opsTexts = () => h.tg.textsTo(OPS);
const copiesTo = (chatId: number) => h.tg.callsTo('copyMessage').filter((c) => c.params.chat_id === chatId);

/** A user asks for a human and the ticket lands in the operators' group; returns the ticket's message id. */
async function handOff(user = ivan, text = 'Позовите оператора, пожалуйста'): Promise<number> {
  await h.post(h.updates.text(user, text));
  await h.tg.waitFor(() => toOps().length >= 1);
  await h.settled();
  return (toOps()[0]!.result as { message_id: number }).message_id;
}

describe('handing a dialog to a human', () => {
  it('a Russian request: «Переключаю на человека…» and a ticket with the reason, last messages, a Take button and /take', async () => {
    await h.post(h.updates.text(ivan, 'Здравствуйте, не приходит заказ'));
    await h.settled();
    await handOff(ivan, 'Соедините с живым человеком');

    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Переключаю на человека…');
    const ticket = toOps()[0]!;
    const text = opsTexts()[0]!;
    expect(text).toContain('Dialog #1');
    expect(text).toContain('Иван (@ivan)');
    expect(text).toContain('rules.request_human');
    expect(text).toContain('Здравствуйте, не приходит заказ');
    expect(text).toContain('/take 1');
    expect(JSON.stringify(ticket.params.reply_markup)).toContain('take:1');
    expect(h.ai.requests).toHaveLength(1); // the request for a human never reached the LLM
    const row = await h.services.db('dialogs').first();
    expect(row).toMatchObject({ state: 'awaitingOperator', handoff_reason: 'rules.request_human', handoff_layer: 'rules' });
  });

  it('the ticket quotes the bot\'s answers as the words the user read, not their Markdown', async () => {
    h.ai.enqueue({ text: '**Delivery** takes _2 days_; see [the rules](https://example.com/rules).' });
    await h.post(h.updates.text(alice, 'How long is delivery?'));
    await h.settled();
    await handOff(alice, 'Can I talk to a real person please?');
    const ticket = opsTexts()[0]!;
    expect(ticket).toContain('Delivery takes 2 days; see the rules.');
    expect(ticket).not.toMatch(/\*\*|_2 days_|\]\(/);
  });

  it('an English request: "Switching you to a human…" and a ticket', async () => {
    await handOff(alice, 'Can I talk to a real person please?');
    expect(h.tg.textsTo(alice.id)).toEqual(['Switching you to a human…']);
    expect(opsTexts()[0]).toContain('Alice (@alice)');
  });

  it('/operator and the "Talk to a human" button hand off as explicit requests', async () => {
    await h.post(h.updates.command(alice, 'operator'));
    await h.tg.waitFor(() => toOps().length === 1);
    await h.post(h.updates.callback(ivan, 'human'));
    await h.tg.waitFor(() => toOps().length === 2);
    await h.settled();
    const layers = await h.services.db('dialogs').orderBy('id').pluck('handoff_layer');
    expect(layers).toEqual(['explicit', 'explicit']);
    expect(h.tg.callsTo('answerCallbackQuery')).toHaveLength(1);
  });

  it('the LLM\'s transfer_to_human tool call hands off, with its reason recorded', async () => {
    h.ai.enqueue({ toolCall: { name: 'transfer_to_human', arguments: { reason: 'refund_request' } } });
    await h.post(h.updates.text(alice, 'I was charged twice and want my money back'));
    await h.tg.waitFor(() => toOps().length === 1);
    expect(h.tg.textsTo(alice.id)).toEqual(['Switching you to a human…']);
    expect(opsTexts()[0]).toContain('llm.refund_request');
    const transition = await h.services.db('dialog_transitions').where({ to_state: 'handoffRequested.posting' }).first();
    expect(transition).toMatchObject({ reason: 'llm.refund_request', layer: 'llm', event: 'llm.transfer' });
  });

  it('a photo sent to the bot gets a text-only hint, and reaches the operators with the ticket', async () => {
    const photo = h.updates.photo(ivan);
    await h.post(photo);
    await h.settled();
    expect(h.tg.textsTo(ivan.id)).toEqual(['Я понимаю только текст. Опишите, пожалуйста, словами — или напишите /operator, и я передам это человеку.']);
    expect(h.ai.requests).toHaveLength(0);

    await h.post(h.updates.command(ivan, 'operator'));
    await h.settled();
    expect(opsTexts()[0]).toContain('[photo]');
    expect(copiesTo(OPS).map((c) => c.params.message_id)).toEqual([(photo as { message: { message_id: number } }).message.message_id]);
  });

  it('an operator who writes before taking the dialog is told to take it first; nothing reaches the user', async () => {
    const ticketId = await handOff();
    await h.post(h.updates.groupText(OPS, anna, 'Здравствуйте!', { replyToMessageId: ticketId }));
    await h.settled();
    expect(opsTexts().at(-1)).toBe('Not sent: take the dialog first with /take 1');
    expect(copiesTo(ivan.id)).toHaveLength(0);
  });

  it('a stranger\'s /take is refused and the dialog stays waiting', async () => {
    await handOff();
    h.tg.setChatMember(OPS, stranger.id, 'left');
    await h.post(h.updates.groupText(OPS, stranger, '/take 1'));
    await h.settled();
    expect(opsTexts().at(-1)).toBe("Only members of the operators' group can take or close dialogs.");
    expect((await h.services.db('dialogs').first()).state).toBe('awaitingOperator');

    await h.post(h.updates.text(stranger, '/take 1'));
    await h.settled();
    expect(h.tg.textsTo(stranger.id)).toEqual(['This command is for operators, in their group.']);
  });

  it('take, relay both ways (text and a photo), /close, and the bot answers again', async () => {
    const ticketId = await handOff();
    await h.post(h.updates.groupText(OPS, anna, '/take 1'));
    await h.settled();
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Оператор подключился к диалогу.');
    expect(opsTexts().at(-1)).toBe('✅ Dialog #1 taken by Anna.');

    // The user writes: the message is copied into the operators' chat, under the ticket.
    await h.post(h.updates.text(ivan, 'У меня не проходит оплата'));
    await h.post(h.updates.photo(ivan, 'скриншот ошибки'));
    await h.settled();
    expect(copiesTo(OPS).map((c) => [c.params.from_chat_id, c.params.reply_parameters])).toEqual([
      [ivan.id, { message_id: ticketId, allow_sending_without_reply: true }],
      [ivan.id, { message_id: ticketId, allow_sending_without_reply: true }],
    ]);

    // Anna replies to the relayed copy with text, then with a photo: both reach the user.
    const relayed = (copiesTo(OPS)[0]!.result as { message_id: number }).message_id;
    const reply = h.updates.groupText(OPS, anna, 'Сейчас проверю', { replyToMessageId: relayed });
    const photo = h.updates.groupPhoto(OPS, anna, { replyToMessageId: ticketId, caption: 'Вот так' });
    await h.post(reply);
    await h.post(photo);
    await h.settled();
    expect(copiesTo(ivan.id).map((c) => c.params.message_id)).toEqual([
      (reply as { message: { message_id: number } }).message.message_id,
      (photo as { message: { message_id: number } }).message.message_id,
    ]);
    expect(h.ai.requests).toHaveLength(0); // the LLM is never called while an operator owns the dialog

    // Boris cannot take it: it is Anna's.
    await h.post(h.updates.groupText(OPS, boris, '/take 1'));
    await h.settled();
    expect(opsTexts().at(-1)).toBe('Dialog #1 is already taken by Anna.');

    await h.post(h.updates.groupText(OPS, anna, '/close', { replyToMessageId: ticketId }));
    await h.settled();
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Диалог завершён. Если появятся вопросы — просто напишите, я на связи.');

    await h.post(h.updates.text(ivan, 'Спасибо! А как сменить email?'));
    await h.settled();
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Ответ: Спасибо! А как сменить email?');
    expect(await h.services.db('dialogs').orderBy('id').pluck('state')).toEqual(['closed', 'botActive']);
    const messages = await h.services.db('messages').where({ dialog_id: 1 }).orderBy('id').pluck('sender');
    expect(messages).toEqual(expect.arrayContaining(['user', 'operator', 'system']));
  });

  it('Redis flushed in the middle of an operator conversation, and it goes on', async () => {
    await handOff();
    await h.post(h.updates.groupText(OPS, anna, '/take 1'));
    await h.settled();
    await h.services.redis.flushdb();

    await h.post(h.updates.text(ivan, 'Вы ещё здесь?'));
    await h.settled();
    expect(copiesTo(OPS)).toHaveLength(1);
    await h.post(h.updates.groupText(OPS, anna, 'Да, здесь', { replyToMessageId: (copiesTo(OPS)[0]!.result as { message_id: number }).message_id }));
    await h.settled();
    expect(copiesTo(ivan.id)).toHaveLength(1);
    expect(h.ai.requests).toHaveLength(0);
  });

  it('/bot while waiting goes back to the bot, and the operators are told', async () => {
    await handOff(alice, 'human please');
    await h.post(h.updates.command(alice, 'bot'));
    await h.settled();
    expect(h.tg.textsTo(alice.id).at(-1)).toBe('You are back with the bot. How can I help?');
    expect(opsTexts().at(-1)).toBe('The user of dialog #1 went back to the bot.');
    await h.post(h.updates.text(alice, 'What is the refund policy?'));
    await h.settled();
    expect(h.tg.textsTo(alice.id).at(-1)).toBe('Ответ: What is the refund policy?');
  });

  it('a user who blocked the bot closes the dialog cleanly', async () => {
    await handOff();
    await h.post(h.updates.groupText(OPS, anna, '/take 1'));
    await h.settled();
    h.tg.blockBy(ivan.id);
    await h.post(h.updates.groupText(OPS, anna, 'Проверил, всё в порядке', { replyToMessageId: (toOps()[0]!.result as { message_id: number }).message_id }));
    await h.settled();
    const dialog = await h.services.db('dialogs').first();
    expect(dialog.state).toBe('closed');
    expect(dialog.context.closeReason).toBe('blocked');
    expect(opsTexts().at(-1)).toBe('🔒 Dialog #1 is closed.');
  });

  it('a medium-confidence request asks first; "No" keeps the bot', async () => {
    await h.post(h.updates.text(alice, 'is there a real person here?'));
    await h.settled();
    expect(h.tg.textsTo(alice.id)).toEqual(['Switch you to a human?']);
    const ask = h.tg.callsTo('sendMessage').at(-1)!;
    await h.post(h.updates.callback(alice, 'handoff:no', { chatId: alice.id, messageId: (ask.result as { message_id: number }).message_id }));
    await h.settled();
    expect(h.tg.textsTo(alice.id).at(-1)).toBe('All right, let us carry on. How can I help?');
    expect(toOps()).toHaveLength(0);
    expect(h.tg.callsTo('editMessageReplyMarkup')).toHaveLength(1);
  });

  it('a typed "да" answers "Switch you to a human?" like the Yes button', async () => {
    await h.post(h.updates.text({ ...alice, language_code: 'ru' }, 'is there a real person here?'));
    await h.settled();
    expect(h.tg.textsTo(alice.id)).toEqual(['Переключить вас на человека?']);
    await h.post(h.updates.text({ ...alice, language_code: 'ru' }, 'да'));
    await h.settled();
    expect(h.tg.textsTo(alice.id).at(-1)).toBe('Переключаю на человека…');
    expect(toOps()).toHaveLength(1);
    expect(h.ai.requests).toHaveLength(0);
  });
});

describe('an operator stepping in while the LLM is writing', () => {
  it('the pending LLM request is cancelled and its answer never reaches the user', async () => {
    h.ai.setLatency(2500);
    await h.post(h.updates.text(ivan, 'Как вернуть деньги?'));
    await h.ai.waitForRequests(1);
    await h.post(h.updates.groupText(OPS, anna, '/take 1'));
    await h.tg.waitFor(() => h.tg.textsTo(ivan.id).includes('Оператор подключился к диалогу.'));
    await h.settled();
    await new Promise((r) => setTimeout(r, 2700)); // past the moment the LLM would have answered
    expect(h.tg.textsTo(ivan.id)).toEqual(['Оператор подключился к диалогу.']);
    expect((await h.services.db('dialogs').first()).state).toBe('operatorActive');
  });
});

describe('operators in a forum supergroup', () => {
  it('each dialog gets its own topic; operators write in it; a deleted topic is created again', async () => {
    h.tg.setForum(OPS, true);
    await handOff();
    const [topic] = h.tg.callsTo('createForumTopic');
    expect(topic!.params.name).toBe('#1 Иван');
    const threadId = (topic!.result as { message_thread_id: number }).message_thread_id;
    expect(toOps()[0]!.params.message_thread_id).toBe(threadId);

    await h.post(h.updates.groupText(OPS, anna, '/take', { threadId, isForum: true }));
    await h.settled();
    await h.post(h.updates.groupText(OPS, anna, 'Добрый день!', { threadId, isForum: true }));
    await h.settled();
    expect(copiesTo(ivan.id)).toHaveLength(1);

    h.tg.deleteTopic(OPS, threadId);
    await h.post(h.updates.text(ivan, 'Здравствуйте'));
    await h.settled();
    const topics = h.tg.callsTo('createForumTopic');
    expect(topics).toHaveLength(2);
    const newThread = (topics[1]!.result as { message_thread_id: number }).message_thread_id;
    expect(copiesTo(OPS).at(-1)!.params.message_thread_id).toBe(newThread);

    await h.post(h.updates.groupText(OPS, anna, '/close', { threadId: newThread, isForum: true }));
    await h.settled();
    expect((await h.services.db('dialogs').first()).state).toBe('closed');
  });
});
