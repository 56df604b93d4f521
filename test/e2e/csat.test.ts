import { anna, boris, ivan, OPS, startHarness, type Harness } from './harness';

let h: Harness;
afterEach(() => h?.close());

const QUESTION = 'Как мы справились? Оцените, пожалуйста, помощь оператора от 1 до 5.';
const CLOSED = 'Диалог завершён. Если появятся вопросы — просто напишите, я на связи.';
const TOKEN = 'admin-token-for-tests-0123456789';

const toOps = () => h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === OPS);
const api = (p: string) => fetch(h.svc.adminUrl + p, { headers: { authorization: `Bearer ${TOKEN}` } }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));
const callbackAnswers = () => h.tg.callsTo('answerCallbackQuery').map((c) => c.params.text);
/** The "How did we do?" message Ivan got last: its id, and what he sees in it now (after edits). */
function question() {
  const sent = h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === ivan.id && String(c.params.text) === QUESTION).at(-1);
  if (!sent) throw new Error('Ivan was not asked to rate');
  const messageId = (sent.result as { message_id: number }).message_id;
  const now = h.tg.findMessage(ivan.id, messageId) as unknown as { text: string; reply_markup?: { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> } };
  return { messageId, text: now.text, buttons: (now.reply_markup?.inline_keyboard ?? []).flat().map((b) => [b.text, b.callback_data]) };
}
const press = async (data: string, messageId: number) => {
  await h.post(h.updates.callback(ivan, data, { chatId: ivan.id, messageId }));
  await h.settled();
};
const rating = () => h.services.db('ratings').where({ dialog_id: 1 }).first();

/** Ivan's dialog 1 handed to Anna, who closes it with /close; the ticket's message id. */
async function closedByAnna(): Promise<number> {
  const ticketId = await h.ticketTakenByAnna();
  await h.post(h.updates.groupText(OPS, anna, '/close 1'));
  await h.settled();
  return ticketId;
}

describe('ratings after /close (CSAT)', () => {
  it('a rating after /close is stored with the dialog and the operator, shown in the topic, counted in /metrics; a second press changes nothing', async () => {
    h = await startHarness({ CSAT: 'true' });
    const ticketId = await closedByAnna();
    expect(h.tg.textsTo(ivan.id).slice(-2)).toEqual([CLOSED, QUESTION]);
    const asked = question();
    expect(asked.buttons).toEqual([1, 2, 3, 4, 5].map((n) => [String(n), `rate:1:${n}`]));

    await press('rate:1:4', asked.messageId);
    expect(callbackAnswers().at(-1)).toBe('Спасибо за оценку!');
    // The question now shows the choice; the score buttons are gone, one "Add a comment" is offered.
    expect(question()).toEqual({ messageId: asked.messageId, text: 'Ваша оценка: ★★★★☆. Спасибо!', buttons: [['✍️ Добавить комментарий', 'rate:1:comment']] });
    const shown = toOps().at(-1)!;
    expect(shown.params.text).toBe('★★★★☆ 4 from the user (dialog #1, Anna)');
    expect(JSON.stringify(shown.params.reply_parameters ?? shown.params.reply_to_message_id)).toContain(String(ticketId));
    expect(await rating()).toMatchObject({ score: 4, operator_telegram_id: String(anna.id), operator_name: 'Anna', comment: null });

    // A second press (a stale client still showing the buttons) changes nothing.
    await press('rate:1:1', asked.messageId);
    expect(callbackAnswers().at(-1)).toBe('Вы уже оценили этот диалог — спасибо!');
    expect((await rating()).score).toBe(4);
    expect(toOps().filter((c) => String(c.params.text).startsWith('★'))).toHaveLength(1);

    const metrics = await (await fetch(`${h.svc.adminUrl}/metrics`)).text();
    expect(metrics).toContain(`bot_csat_rating_count{operator="${anna.id}"} 1`);
    expect(metrics).toContain(`bot_csat_rating_sum{operator="${anna.id}"} 4`);
    expect(metrics).toContain(`bot_csat_rating_bucket{le="3",operator="${anna.id}"} 0`);
    expect(metrics).toContain(`bot_csat_rating_bucket{le="4",operator="${anna.id}"} 1`);

    // /history in Ivan's next dialog shows the rating of the first.
    await h.post(h.updates.text(ivan, '/operator'));
    await h.tg.waitFor(() => toOps().some((c) => String(c.params.text).startsWith('🆘 <b>Dialog #2')));
    await h.settled();
    await h.post(h.updates.groupText(OPS, anna, '/history 2'));
    await h.settled();
    expect(String(toOps().at(-1)!.params.text)).toMatch(/^🗂 Earlier dialogs of the user of dialog #2:\n<b>#1<\/b> .* closed by an operator \(Anna\) .* · ★★★★☆$/);
    expect((await api(`/api/users/${ivan.id}/dialogs`)).body.dialogs[1]).toMatchObject({ id: 1, rating: 4, ratingComment: null });
  });

  it('"Add a comment": the next message is the comment (stored, shown in the topic, the user thanked), not a question; the one after is', async () => {
    h = await startHarness({ CSAT: 'true' });
    await closedByAnna();
    const { messageId } = question();
    await press('rate:1:5', messageId);
    await press('rate:1:comment', messageId);
    expect(question()).toEqual({ messageId, text: 'Ваша оценка: ★★★★★. Напишите комментарий одним сообщением.', buttons: [] });

    const heard = h.tg.textsTo(ivan.id).length;
    await h.post(h.updates.text(ivan, 'Анна очень быстро <всё> решила'));
    await h.settled();
    expect(h.ai.requests).toHaveLength(0); // not a question for the bot
    expect(h.tg.textsTo(ivan.id).slice(heard)).toEqual(['Спасибо за комментарий! Мы передадим его команде.']);
    expect(toOps().at(-1)!.params.text).toBe('💬 The user’s comment on the rating of dialog #1: Анна очень быстро &lt;всё&gt; решила');
    expect(await rating()).toMatchObject({ score: 5, comment: 'Анна очень быстро <всё> решила' });
    expect(await h.services.db('dialogs').count<{ n: string }[]>('* as n')).toEqual([{ n: '1' }]);

    // One comment only: the next message is a question again, answered by the bot in a new dialog.
    await h.post(h.updates.text(ivan, 'Как сменить email?'));
    await h.settled();
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Ответ: Как сменить email?');
    expect((await rating()).comment).toBe('Анна очень быстро <всё> решила');
    expect((await api(`/api/users/${ivan.id}/dialogs`)).body.dialogs[1]).toMatchObject({ id: 1, rating: 5, ratingComment: 'Анна очень быстро <всё> решила' });
  });

  it('a question instead of a rating is answered by the bot, and the rating question then expires (a late press is answered politely)', async () => {
    h = await startHarness({ CSAT: 'true' });
    await closedByAnna();
    const { messageId } = question();

    await h.post(h.updates.text(ivan, 'Как сменить email?'));
    await h.settled();
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe('Ответ: Как сменить email?');
    expect(h.ai.requests).toHaveLength(1);
    expect((await h.services.db('dialogs').orderBy('id')).map((d) => [d.id, d.state])).toEqual([
      ['1', 'closed'],
      ['2', 'botActive'],
    ]);

    await press('rate:1:5', messageId);
    expect(callbackAnswers().at(-1)).toBe('Этот опрос уже закрыт — спасибо!');
    expect(question().buttons).toEqual([]); // the dead question's buttons are gone
    expect((await rating()).score).toBeNull();
    expect(toOps().filter((c) => String(c.params.text).startsWith('★'))).toHaveLength(0);
  });

  it('a question left a day expires too', async () => {
    h = await startHarness({ CSAT: 'true' });
    await closedByAnna();
    await h.services.db('ratings').update({ asked_at: h.services.db.raw("now() - interval '25 hours'") });
    await press('rate:1:3', question().messageId);
    expect(callbackAnswers().at(-1)).toBe('Этот опрос уже закрыт — спасибо!');
    expect((await rating()).score).toBeNull();
  });

  it('no question after an idle close or a close through the admin API', async () => {
    h = await startHarness({ CSAT: 'true' });
    await h.ticketTakenByAnna();
    await h.services.db('dialog_timers').where({ name: 'idle' }).update({ due_at: h.services.db.raw("now() - interval '1 second'") });
    await h.tg.waitFor(() => h.tg.textsTo(ivan.id).includes('Диалог закрыт из-за отсутствия активности. Напишите, если нужна помощь.'));
    await h.settled();
    expect(h.tg.textsTo(ivan.id)).not.toContain(QUESTION);

    await h.post(h.updates.text(ivan, 'Позовите оператора'));
    await h.tg.waitFor(() => toOps().some((c) => String(c.params.text).startsWith('🆘 <b>Dialog #2')));
    await h.settled();
    await h.post(h.updates.groupText(OPS, boris, '/take 2'));
    await h.settled();
    const closed = await fetch(`${h.svc.adminUrl}/api/dialogs/2/close`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(closed.status).toBe(200);
    await h.settled();
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe(CLOSED);
    expect(h.tg.textsTo(ivan.id)).not.toContain(QUESTION);
    expect(await h.services.db('ratings').count<{ n: string }[]>('* as n')).toEqual([{ n: '0' }]);
  });

  it('CSAT=false: no question after /close', async () => {
    h = await startHarness({ CSAT: 'false' });
    await closedByAnna();
    expect(h.tg.textsTo(ivan.id).at(-1)).toBe(CLOSED);
    expect(h.tg.textsTo(ivan.id)).not.toContain(QUESTION);
    expect(await h.services.db('ratings').count<{ n: string }[]>('* as n')).toEqual([{ n: '0' }]);
  });
});
