import type { KnowledgeLang, Retrieval } from './knowledge.types';

/**
 * The fixed marker the model writes when the entries do not answer the question. It is
 * ASCII and unlikely in a real answer, so {@link replySaysNotCovered} can find it in any
 * language; the answer path strips it and says the honest "not covered" text itself.
 */
export const NOT_COVERED_MARKER = '[[NOT_COVERED]]';

const HEADER: Record<KnowledgeLang, string> = {
  ru: 'Ниже — статьи базы знаний магазина, найденные по вопросу пользователя.',
  en: "Below are entries of the shop's knowledge base found for the user's question.",
};

/**
 * The part of the system prompt that carries the retrieved entries (title, id and text of
 * each) and the rules for using them: answer only from them, name the entry used, and when
 * they do not answer the question reply with exactly {@link NOT_COVERED_MARKER} instead of
 * guessing. With no entries it says so, and the model is expected to answer with the marker
 * for any factual question.
 *
 * Pure: append it to the system prompt of the LLM request.
 *
 * @example system = `${basePrompt}\n\n${knowledgePrompt(retrieval, 'ru')}`
 */
export function knowledgePrompt(retrieval: Pick<Retrieval, 'entries'>, lang: KnowledgeLang): string {
  const rules = [
    'Knowledge base rules:',
    "- Answer questions about the shop (delivery, payment, returns, warranty, account, stores, orders) ONLY from the entries below. Do not use general knowledge or guess facts, prices or terms that are not written there.",
    `- If the entries do not answer the user's question, reply with exactly ${NOT_COVERED_MARKER} and nothing else: the bot will tell the user honestly and offer a human.`,
    '- When you use an entry, you may name it at the end, e.g. (source: «<title>»).',
    `- Answer in the user's language (${lang}).`,
  ];
  if (retrieval.entries.length === 0) {
    return `${rules.join('\n')}\n\nNo entry of the knowledge base matches this question.`;
  }
  const entries = retrieval.entries.map((entry, i) => `### ${i + 1}. ${entry.title}\n(id: ${entry.id})\n${entry.text.trim()}`);
  return `${rules.join('\n')}\n\n${HEADER[lang]}\n\n${entries.join('\n\n')}`;
}

/**
 * True when the model's answer says the knowledge base does not cover the question: it holds
 * {@link NOT_COVERED_MARKER} (also bare `NOT_COVERED`, as small models sometimes drop the
 * brackets), or it is a short answer that says, in Russian or English, that the base / the
 * information has no answer. Pure.
 *
 * @example replySaysNotCovered('[[NOT_COVERED]]') === true
 */
export function replySaysNotCovered(text: string): boolean {
  if (/\bNOT[_ ]COVERED\b/.test(text)) return true;
  if (text.length > 400) return false;
  const t = text.toLowerCase().replace(/ё/g, 'е');
  return NOT_COVERED_PHRASES.some((re) => re.test(t));
}

const NOT_COVERED_PHRASES: readonly RegExp[] = [
  /(в|во) (базе знаний|статьях|материалах|доступной информации|имеющейся информации)[^.!?]{0,40}(нет|не нашл|не нахож|не содерж|не указ|не сказано|отсутств)/,
  /(не нашел|не нашла|не нашлось|не могу найти|нет информации|нет данных|нет сведений)[^.!?]{0,60}(базе|статьях|этому вопросу|об этом|по этому)/,
  /(the )?(knowledge base|entries|articles|information (i have|available))[^.!?]{0,40}(do(es)? not|don't|doesn't) (cover|contain|mention|say|include|have)/,
  /(i (could not|couldn't|cannot|can't|did not|didn't) find|there is no|i have no|i don't have)[^.!?]{0,40}(information|answer|entry|details)[^.!?]{0,40}(knowledge base|entries|about (this|that)|on (this|that))/,
];
