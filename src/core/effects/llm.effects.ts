import { LlmError, type LlmAnswer, type LlmRequest, type LlmTurn } from '../../adapters/llm/openai.llm';
import type { TelegramClient } from '../../adapters/telegram/telegram.client';
import { replySaysCannotHelp } from '../../handoff';
import { answeredMessageOf } from '../../machines/dialog.machine';
import type { Logger } from '../../logger';
import type { DialogStore } from '../../store/dialog.store';
import { needDialog, type EffectHandlers } from './effect.handlers';

/** The LLM as the effects need it (the OpenAI adapter). */
export interface LlmPort {
  complete(request: LlmRequest, signal?: AbortSignal): Promise<LlmAnswer>;
}

/** Observes what the LLM did (metrics). */
export interface LlmObserver {
  llmCall?(seconds: number, outcome: 'reply' | 'transfer' | 'error'): void;
}

/** "typing…" shows once the LLM has taken this long (a quick answer needs none), then is renewed before Telegram's 5 s run out. */
const TYPING_AFTER_MS = 1_000;
const TYPING_EVERY_MS = 4_000;

/**
 * Asking the LLM, and stopping a request nobody waits for any more. The answer comes back to the
 * machine as `llm.reply`, `llm.transfer` or `llm.failed`; a cancelled request answers nothing.
 * Requests in flight are known to this process only: a cancellation that reaches another process
 * finds nothing to stop, and the machine drops the late answer all the same.
 */
export function llmEffects(deps: {
  store: DialogStore;
  telegram: TelegramClient;
  llm: LlmPort;
  log: Logger;
  historyMessages: number;
  systemPrompt: string;
  observer?: LlmObserver;
}): Pick<EffectHandlers, 'askLlm' | 'cancelLlm'> {
  const inflight = new Map<string, AbortController>();
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
      const system = deps.systemPrompt.replaceAll('{lang}', lang === 'ru' ? 'Russian' : 'English');

      const typing = () => void deps.telegram.sendTyping(d.chatId).catch(() => undefined);
      let timer: NodeJS.Timeout = setTimeout(() => {
        typing();
        timer = setInterval(typing, TYPING_EVERY_MS);
      }, TYPING_AFTER_MS);
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      const abort = new AbortController();
      inflight.set(requestId, abort);
      try {
        const answer = await deps.llm.complete({ system, history }, abort.signal);
        deps.observer?.llmCall?.(seconds(), answer.kind);
        const at = Date.now();
        const record = answer.text?.trim() ? { sender: 'bot' as const, text: answer.text, inReplyTo: answeredMessageOf(requestId) } : undefined;
        if (answer.kind === 'transfer') return { followUp: { event: { type: 'llm.transfer', requestId, reason: answer.reason, text: answer.text, at }, actor: 'llm', record } };
        return { followUp: { event: { type: 'llm.reply', requestId, text: answer.text, cannotHelp: replySaysCannotHelp(answer.text), at }, actor: 'llm', record } };
      } catch (error) {
        if (abort.signal.aborted) {
          deps.log.info({ dialogId: d.id }, 'LLM request cancelled: the dialog no longer waits for it');
          return {};
        }
        deps.observer?.llmCall?.(seconds(), 'error');
        const code = error instanceof LlmError ? error.code : 'LLM_UNAVAILABLE';
        deps.log.warn({ dialogId: d.id, code, err: error instanceof Error ? error.message : String(error) }, 'LLM gave no answer');
        return { followUp: { event: { type: 'llm.failed', requestId, code, at: Date.now() }, actor: 'llm' } };
      } finally {
        clearTimeout(timer); // the first delay, or the interval after it: Node clears either
        if (inflight.get(requestId) === abort) inflight.delete(requestId);
      }
    },
    async cancelLlm(effect) {
      inflight.get(effect.params.requestId)?.abort();
      return {};
    },
  };
}
