import type { KnowledgeLang, Retrieval } from './knowledge.types';
import { knowledgePrompt, replySaysNotCovered } from './prompt.knowledge';

/**
 * The knowledge base's part of the answer path, as pure decisions, so the dialog engine needs
 * only to act on them:
 *
 * 1. {@link planKnowledgeAnswer} before the LLM: a question the base does not cover is not sent
 *    to the LLM at all; the bot says so ({@link notCoveredText}) and offers a human with
 *    {@link KNOWLEDGE_NOT_COVERED} (medium confidence: «Переключить вас на человека?»). Small
 *    talk goes to the LLM without entries and never leads to an offer; a covered question goes
 *    with {@link knowledgePrompt} appended to the system prompt.
 * 2. {@link checkKnowledgeReply} after the LLM: an answer that says the entries do not cover
 *    the question becomes the same not-covered outcome; the model's text is dropped, so a guess
 *    never reaches the user.
 */

/**
 * The handoff signal of "the base does not cover it": recorded on the transition as layer
 * `knowledge`, reason `knowledge.not_covered`; medium confidence, so the user is asked first.
 */
export const KNOWLEDGE_NOT_COVERED = { layer: 'knowledge', confidence: 'medium', reason: 'knowledge.not_covered' } as const;

/** What to do with a question, given its retrieval. */
export type KnowledgePlan =
  /** Ask the LLM with `systemSuffix` appended to the system prompt (empty for small talk). */
  | { kind: 'ask_llm'; systemSuffix: string; entryIds: string[]; smallTalk: boolean }
  /** Do not ask the LLM: send `text`, then offer a human with `signal`. */
  | { kind: 'not_covered'; text: string; signal: typeof KNOWLEDGE_NOT_COVERED };

/** What to do with the LLM's answer. */
export type KnowledgeReplyCheck = { kind: 'reply'; text: string } | { kind: 'not_covered'; text: string; signal: typeof KNOWLEDGE_NOT_COVERED };

const NOT_COVERED_TEXT: Record<KnowledgeLang, string> = {
  ru: 'В нашей базе знаний нет ответа на этот вопрос, и гадать я не буду.',
  en: 'Our knowledge base has no answer to this question, and I would rather not guess.',
};

/** The honest "the base does not cover this" text; the offer of a human follows it. */
export function notCoveredText(lang: KnowledgeLang): string {
  return NOT_COVERED_TEXT[lang];
}

/**
 * Decides, before any LLM call, what the retrieval means for the answer.
 *
 * @example
 * const plan = planKnowledgeAnswer(await kb.retrieve({ text, lang, context }), lang);
 * if (plan.kind === 'not_covered') { send(plan.text); offerHuman(plan.signal); }
 * else system = `${basePrompt}\n\n${plan.systemSuffix}`;
 */
export function planKnowledgeAnswer(retrieval: Retrieval, lang: KnowledgeLang): KnowledgePlan {
  if (retrieval.decision === 'not_covered') return { kind: 'not_covered', text: notCoveredText(lang), signal: KNOWLEDGE_NOT_COVERED };
  if (retrieval.decision === 'small_talk') return { kind: 'ask_llm', systemSuffix: '', entryIds: [], smallTalk: true };
  return { kind: 'ask_llm', systemSuffix: knowledgePrompt(retrieval, lang), entryIds: retrieval.entries.map((e) => e.id), smallTalk: false };
}

/**
 * Checks the LLM's answer to a question that was sent with entries: the marker (or a plain
 * "the base does not say") turns it into the not-covered outcome. Answers to small talk are
 * passed through: there were no entries to be missing.
 */
export function checkKnowledgeReply(plan: Extract<KnowledgePlan, { kind: 'ask_llm' }>, reply: string, lang: KnowledgeLang): KnowledgeReplyCheck {
  if (!plan.smallTalk && replySaysNotCovered(reply)) return { kind: 'not_covered', text: notCoveredText(lang), signal: KNOWLEDGE_NOT_COVERED };
  return { kind: 'reply', text: reply };
}
