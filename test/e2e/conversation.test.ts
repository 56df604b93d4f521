import { alice, ivan, OPS, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const sentTo = (chatId: number) => h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === chatId);

/** The user messages after the model's last turn: what one answer has to address. */
function unanswered(messages: Array<{ role: string; content: string }>): string[] {
  const lastAnswer = messages.map((m) => m.role).lastIndexOf('assistant');
  return messages.slice(lastAnswer + 1).filter((m) => m.role === 'user').map((m) => m.content);
}

/** The questions the answers covered, in the order the answers arrived. */
function covered(answers: string[]): string[] {
  return answers.flatMap((a) => a.replace(/^Ответ: /, '').split(' + '));
}

describe('a user talks to the bot', () => {
  it('answers a question with the earlier turns in the LLM\'s context', async () => {
    h.ai.enqueue({ text: 'Здравствуйте, Иван! Чем помочь?' }, { text: 'Откройте **Настройки → Безопасность**.' });
    expect(await h.post(h.updates.text(ivan, 'Привет, я Иван'))).toBe(200);
    await h.tg.waitFor(() => sentTo(ivan.id).length === 1);
    await h.post(h.updates.text(ivan, 'Как сменить пароль?'));
    await h.tg.waitFor(() => sentTo(ivan.id).length === 2);

    const second = h.ai.requests[1]!.body;
    expect(second.model).toBe('gpt-4o-mini');
    expect(second.messages[0].role).toBe('system');
    expect(second.messages.slice(1)).toEqual([
      { role: 'user', content: 'Привет, я Иван' },
      { role: 'assistant', content: 'Здравствуйте, Иван! Чем помочь?' },
      { role: 'user', content: 'Как сменить пароль?' },
    ]);
    expect(second.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['transfer_to_human']);
    expect(h.tg.textsTo(ivan.id)).toEqual(['Здравствуйте, Иван! Чем помочь?', 'Откройте Настройки → Безопасность.']);
    expect(sentTo(ivan.id)[1]!.params).toMatchObject({ parse_mode: 'HTML', text: 'Откройте <b>Настройки → Безопасность</b>.' });
    // Both answers came at once: no "typing…" was needed.
    expect(h.tg.callsTo('sendChatAction')).toEqual([]);
  });

  it('with STREAMING=false, shows "typing…" while the LLM takes its time, and no drafts', async () => {
    await h.restart({ STREAMING: 'false' });
    h.ai.setLatency(1_500);
    await h.post(h.updates.text(ivan, 'Расскажите подробно про тарифы'));
    await h.tg.waitFor(() => sentTo(ivan.id).length === 1);
    const typing = h.tg.callsTo('sendChatAction');
    expect(typing.map((c) => [c.params.chat_id, c.params.action])).toEqual([[ivan.id, 'typing']]);
    expect(typing[0]!.at).toBeLessThan(sentTo(ivan.id)[0]!.at);
    expect(h.tg.callsTo('sendMessageDraft')).toEqual([]);
  });

  it('greets on /start with a "Talk to a human" button', async () => {
    await h.post(h.updates.command(alice, 'start'));
    await h.tg.waitFor(() => sentTo(alice.id).length === 1);
    const greeting = sentTo(alice.id)[0]!.params;
    expect(String(greeting.text)).toContain('I am the support bot');
    expect(JSON.stringify(greeting.reply_markup)).toContain('Talk to a human');
    expect(h.ai.requests).toHaveLength(0);
  });

  it('one update delivered three times gets one answer', async () => {
    const update = h.updates.text(alice, 'What are your opening hours?');
    const statuses = [await h.post(update), await h.post(update), await h.post(update)];
    expect(statuses).toEqual([200, 200, 200]);
    await h.settled();
    expect(h.ai.requests).toHaveLength(1);
    expect(h.tg.textsTo(alice.id)).toEqual(['Ответ: What are your opening hours?']);
  });

  it('12 messages sent at once in one chat: every one is answered or merged into a later answer, in order, none dropped', async () => {
    h.ai.setLatency(15);
    // The fake answers every user message since the model's last turn, so an answer shows what it covers.
    h.ai.setResponder((req) => ({ text: `Ответ: ${unanswered(req.body.messages).join(' + ')}` }));
    const texts = Array.from({ length: 12 }, (_, i) => `question ${i + 1}`);
    for (const text of texts) expect(await h.post(h.updates.text(alice, text))).toBe(200);
    await h.tg.waitFor(() => covered(h.tg.textsTo(alice.id)).includes('question 12'), 15_000);
    await h.settled();
    const answers = h.tg.textsTo(alice.id);
    // Each question is in exactly one answer, and the answers come in the order of the questions.
    expect(covered(answers)).toEqual(texts);
    expect(answers.length).toBeGreaterThanOrEqual(1);
    expect(answers.length).toBeLessThanOrEqual(12);
  });

  it('three messages sent within a second get one answer that addresses all three', async () => {
    h.ai.setLatency(600);
    h.ai.setResponder((req) => ({ text: `Ответ: ${unanswered(req.body.messages).join(' + ')}` }));
    for (const text of ['Hi', 'I ordered a lamp last week', 'where is it?']) await h.post(h.updates.text(alice, text));
    await h.tg.waitFor(() => sentTo(alice.id).length === 1);
    await h.settled();
    expect(h.tg.textsTo(alice.id)).toEqual(['Ответ: Hi + I ordered a lamp last week + where is it?']);
  });

  it('a second question sent while the first is being answered is answered too, after the first', async () => {
    await h.restart({ LLM_MERGE_WINDOW_MS: '100' });
    h.ai.setLatency(800);
    h.ai.setResponder((req) => ({ text: `Ответ: ${unanswered(req.body.messages).join(' + ')}` }));
    await h.post(h.updates.text(alice, 'How long does delivery take?'));
    await h.ai.waitForRequests(1);
    await new Promise((r) => setTimeout(r, 300)); // the first answer is being written
    await h.post(h.updates.text(alice, 'And can I pay by card?'));
    await h.tg.waitFor(() => sentTo(alice.id).length === 2, 8000);
    await h.settled();
    expect(h.tg.textsTo(alice.id)).toEqual(['Ответ: How long does delivery take?', 'Ответ: And can I pay by card?']);
    expect(h.ai.requests).toHaveLength(2);
  });

  it('a 10,000-character answer arrives as several messages, none over 4096 characters', async () => {
    const paragraph = 'Это длинный ответ модели, в котором много текста. '.repeat(40).trim();
    const long = Array.from({ length: 6 }, () => paragraph).join('\n\n');
    expect(long.length).toBeGreaterThan(10_000);
    h.ai.enqueue({ text: long });
    await h.post(h.updates.text(ivan, 'Расскажи всё'));
    await h.settled();
    const texts = h.tg.textsTo(ivan.id);
    expect(texts.length).toBeGreaterThanOrEqual(3);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(4096);
    expect(texts.join(' ').replace(/\s+/g, ' ')).toBe(long.replace(/\s+/g, ' '));
  });

  it('when the LLM is down the user gets a friendly message, never a raw error', async () => {
    h.ai.setResponder(() => ({ status: 503, message: 'upstream overloaded' }));
    await h.post(h.updates.text(alice, 'Hello?'));
    await h.settled();
    const texts = h.tg.textsTo(alice.id);
    expect(texts).toEqual(['Sorry, I cannot answer right now. Please try again in a minute.']);
    expect(texts.join()).not.toMatch(/503|overloaded|error/i);
  });

  it('after repeated LLM failures the bot offers a human with Yes/No buttons', async () => {
    h.ai.setResponder(() => ({ status: 500 }));
    await h.post(h.updates.text(ivan, 'Помогите с заказом'));
    await h.settled();
    await h.post(h.updates.text(ivan, 'Ау, помогите с заказом 123'));
    await h.settled();
    const last = sentTo(ivan.id).at(-1)!.params;
    expect(last.text).toBe('Переключить вас на человека?');
    expect(JSON.stringify(last.reply_markup)).toContain('handoff:yes');

    await h.post(h.updates.callback(ivan, 'handoff:yes', { chatId: ivan.id, messageId: Number((sentTo(ivan.id).at(-1)!.result as { message_id: number }).message_id) }));
    await h.tg.waitFor(() => h.tg.callsTo('sendMessage').some((c) => c.params.chat_id === OPS));
    expect(h.tg.textsTo(ivan.id)).toContain('Переключаю на человека…');
    const transition = await h.services.db('dialog_transitions').where({ to_state: 'handoffRequested.confirming' }).first();
    expect(transition).toMatchObject({ reason: 'failure.llm_errors', layer: 'failure' });
  });

  it('if Telegram still refuses the formatted answer, the user gets it as plain text', async () => {
    h.ai.enqueue({ text: 'Use **bold** and `code`' });
    h.tg.failNext('sendMessage', { status: 400, description: "Bad Request: can't parse entities: unsupported start tag" });
    await h.post(h.updates.text(alice, 'format?'));
    await h.settled();
    const sends = h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === alice.id);
    expect(sends.map((c) => c.params.parse_mode ?? 'plain')).toEqual(['plain']);
    expect(h.tg.textsTo(alice.id)).toEqual(['Use bold and code']);
  });

  it('a 429 from Telegram is waited out and the message still arrives', async () => {
    h.tg.failNext('sendMessage', { status: 429, retryAfter: 1 });
    await h.post(h.updates.text(alice, 'Ping'));
    await h.tg.waitFor(() => sentTo(alice.id).length === 1, 10_000);
    expect(h.tg.calls.filter((c) => c.method === 'sendMessage' && c.failedWith === 429)).toHaveLength(1);
    expect(h.tg.textsTo(alice.id)).toEqual(['Ответ: Ping']);
  });
});
