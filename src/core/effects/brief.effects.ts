import type { LlmAnswer, LlmRequest } from '../../adapters/llm/openai.llm';
import type { TelegramClient } from '../../adapters/telegram/telegram.client';
import type { Logger } from '../../logger';
import type { Lang } from '../../machines/dialog.types';
import type { DialogStore } from '../../store/dialog.store';
import { escapeHtml } from '../../text';
import { needDialog, nothing, type EffectHandlers } from './effect.handlers';
import { takeKeyboard } from './operator.effects';

/** How long a brief may take before the ticket is left as it is (ms). */
export const BRIEF_TIMEOUT_MS = 20_000;
/** Messages of the dialog the brief is written from. */
const BRIEF_MESSAGES = 20;
/** Telegram's limit on a message's text. */
const TEXT_LIMIT = 4096;

/** The LLM as the brief needs it: one answer, no tools (the OpenAI adapter). */
export interface BriefLlmPort {
  complete(request: LlmRequest, signal?: AbortSignal): Promise<LlmAnswer>;
}

/** The instruction for a ticket's brief, in the operators' language. */
export function briefPrompt(lang: Lang): string {
  const language = lang === 'ru' ? 'Russian' : 'English';
  return [
    'You brief a support operator who is about to take over a conversation between a user and a support bot.',
    `Write in ${language}, at most 3 short lines, no greeting, no Markdown:`,
    '1. what the user wants;',
    '2. what the bot has already answered (or "nothing yet");',
    "3. the user's mood (calm, impatient, upset...).",
  ].join('\n');
}

/**
 * A ticket's brief: once the ticket is posted, the LLM reads the dialog and writes at most three
 * lines in `OPERATOR_LANG`, which are edited into the ticket (`editMessageText`, the Take button
 * kept), or posted under it when the ticket would grow past 4096 characters. It runs in the
 * parallel pool, so it never delays the ticket or the dialog's other messages; a failed, slow
 * ({@link BRIEF_TIMEOUT_MS}) or empty brief is logged and leaves the ticket as it is (no retry).
 * `TICKET_BRIEF=false`: nothing is asked.
 */
export function briefEffects(deps: {
  enabled: boolean;
  store: DialogStore;
  telegram: TelegramClient;
  llm: BriefLlmPort;
  log: Logger;
  operatorChatId: number;
  operatorLang: Lang;
  timeoutMs?: number;
}): Pick<EffectHandlers, 'writeBrief'> {
  if (!deps.enabled) return { writeBrief: nothing };
  const { store, telegram, llm, log, operatorChatId: ops, operatorLang } = deps;
  return {
    async writeBrief(effect, dialog) {
      const d = needDialog(dialog, effect.type);
      const { messageId, html } = effect.params;
      try {
        const turns = await store.conversation(d.id, BRIEF_MESSAGES);
        if (!turns.length || !html) return {};
        const transcript = turns.map((t) => `${t.sender === 'user' ? 'User' : 'Bot'}: ${t.text}`).join('\n');
        const reason = d.context.handoff?.reason ? `\nWhy a person was asked for: ${d.context.handoff.reason}` : '';
        const answer = await llm.complete(
          { system: briefPrompt(operatorLang), history: [{ role: 'user', content: `${transcript}${reason}` }], tools: false },
          AbortSignal.timeout(deps.timeoutMs ?? BRIEF_TIMEOUT_MS),
        );
        const lines = (answer.text ?? '').split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).map((l) => escapeHtml(l.slice(0, 300)));
        if (!lines.length) return {};
        const brief = `📝 <b>${operatorLang === 'ru' ? 'Кратко' : 'Brief'}:</b>\n${lines.join('\n')}`;
        const edited = `${html}\n\n${brief}`;
        if (edited.length <= TEXT_LIMIT) {
          await telegram.editHtml(ops, messageId, edited, takeKeyboard(d.id, operatorLang));
        } else {
          const threadId = d.context.ticket?.threadId ?? undefined;
          await telegram.sendHtml(ops, brief, threadId ? { threadId } : { replyTo: messageId });
        }
      } catch (error) {
        log.warn({ dialogId: d.id, err: error instanceof Error ? error.message : String(error) }, 'no brief for the ticket; it stays as posted');
      }
      return {};
    },
  };
}
