import { LlmError, type LlmRequest, type LlmTurn, type StreamedAnswer } from '../../adapters/llm/openai.llm';
import type { TelegramClient } from '../../adapters/telegram/telegram.client';
import { checkKnowledgeReply, NOT_COVERED_MARKER, planKnowledgeAnswer, type KnowledgePlan, type KnowledgeQuery, type Retrieval } from '../../knowledge';
import { draftIdFor } from '../../streaming/draft.id';
import { DraftStreamer, draftModeFor } from '../../streaming/draft.streamer';
import { replySaysCannotHelp } from '../../handoff';
import { answeredMessageOf } from '../../machines/dialog.machine';
import type { Logger } from '../../logger';
import type { DialogStore } from '../../store/dialog.store';
import { needDialog, type EffectHandlers } from './effect.handlers';

/** The LLM as the effects need it (the OpenAI adapter): a streamed answer, `onText` told the text so far. */
export interface LlmPort {
  stream(request: LlmRequest, signal: AbortSignal | undefined, onText: (textSoFar: string) => void): Promise<StreamedAnswer>;
}

/** The knowledge base as the LLM effect needs it (see src/knowledge). */
export interface KnowledgePort {
  retrieve(query: KnowledgeQuery): Promise<Retrieval>;
}

/** Observes what the LLM did (metrics). */
export interface LlmObserver {
  llmCall?(seconds: number, outcome: 'reply' | 'transfer' | 'stopped' | 'error'): void;
}

/**
 * Asking the LLM, and stopping a request. The answer streams: while the model writes, the user
 * sees it as a draft (`sendMessageDraft`, throttled, with a Stop button; "typing…" where drafts
 * are refused or `STREAMING` is off), and the finished answer comes back to the machine as
 * `llm.reply`, `llm.transfer` or `llm.failed`, then is sent with `sendMessage` like any reply.
 * A request cancelled because nobody waits for it answers nothing; one the user stopped answers
 * with the text so far (`llm.reply` with `stopped`), or `llm.stopped` when there was none.
 *
 * Requests in flight are known to this process only: a cancellation or a Stop that reaches
 * another process finds nothing to stop, and the machine drops a late answer all the same.
 * The draft id derives from the request id, so an answer redone after a crash replaces its own
 * half-written draft.
 */
export function llmEffects(deps: {
  store: DialogStore;
  telegram: TelegramClient;
  llm: LlmPort;
  log: Logger;
  historyMessages: number;
  systemPrompt: string;
  streaming: { enabled: boolean; draftIntervalMs: number };
  /** The company's knowledge base, when there is one: answers come from its entries, and a question it does not cover is said so. */
  knowledge?: { base: KnowledgePort; topK: number };
  observer?: LlmObserver;
}): Pick<EffectHandlers, 'askLlm' | 'cancelLlm' | 'stopLlm'> {
  const inflight = new Map<string, { abort: AbortController; why: 'cancel' | 'stop' | null }>();
  /** Ends a request running here, remembering why (the first reason wins): a Stop keeps its text, a cancellation does not. */
  const abort = (requestId: string, why: 'cancel' | 'stop') => {
    const running = inflight.get(requestId);
    if (!running) return;
    running.why ??= why;
    running.abort.abort();
  };
  return {
    async askLlm(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const { requestId } = effect.params;
      const lang = d.context.lang;
      const history: LlmTurn[] = (await deps.store.conversation(d.id, deps.historyMessages)).map((m) => ({
        role: m.sender === 'user' ? 'user' : 'assistant',
        content: m.text,
      }));
      // A window cut in the middle may start with an answer; the model should see a question first.
      while (history[0]?.role === 'assistant') history.shift();
      let system = deps.systemPrompt.replaceAll('{lang}', lang === 'ru' ? 'Russian' : 'English');

      // The question (everything the user wrote since the last answer) looked up in the knowledge base first.
      let plan: KnowledgePlan | null = null;
      if (deps.knowledge) {
        const lastAnswer = history.map((t) => t.role).lastIndexOf('assistant');
        const question = history.slice(lastAnswer + 1).map((t) => t.content).join('\n');
        const context = history.slice(0, lastAnswer + 1).filter((t) => t.role === 'user').slice(-2).map((t) => t.content);
        plan = planKnowledgeAnswer(await deps.knowledge.base.retrieve({ text: question, lang, context, limit: deps.knowledge.topK }), lang);
        if (plan.kind === 'not_covered') return notCovered(requestId, plan.text);
        if (plan.systemSuffix) system = `${system}\n\n${plan.systemSuffix}`;
      }

      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      const running = { abort: new AbortController(), why: null as 'cancel' | 'stop' | null };
      inflight.set(requestId, running);
      const drafts = DraftStreamer.start({
        port: deps.telegram,
        chatId: d.chatId,
        draftId: draftIdFor(requestId),
        mode: draftModeFor(d.chatId, deps.streaming.enabled),
        pace: { intervalMs: deps.streaming.draftIntervalMs },
      });
      try {
        // The "not covered" marker is the model's signal to us, never something the user sees.
        const answer = await deps.llm.stream({ system, history }, running.abort.signal, (text) => drafts.update(text.replace(NOT_COVERED_MARKER, '').trimStart()));
        await drafts.stop();
        const at = Date.now();
        if (answer.kind === 'stopped') {
          if (running.why !== 'stop') {
            deps.log.info({ dialogId: d.id }, 'LLM request cancelled: the dialog no longer waits for it');
            return {};
          }
          deps.observer?.llmCall?.(seconds(), 'stopped');
          if (!answer.text) return { followUp: { event: { type: 'llm.stopped', requestId, at }, actor: 'user' } };
          const record = { sender: 'bot' as const, text: answer.text, inReplyTo: answeredMessageOf(requestId) };
          return { followUp: { event: { type: 'llm.reply', requestId, text: answer.text, cannotHelp: false, at, stopped: true }, actor: 'user', record } };
        }
        deps.observer?.llmCall?.(seconds(), answer.kind);
        if (plan?.kind === 'ask_llm' && answer.kind === 'reply') {
          const check = checkKnowledgeReply(plan, answer.text, lang);
          if (check.kind === 'not_covered') return notCovered(requestId, check.text);
        }
        const record = answer.text?.trim() ? { sender: 'bot' as const, text: answer.text, inReplyTo: answeredMessageOf(requestId) } : undefined;
        if (answer.kind === 'transfer') return { followUp: { event: { type: 'llm.transfer', requestId, reason: answer.reason, text: answer.text, at }, actor: 'llm', record } };
        return { followUp: { event: { type: 'llm.reply', requestId, text: answer.text, cannotHelp: replySaysCannotHelp(answer.text), at }, actor: 'llm', record } };
      } catch (error) {
        await drafts.stop();
        if (running.abort.signal.aborted && running.why !== 'stop') {
          deps.log.info({ dialogId: d.id }, 'LLM request cancelled: the dialog no longer waits for it');
          return {};
        }
        deps.observer?.llmCall?.(seconds(), 'error');
        const code = error instanceof LlmError ? error.code : 'LLM_UNAVAILABLE';
        deps.log.warn({ dialogId: d.id, code, err: error instanceof Error ? error.message : String(error) }, 'LLM gave no answer');
        return { followUp: { event: { type: 'llm.failed', requestId, code, at: Date.now() }, actor: 'llm' } };
      } finally {
        if (inflight.get(requestId) === running) inflight.delete(requestId);
      }
    },
    async cancelLlm(effect) {
      abort(effect.params.requestId, 'cancel');
      return {};
    },
    async stopLlm(effect) {
      abort(effect.params.requestId, 'stop');
      return {};
    },
  };
}

/** The answer of a question the knowledge base does not cover: the honest text, recorded as the bot's; the machine offers a person. */
function notCovered(requestId: string, text: string) {
  const at = Date.now();
  return {
    followUp: {
      event: { type: 'llm.notCovered' as const, requestId, text, at },
      actor: 'knowledge',
      record: { sender: 'bot' as const, text, inReplyTo: answeredMessageOf(requestId) },
    },
  };
}
