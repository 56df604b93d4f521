import type { Drained, LlmRecord } from '../fakes';
import { updateIdsIn } from './updates';

/** One message the bot sent to a chat, as the fake Telegram received it. */
export interface SentMessage {
  /** The update it answers (read from the echoed `#u<id>`; of a merged burst, the last), or null (notices, tickets). */
  updateId: number | null;
  at: number;
  text: string;
}

/** A draft (`sendMessageDraft`) Telegram accepted for a chat: arrival and text ('' is "Thinking…"). */
export interface SentDraft {
  at: number;
  text: string;
}

/**
 * The calls the fakes received during one part, indexed the ways the figures need: the first
 * answer to each update, every message per chat in arrival order (ordering), the first ticket
 * per user chat in the operators' chat (handoff), the drafts and typing indicators per chat
 * (streaming), and per update how the fake LLM's answer to it was written (slow LLM, streaming).
 */
export class SentLog {
  /** update_id → arrival of the first message echoing it (an answer to a merged burst echoes each of its updates). */
  readonly answers = new Map<number, number>();
  /** chat → messages in arrival order. */
  readonly byChat = new Map<number, SentMessage[]>();
  /** user chat → arrival of its ticket in the operators' chat. */
  readonly tickets = new Map<number, number>();
  /** chat → drafts Telegram accepted, in arrival order. */
  readonly drafts = new Map<number, SentDraft[]>();
  /** chat → `sendChatAction` calls. */
  readonly typing = new Map<number, number>();
  /** update_id → the first LLM answer echoing it, as the fake wrote it. */
  readonly llm = new Map<number, LlmRecord>();
  /** LLM answers echoing an update that had one already (a retry, or a merged burst asked again). */
  llmRepeats = 0;
  /** Calls per Bot API method, and chat completions at the fake LLM. */
  readonly counts: Record<string, number> = {};
  llmRequests = 0;

  constructor(private readonly operatorChatId: number) {}

  /** Adds what one `drain` of the fakes returned. */
  add(drained: Drained): void {
    for (const [method, n] of Object.entries(drained.counts)) this.counts[method] = (this.counts[method] ?? 0) + n;
    this.llmRequests += drained.llmRequests;
    for (const record of drained.sent) {
      if (record.c === this.operatorChatId) {
        const m = /id <code>(-?\d+)<\/code>/.exec(record.x);
        if (m && !this.tickets.has(Number(m[1]))) this.tickets.set(Number(m[1]), record.t);
        continue;
      }
      const ids = updateIdsIn(record.x);
      for (const id of ids) if (!this.answers.has(id)) this.answers.set(id, record.t);
      const updateId = ids.length ? Math.max(...ids) : null;
      const list = this.byChat.get(record.c) ?? [];
      list.push({ updateId, at: record.t, text: record.x });
      this.byChat.set(record.c, list);
    }
    for (const draft of drained.drafts ?? []) {
      const list = this.drafts.get(draft.c) ?? [];
      list.push({ at: draft.t, text: draft.x });
      this.drafts.set(draft.c, list);
    }
    for (const action of drained.typing ?? []) this.typing.set(action.c, (this.typing.get(action.c) ?? 0) + 1);
    for (const answer of drained.llm ?? []) {
      for (const id of answer.u) {
        if (this.llm.has(id)) this.llmRepeats += 1;
        else this.llm.set(id, answer);
      }
    }
  }
}
