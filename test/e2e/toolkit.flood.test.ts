import { alice, ivan, OPS, startHarness, type Harness } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.close());

/** The user messages the LLM was shown, over every request (history included), by text. */
function seenByLlm(): Set<string> {
  const seen = new Set<string>();
  for (const request of h.ai.requests) {
    for (const m of (request.body as { messages: Array<{ role: string; content: unknown }> }).messages) {
      if (m.role === 'user' && typeof m.content === 'string') for (const hit of m.content.match(/вопрос №\d+/g) ?? []) seen.add(hit);
    }
  }
  return seen;
}

describe('flood control: USER_MESSAGES_PER_MINUTE (20) per user, in a sliding window in Redis', () => {
  it('30 messages in a minute: the LLM sees the first 20, the user is asked once to slow down, another user is unaffected', async () => {
    for (let i = 1; i <= 30; i += 1) await h.post(h.updates.text(ivan, `вопрос №${i}`));
    await h.post(h.updates.text(alice, 'How do I change my email?'));
    await h.settled(30_000);

    const seen = seenByLlm();
    expect(seen.size).toBe(20);
    expect([...seen].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `вопрос №${i + 1}`).sort());
    const slowDown = h.tg.textsTo(ivan.id).filter((t) => t.startsWith('Вы пишете очень часто'));
    expect(slowDown).toHaveLength(1);
    expect(h.tg.textsTo(alice.id)).toEqual(['Ответ: How do I change my email?']);
    // The window lives in Redis (so every replica counts the same messages).
    expect(await h.services.redis.zcard(`flood:${ivan.id}`)).toBe(30);
  });
});

describe("the operators' command menu", () => {
  it('lists every operators\' command with its description in OPERATOR_LANG, in the operators\' group only', async () => {
    // The menus are set at start-up, beside everything else.
    const menus = await h.tg.waitForCalls('setMyCommands', 2);
    const parsed = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as unknown;
    const ops = menus.find((c) => JSON.stringify(parsed(c.params.scope) ?? null).includes(String(OPS)));
    const commands = parsed(ops!.params.commands) as Array<{ command: string; description: string }>;
    expect(commands.map((c) => c.command)).toEqual(['take', 'close', 'transfer', 'release', 'ban', 'r', 'history', 'unban', 'online', 'offline']);
    expect(commands.find((c) => c.command === 'transfer')!.description).toBe('Hand the dialog to a colleague: /transfer @name or /transfer 12 @name');
    const users = menus.find((c) => c.params.scope === undefined)!;
    expect(JSON.stringify(users.params.commands)).not.toContain('transfer');
  });
});
