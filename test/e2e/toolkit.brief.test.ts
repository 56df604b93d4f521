import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedRequest } from '../fakes/fake-openai';
import { ivan, OPS, startHarness, type Harness } from './harness';

let h: Harness;
afterEach(() => h.close());

const BRIEF = ['Wants the refund for order 123 that has not arrived', 'Bot: explained refunds take 10 working days', 'Mood: impatient'];
const isBrief = (req: RecordedRequest) => String(req.body.messages?.[0]?.content ?? '').startsWith('You brief a support operator');
const toOps = () => h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === OPS);
const edits = () => h.tg.callsTo('editMessageText').filter((c) => c.params.chat_id === OPS);

/** Ivan asks a question the bot answers, then asks for a person: the ticket's call. */
async function askThenHandOff() {
  await h.post(h.updates.text(ivan, 'Где мой возврат за заказ 123?'));
  await h.tg.waitFor(() => h.tg.textsTo(ivan.id).length >= 1);
  await h.post(h.updates.text(ivan, '/operator'));
  await h.tg.waitFor(() => toOps().length >= 1);
  return toOps()[0]!;
}

describe("the brief on every ticket: the LLM's three lines, edited into the ticket", () => {
  it('posts the ticket at once, relays the user meanwhile, and edits the brief in when the LLM answers', async () => {
    h = await startHarness({ TICKET_BRIEF: 'true' });
    let answerBrief!: () => void;
    const briefAsked = new Promise<void>((resolve) => {
      h.ai.setResponder(async (req) => {
        if (!isBrief(req)) return { text: `Ответ: ${req.body.messages.at(-1).content}` };
        resolve();
        await new Promise<void>((r) => (answerBrief = r)); // the LLM takes its time
        return { text: BRIEF.join('\n') };
      });
    });

    const ticket = await askThenHandOff();
    const ticketId = (ticket.result as { message_id: number }).message_id;
    await briefAsked;
    // While the brief is being written: the ticket is up as it was, and the user's next message is relayed.
    expect(String(ticket.params.text)).not.toContain('Brief');
    const later = h.updates.text(ivan, 'Я жду уже две недели');
    await h.post(later);
    await h.tg.waitFor(() => h.tg.callsTo('copyMessage').some((c) => c.params.chat_id === OPS && c.params.message_id === later.message.message_id));
    expect(edits()).toHaveLength(0);

    answerBrief();
    await h.tg.waitFor(() => edits().length >= 1);
    await h.settled();
    const edit = edits()[0]!.params;
    expect(edit.message_id).toBe(ticketId);
    expect(edit.text).toBe(`${ticket.params.text}\n\n📝 <b>Brief:</b>\n${BRIEF.join('\n')}`);
    expect(JSON.stringify(edit.reply_markup)).toContain('take:1');

    // The brief was asked in the operators' language, without tools, from what was said.
    const request = h.ai.requests.find(isBrief)!;
    expect(request.body.tools).toBeUndefined();
    expect(request.body.messages[0].content).toContain('Write in English, at most 3 short lines');
    expect(request.body.messages[1].content).toContain('User: Где мой возврат за заказ 123?');
    expect(request.body.messages[1].content).toContain('Bot: Ответ: Где мой возврат за заказ 123?');
    // The user saw none of it.
    expect(h.tg.textsTo(ivan.id).join('\n')).not.toContain('Mood');
  });

  it('leaves the ticket as it is when the brief\'s request fails', async () => {
    h = await startHarness({ TICKET_BRIEF: 'true' });
    h.ai.setResponder((req) => (isBrief(req) ? { status: 500, message: 'the model is down' } : { text: 'Ответ' }));
    await askThenHandOff();
    await h.ai.waitForRequests(2); // the question, and the brief's first attempt
    await h.settled();
    await sleep(200);
    expect(edits()).toHaveLength(0);
    expect(toOps()).toHaveLength(1); // the ticket, and nothing about the brief
    expect(await h.services.db('dialogs').first().then((d: { state: string }) => d.state)).toBe('awaitingOperator');
  });

  it('asks for no brief with TICKET_BRIEF=false', async () => {
    h = await startHarness({ TICKET_BRIEF: 'false' });
    await askThenHandOff();
    await h.settled();
    expect(h.ai.requests.filter(isBrief)).toHaveLength(0);
    expect(edits()).toHaveLength(0);
  });
});
