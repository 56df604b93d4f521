import { alice, ivan, OPS, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

const sentTo = (chatId: number) => h.tg.callsTo('sendMessage').filter((c) => c.params.chat_id === chatId);
/** About 2,000 characters of plain words (the fake streams one word a "token"). */
const longAnswer = Array.from({ length: 300 }, (_, i) => `слово${i}`).join(' ');

describe('an answer streamed as it is written', () => {
  it('shows drafts growing with a Stop button, then one final message with the streamed text', async () => {
    h.ai.enqueue({ text: longAnswer });
    h.ai.setStreamPace({ firstTokenMs: 100, tokensPerSecond: 100 }); // 300 words over 3 s
    await h.post(h.updates.text(ivan, 'Расскажите всё про доставку'));
    await h.tg.waitFor(() => sentTo(ivan.id).length === 1, 8000);

    const drafts = h.tg.draftsTo(ivan.id);
    expect(drafts[0]!.text).toBe(''); // "Thinking…" at once
    const texts = drafts.map((d) => d.text).filter(Boolean);
    expect(texts.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < texts.length; i++) expect(texts[i]!.length).toBeGreaterThanOrEqual(texts[i - 1]!.length);
    expect(new Set(drafts.map((d) => d.draftId)).size).toBe(1);
    expect(drafts.every((d) => d.canStop)).toBe(true);
    // Telegram's pace: about a draft a second after the first words, never a burst (arrival
    // times at the fake jitter on a busy machine, hence the slack).
    const gaps = drafts.slice(2).map((d, i) => d.at - drafts[i + 1]!.at).sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThanOrEqual(900);
    expect(gaps[0]).toBeGreaterThanOrEqual(500);
    expect(h.tg.textsTo(ivan.id)).toEqual([longAnswer]);
    // The finished answer is what is recorded and what a ticket would quote.
    const stored = await h.services.db('messages').where({ sender: 'bot' }).pluck('text');
    expect(stored).toEqual([longAnswer]);
  });

  it('Stop after the first second keeps the text so far as the answer and aborts the LLM request', async () => {
    h.ai.enqueue({ text: longAnswer });
    h.ai.setStreamPace({ firstTokenMs: 50, tokensPerSecond: 50 });
    await h.post(h.updates.text(alice, 'Tell me everything about delivery'));
    await h.tg.waitFor(() => h.tg.draftsTo(alice.id).some((d) => d.text.length > 0), 5000);
    await new Promise((r) => setTimeout(r, 1000));
    // The user presses Stop on the draft they see.
    await h.post(h.updates.stoppedGeneration(alice, h.tg.draftsTo(alice.id)[0]!.draftId));
    expect(await h.ai.waitForStreamEnd(0)).toBe('client');
    await h.tg.waitFor(() => sentTo(alice.id).length === 1, 5000);
    await h.settled();
    const answer = h.tg.textsTo(alice.id)[0]!;
    expect(answer.length).toBeGreaterThan(0);
    expect(longAnswer.startsWith(answer)).toBe(true);
    expect(answer.length).toBeLessThan(longAnswer.length);
    expect(await h.services.db('messages').where({ sender: 'bot' }).pluck('text')).toEqual([answer]);
  });

  it('a stream that breaks halfway gives the friendly failure text, not half an answer', async () => {
    h.ai.enqueue({ text: longAnswer });
    h.ai.setStreamPace({ tokensPerSecond: 200, breakAfterTokens: 40 });
    await h.post(h.updates.text(alice, 'What are your opening hours?'));
    await h.tg.waitFor(() => sentTo(alice.id).length === 1, 5000);
    expect(h.tg.textsTo(alice.id)).toEqual(['Sorry, I cannot answer right now. Please try again in a minute.']);
  });

  it('a transfer_to_human call mid-stream hands off, and the text written before it is sent first', async () => {
    h.ai.enqueue({ text: 'Let me get you a colleague.', toolCall: { name: 'transfer_to_human', arguments: { reason: 'refund' } } });
    h.ai.setStreamPace({ tokensPerSecond: 50 });
    await h.post(h.updates.text(alice, 'I want my money back for the broken lamp'));
    await h.tg.waitFor(() => h.tg.callsTo('sendMessage').some((c) => c.params.chat_id === OPS), 5000);
    await h.settled();
    expect(h.tg.textsTo(alice.id)).toEqual(['Let me get you a colleague.', 'Switching you to a human…']);
    const handoff = await h.services.db('dialog_transitions').where({ to_state: 'handoffRequested.posting' }).first();
    expect(handoff).toMatchObject({ reason: 'llm.refund', layer: 'llm' });
  });

  it('drafts refused (an old Bot API server): "typing…" instead, and the answer still arrives', async () => {
    h.tg.refuseDrafts('method_not_found');
    h.ai.setStreamPace({ firstTokenMs: 1500, tokensPerSecond: 100 });
    await h.post(h.updates.text(alice, 'How do I reset my password?'));
    await h.tg.waitFor(() => sentTo(alice.id).length === 1, 6000);
    expect(h.tg.callsTo('sendChatAction').map((c) => c.params.action)).toContain('typing');
    expect(h.tg.textsTo(alice.id)).toEqual(['Ответ: How do I reset my password?']);
  });
});
