import { FakeClock } from '../support/fake.clock';
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

  it('when posting the stars fails, the press is carried out again: the stars reach the topic once, the rating is stored and counted once', async () => {
    h = await startHarness({ CSAT: 'true' });
    await closedByAnna();
    h.tg.failNext('sendMessage', { status: 502, times: 4 }); // the client's four tries: the effect fails once
    await press('rate:1:3', question().messageId);
    await h.tg.waitFor(() => toOps().some((c) => String(c.params.text).startsWith('★')), 20_000);
    await h.settled();
    expect(toOps().filter((c) => String(c.params.text).startsWith('★')).map((c) => c.params.text)).toEqual(['★★★☆☆ 3 from the user (dialog #1, Anna)']);
    expect(question().text).toBe('Ваша оценка: ★★★☆☆. Спасибо!');
    expect((await rating()).score).toBe(3);
    const metrics = await (await fetch(`${h.svc.adminUrl}/metrics`)).text();
    expect(metrics).toContain(`bot_csat_rating_count{operator="${anna.id}"} 1`);
  });

  it('in a forum group the stars and the comment are posted in the dialog\'s topic', async () => {
    h = await startHarness({ CSAT: 'true' });
    h.tg.setForum(OPS, true);
    await closedByAnna();
    const threadId = (h.tg.callsTo('createForumTopic')[0]!.result as { message_thread_id: number }).message_thread_id;
    const { messageId } = question();
    await press('rate:1:2', messageId);
    await press('rate:1:comment', messageId);
    await h.post(h.updates.text(ivan, 'Долго ждал ответа'));
    await h.settled();
    expect(toOps().slice(-2).map((c) => [c.params.text, c.params.message_thread_id])).toEqual([
      ['★★☆☆☆ 2 from the user (dialog #1, Anna)', threadId],
      ['💬 The user’s comment on the rating of dialog #1: Долго ждал ответа', threadId],
    ]);
  });

  it('a user who pressed "Add a comment" and then asked for a person has moved on: the next message goes to the new ticket, not into the comment', async () => {
    h = await startHarness({ CSAT: 'true' });
    await closedByAnna();
    const { messageId } = question();
    await press('rate:1:4', messageId);
    await press('rate:1:comment', messageId);
    await h.post(h.updates.text(ivan, '/operator'));
    await h.tg.waitFor(() => toOps().some((c) => String(c.params.text).startsWith('🆘 <b>Dialog #2')));
    await h.settled();
    const copies = h.tg.callsTo('copyMessage').length;
    await h.post(h.updates.text(ivan, 'Заказ 123 так и не пришёл'));
    await h.settled();
    expect(h.tg.callsTo('copyMessage')).toHaveLength(copies + 1); // relayed to the new ticket
    expect((await rating()).comment).toBeNull();
    expect(h.tg.textsTo(ivan.id)).not.toContain('Спасибо за комментарий! Мы передадим его команде.');
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

  it('a question left a day expires too (by the service\'s clock)', async () => {
    const clock = new FakeClock('2026-12-04T10:00:00Z');
    h = await startHarness({ CSAT: 'true' }, { clock });
    await closedByAnna();
    clock.advance(25 * 3600_000);
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

/** A seeded dialog: its handoff time, then the waits and handling times it had, and its rating. */
interface Seeded {
  operator: typeof anna;
  handoffAt: string;
  /** Seconds from the handoff to the take; with `released`, the dialog went back to the queue that long after the take and waited `retake` more. */
  wait?: number;
  released?: { after: number; retake: number };
  /** Seconds from the (last) take to the operator's /close. */
  handling?: number;
  score?: number;
}

/** Writes dialogs as the service would have recorded them: a user, the dialog, its transitions at known times, its rating. */
async function seed(dialogs: Seeded[]): Promise<void> {
  const db = h.services.db;
  for (const [i, s] of dialogs.entries()) {
    const id = i + 1;
    const chatId = 2000 + id;
    const [user] = await db('users').insert({ telegram_id: chatId, first_name: `User ${id}` }).returning('id');
    const t0 = Date.parse(s.handoffAt);
    const at = (seconds: number) => new Date(t0 + seconds * 1000);
    const rows: Array<[string | null, string, string, Date]> = [
      [null, 'botActive', 'dialog.start', at(-30)],
      ['botActive', 'handoffRequested.posting', 'user.requestHuman', at(0)],
      ['handoffRequested.posting', 'awaitingOperator', 'ticket.posted', at(1)],
    ];
    let took = s.wait;
    if (took !== undefined) {
      rows.push(['awaitingOperator', 'operatorActive', 'operator.take', at(took)]);
      if (s.released) {
        rows.push(['operatorActive', 'awaitingOperator', 'operator.release', at(took + s.released.after)]);
        took += s.released.after + s.released.retake;
        rows.push(['awaitingOperator', 'operatorActive', 'operator.take', at(took)]);
      }
      if (s.handling !== undefined) rows.push(['operatorActive', 'closed', 'operator.close', at(took + s.handling)]);
    }
    const closedAt = rows.at(-1)![3];
    await db('dialogs').insert({
      id, user_id: user.id, chat_id: chatId, state: 'closed', state_value: JSON.stringify('closed'), machine_version: 2,
      context: JSON.stringify({ operator: { id: s.operator.id, name: s.operator.first_name }, ticket: null }), closed_at: closedAt, created_at: at(-30),
    });
    await db('dialog_transitions').insert(rows.map(([from, to, event, created]) => ({ dialog_id: id, from_state: from, to_state: to, event, actor: 'user', created_at: created })));
    if (s.score !== undefined) {
      await db('ratings').insert({ dialog_id: id, user_telegram_id: chatId, operator_telegram_id: s.operator.id, operator_name: s.operator.first_name, asked_at: closedAt, score: s.score, rated_at: new Date(closedAt.getTime() + 60_000) });
    }
  }
}

/** The median as percentile_cont(0.5) defines it: the middle value, or the mean of the two middle ones. */
function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

describe('GET /api/stats', () => {
  it('gives handoffs, the median wait before /take, the median handling time and ratings by operator over a range of days', async () => {
    h = await startHarness({}, { clock: new FakeClock('2026-11-12T15:00:00Z') });
    const inRange: Seeded[] = [
      { operator: anna, handoffAt: '2026-11-10T10:00:00Z', wait: 60, handling: 600, score: 5 },
      { operator: anna, handoffAt: '2026-11-10T12:00:00Z', wait: 120, handling: 900, score: 4 },
      // Taken after 300 s, given back to the queue 100 s later, taken again 30 s after that.
      { operator: boris, handoffAt: '2026-11-11T09:00:00Z', wait: 300, released: { after: 100, retake: 30 }, handling: 1200, score: 2 },
      { operator: boris, handoffAt: '2026-11-11T23:00:00Z' }, // still waiting at the end of the range
    ];
    const outside: Seeded[] = [{ operator: anna, handoffAt: '2026-11-13T08:00:00Z', wait: 5000, handling: 9000, score: 1 }];
    await seed([...inRange, ...outside]);

    const res = await api('/api/stats?from=2026-11-10&to=2026-11-11');
    expect(res.status).toBe(200);
    const waits = [60, 120, 300, 30]; // every take ends a wait: the retake's began at the release
    const handling = [600, 900, 1200];
    expect(res.body).toEqual({
      from: '2026-11-10',
      to: '2026-11-11',
      handoffs: 4,
      waitBeforeTake: { count: 4, medianSeconds: median(waits) },
      handling: { count: 3, medianSeconds: median(handling) },
      ratings: {
        count: 3,
        average: Math.round(((5 + 4 + 2) / 3) * 100) / 100,
        distribution: { '1': 0, '2': 1, '3': 0, '4': 1, '5': 1 },
        byOperator: [
          { operatorId: anna.id, operatorName: 'Anna', count: 2, average: 4.5, distribution: { '1': 0, '2': 0, '3': 0, '4': 1, '5': 1 } },
          { operatorId: boris.id, operatorName: 'Boris', count: 1, average: 2, distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 0 } },
        ],
      },
    });
    expect(median(waits)).toBe(90);

    // The day after holds only the dialog outside the first range.
    const later = await api('/api/stats?from=2026-11-13&to=2026-11-13');
    expect(later.body).toMatchObject({ handoffs: 1, waitBeforeTake: { count: 1, medianSeconds: 5000 }, handling: { count: 1, medianSeconds: 9000 }, ratings: { count: 1, average: 1 } });

    // By default the last 30 days, today (the service's clock: 2026-11-12) included: the first range's figures, the 13th not yet.
    const recent = await api('/api/stats');
    expect(recent.body).toEqual({ ...res.body, from: '2026-10-14', to: '2026-11-12' });
  });

  it('refuses a bad range with 400 and a message that says what to fix', async () => {
    h = await startHarness();
    const refused = async (query: string) => {
      const res = await api(`/api/stats?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      return res.body.error.message as string;
    };
    expect(await refused('from=2026-11-12&to=2026-11-10')).toBe('from (2026-11-12) is after to (2026-11-10): give from <= to, e.g. ?from=2026-11-01&to=2026-11-30');
    expect(await refused('from=2026-02-30&to=2026-03-01')).toBe('from: is not a date of the calendar');
    expect(await refused('to=yesterday')).toBe('to: must be a date written YYYY-MM-DD, such as 2026-12-01');
    expect(await refused('from=2024-01-01&to=2026-01-01')).toBe('the range is 732 days: ask for 366 days at most');
    expect(await refused('since=2026-11-01')).toMatch(/since|Unrecognized|unrecognized/);
    expect((await fetch(`${h.svc.adminUrl}/api/stats`)).status).toBe(401);
  });
});
