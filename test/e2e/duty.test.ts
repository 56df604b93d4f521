import { FakeClock } from '../support/fake.clock';
import { alice, anna, boris, ivan, OPS, startHarness, type Harness } from './harness';

let h: Harness;
afterEach(() => h.close());

const toOps = () => h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === OPS);
const opsTexts = () => h.tg.textsTo(OPS);
const dialog = async (id: number) => h.services.db('dialogs').where({ id }).first();
/** The ticket of dialog `n` as posted (its visible text, its HTML and its buttons). */
const ticketOf = (n: number) => {
  const call = toOps().find((c) => String(c.params.text).includes(`#${n}</b>`));
  if (!call) throw new Error(`no ticket for dialog #${n}`);
  return { text: h.tg.textsTo(OPS)[toOps().indexOf(call)]!, html: String(call.params.text), markup: call.params.reply_markup, messageId: (call.result as { message_id: number }).message_id };
};
const say = async (who: typeof anna, text: string) => {
  await h.post(h.updates.groupText(OPS, who, text));
  await h.settled();
};

describe('/online and /offline: operators on duty', () => {
  beforeEach(async () => {
    // Reminders every second, so the story sees one.
    h = await startHarness({ OPERATOR_WAIT_SECONDS: '1' });
  });

  it('are answered in the group, idempotent, kept across a restart, and the reminders mention who is on duty', async () => {
    await say(anna, '/online');
    expect(opsTexts().at(-1)).toBe('🟢 Anna is on duty.');
    const since = (await h.services.db('operator_duty').where({ operator_telegram_id: anna.id }).first()).since as Date;
    await say(anna, '/online');
    expect(opsTexts().at(-1)).toBe('🟢 Anna is on duty.');
    expect((await h.services.db('operator_duty').where({ operator_telegram_id: anna.id }).first()).since).toEqual(since);

    await say(boris, '/online');
    await say(boris, '/offline');
    expect(opsTexts().at(-1)).toBe('⚪️ Boris is off duty.');
    await say(boris, '/online');

    // Duty is kept in PostgreSQL: a deploy does not put anyone off duty.
    await h.restart();

    await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
    await h.tg.waitFor(() => opsTexts().some((t) => t.startsWith('⏰ Dialog #1')), 5000);
    const reminder = toOps().find((c) => String(c.params.text).startsWith('⏰ Dialog #1'))!;
    // Anna by her @username, Boris (who has none) by a text mention: both are notified.
    expect(h.tg.textsTo(OPS).find((t) => t.startsWith('⏰ Dialog #1'))).toBe('⏰ Dialog #1 is still waiting for an operator: /take 1\nOn duty: @anna_ops, Boris');
    expect(String(reminder.params.text)).toContain(`<a href="tg://user?id=${boris.id}">Boris</a>`);

    // Off duty, Boris is no longer mentioned.
    await say(boris, '/offline');
    const seen = toOps().length;
    await h.tg.waitFor(() => toOps().slice(seen).some((c) => String(c.params.text).startsWith('⏰ Dialog #1')), 5000);
    expect(h.tg.textsTo(OPS).slice(seen).find((t) => t.startsWith('⏰ Dialog #1'))).toBe('⏰ Dialog #1 is still waiting for an operator: /take 1\nOn duty: @anna_ops');
  });

  it('are in the operators\' command menu, in OPERATOR_LANG', async () => {
    const menus = await h.tg.waitForCalls('setMyCommands', 2);
    const parsed = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as unknown;
    const ops = menus.find((c) => JSON.stringify(parsed(c.params.scope) ?? null).includes(String(OPS)));
    const commands = parsed(ops!.params.commands) as Array<{ command: string; description: string }>;
    expect(commands.filter((c) => c.command === 'online' || c.command === 'offline')).toEqual([
      { command: 'online', description: 'I am on duty: new dialogs and reminders come to me' },
      { command: 'offline', description: 'I am off duty' },
    ]);
  });
});

describe('AUTO_ASSIGN=true: a new ticket goes to the on-duty operator with the fewest open dialogs', () => {
  beforeEach(async () => {
    h = await startHarness({ AUTO_ASSIGN: 'true' });
  });

  it('nobody on duty: the ticket waits for /take as today', async () => {
    await say(anna, '/online');
    await say(anna, '/offline');
    await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
    await h.tg.waitFor(() => toOps().length >= 3);
    await h.settled();
    expect((await dialog(1)).state).toBe('awaitingOperator');
    const ticket = ticketOf(1);
    expect(ticket.text).not.toContain('Assigned to');
    expect(JSON.stringify(ticket.markup)).toContain('take:1');
    expect(h.tg.textsTo(ivan.id)).toEqual(['Переключаю на человека…']);
  });

  it('an operator on duty who left the group gets no ticket, and is put off duty', async () => {
    await say(boris, '/online');
    h.tg.setChatMember(OPS, boris.id, 'left');
    await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
    await h.tg.waitFor(() => toOps().length >= 2);
    await h.settled();
    expect((await dialog(1)).state).toBe('awaitingOperator');
    expect(ticketOf(1).text).not.toContain('Assigned to');
    expect((await h.services.db('operator_duty').where({ operator_telegram_id: boris.id }).first()).on_duty).toBe(false);
  });

  it('Anna has one open dialog and Boris none: Alice\'s ticket goes to Boris, who is named, and who can /release it', async () => {
    // Nobody on duty yet: Ivan's ticket waits, and Anna takes it.
    await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
    await h.tg.waitFor(() => toOps().length >= 1);
    await h.settled();
    await say(anna, '/take 1');
    // Both go on duty; Boris acted last, so only the count of open dialogs makes it his (not the longest idle).
    await say(anna, '/online');
    await say(boris, '/online');

    await h.post(h.updates.text(alice, 'I want to talk to a human'));
    await h.tg.waitFor(() => h.tg.textsTo(alice.id).includes('An operator has joined the conversation.'));
    await h.settled();

    const ticket = ticketOf(2);
    expect(ticket.text).toContain('Assigned to: Boris (on duty)');
    expect(ticket.html).toContain(`<a href="tg://user?id=${boris.id}">Boris</a>`);
    expect(opsTexts()).toContain('📌 Dialog #2 is assigned to Boris (on duty). To give it back to the queue: /release');
    expect(h.tg.textsTo(alice.id)).toEqual(['Switching you to a human…', 'An operator has joined the conversation.']);
    const assigned = await dialog(2);
    expect(assigned.state).toBe('operatorActive');
    expect(assigned.context.operator).toMatchObject({ id: boris.id, name: 'Boris' });

    // Boris owns it: his reply reaches Alice.
    const reply = h.updates.groupText(OPS, boris, 'Hello Alice, Boris here', { replyToMessageId: ticket.messageId });
    await h.post(reply);
    await h.settled();
    expect(h.tg.callsTo('copyMessage').filter((c) => c.params.chat_id === alice.id).map((c) => c.params.message_id)).toEqual([reply.message.message_id]);

    // He gives it back to the queue.
    await h.post(h.updates.groupText(OPS, boris, '/release', { replyToMessageId: ticket.messageId }));
    await h.settled();
    expect((await dialog(2)).state).toBe('awaitingOperator');
    expect((await dialog(2)).context.operator).toBeNull();
    expect(h.tg.textsTo(alice.id).at(-1)).toBe('The operator passed your request back to the queue: the next free operator will answer. Back to the bot: /bot');
    expect(opsTexts()).toContain('↩️ Dialog #2 is back in the queue: /take 2');
    // Ivan's dialog stayed Anna's.
    expect((await dialog(1)).context.operator).toEqual({ id: anna.id, name: 'Anna' });
  });
});

describe('AUTO_ASSIGN=true outside working hours', () => {
  beforeEach(async () => {
    // Friday 20:00 in Moscow; operators work Mon–Fri 9:00–18:00.
    h = await startHarness({ AUTO_ASSIGN: 'true', OPERATOR_HOURS: 'Mon-Fri 09:00-18:00', OPERATOR_TIMEZONE: 'Europe/Moscow' }, { clock: new FakeClock('2026-12-04T17:00:00Z') });
  });

  it('assigns nobody: the user was told when operators are back, and the ticket waits for /take', async () => {
    await say(anna, '/online');
    await h.post(h.updates.text(ivan, 'Позовите оператора, пожалуйста'));
    await h.tg.waitFor(() => toOps().length >= 2);
    await h.settled();
    expect((await dialog(1)).state).toBe('awaitingOperator');
    expect(ticketOf(1).text).not.toContain('Assigned to');
    expect(h.tg.textsTo(ivan.id)[0]).toContain('ответим в понедельник после 9:00');
    // Anna, on duty, may still take it.
    await say(anna, '/take 1');
    expect((await dialog(1)).state).toBe('operatorActive');
  });
});
