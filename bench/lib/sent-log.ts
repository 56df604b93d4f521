import type { SentRecord } from '../fakes';
import { updateIdIn } from './updates';

/** One message the bot sent to a chat, as the fake Telegram received it. */
export interface SentMessage {
  /** The update it answers (read from the echoed `#u<id>`), or null (notices, tickets). */
  updateId: number | null;
  at: number;
  text: string;
}

/**
 * The `sendMessage` calls the fake Telegram received during one part, indexed the ways the
 * figures need: the first answer to each update, every message per chat in arrival order
 * (ordering), and the first ticket per user chat in the operators' chat (handoff).
 */
export class SentLog {
  /** update_id → arrival of the first message echoing it. */
  readonly answers = new Map<number, number>();
  /** chat → messages in arrival order. */
  readonly byChat = new Map<number, SentMessage[]>();
  /** user chat → arrival of its ticket in the operators' chat. */
  readonly tickets = new Map<number, number>();
  /** Calls per Bot API method, and chat completions at the fake LLM. */
  readonly counts: Record<string, number> = {};
  llmRequests = 0;

  constructor(private readonly operatorChatId: number) {}

  /** Adds what one `drain` of the fakes returned. */
  add(drained: { sent: SentRecord[]; counts: Record<string, number>; llmRequests: number }): void {
    for (const [method, n] of Object.entries(drained.counts)) this.counts[method] = (this.counts[method] ?? 0) + n;
    this.llmRequests += drained.llmRequests;
    for (const record of drained.sent) {
      if (record.c === this.operatorChatId) {
        const m = /id <code>(-?\d+)<\/code>/.exec(record.x);
        if (m && !this.tickets.has(Number(m[1]))) this.tickets.set(Number(m[1]), record.t);
        continue;
      }
      const updateId = updateIdIn(record.x);
      if (updateId !== null && !this.answers.has(updateId)) this.answers.set(updateId, record.t);
      const list = this.byChat.get(record.c) ?? [];
      list.push({ updateId, at: record.t, text: record.x });
      this.byChat.set(record.c, list);
    }
  }
}
