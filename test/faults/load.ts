import type { FakeOpenAI } from '../fakes/fake-openai';
import type { FakeTelegram } from '../fakes/fake-telegram';
import type { UpdateFactory, TgUserLike } from '../fakes/updates';

/** The user messages after the model's last turn: what one answer has to address. */
export function unanswered(messages: Array<{ role: string; content: string }>): string[] {
  const last = messages.map((m) => m.role).lastIndexOf('assistant');
  return messages.slice(last + 1).filter((m) => m.role === 'user').map((m) => m.content);
}

/** Makes the fake LLM answer every message since its last turn: `A: q1 + q2`, so an answer shows what it covers. */
export function answerWhatIsUnanswered(ai: FakeOpenAI): void {
  ai.setResponder((req) => ({ text: `A: ${unanswered(req.body.messages).join(' + ')}` }));
}

/** The questions a chat's answers covered, in the order the answers arrived (repeats kept). */
export function covered(tg: FakeTelegram, chatId: number): string[] {
  return tg
    .textsTo(chatId)
    .filter((t) => t.startsWith('A: '))
    .flatMap((t) => t.slice(3).split(' + '));
}

/** `covered` with repeats of a question removed (a resent answer covers its questions again). */
export function coveredOnce(tg: FakeTelegram, chatId: number): string[] {
  const seen = new Set<string>();
  return covered(tg, chatId).filter((q) => (seen.has(q) ? false : (seen.add(q), true)));
}

/** Deliveries answered with an error or not at all, since the start (how many times an outage turned Telegram away). */
export const refused = { count: 0 };

/**
 * Posts an update the way Telegram does: again after a non-2xx answer or no answer, every
 * `retryMs`, until it is acknowledged. Resolves with the time of the acknowledgement.
 */
export async function deliver(urls: () => string[], body: object, secret: string, path: string, retryMs = 500, giveUpMs = 120_000): Promise<number> {
  const started = Date.now();
  for (let i = 0; ; i += 1) {
    const candidates = urls();
    const url = candidates[i % Math.max(1, candidates.length)];
    if (url) {
      const ok = await fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      }).then(
        async (r) => (await r.arrayBuffer(), r.ok),
        () => false,
      );
      if (ok) return Date.now();
      refused.count += 1;
    }
    if (Date.now() - started > giveUpMs) throw new Error('an update was never acknowledged');
    await new Promise((r) => setTimeout(r, retryMs));
  }
}

/** Numbered users for load stories. */
export function users(n: number, from = 20_000): TgUserLike[] {
  return Array.from({ length: n }, (_, i) => ({ id: from + i, first_name: `User${i}`, language_code: 'en' }));
}

/** A text update from `user`. */
export function question(updates: UpdateFactory, user: TgUserLike, text: string): object {
  return updates.text(user, text);
}
