/**
 * The knowledge base: Markdown files indexed in PostgreSQL, retrieval with a "not covered"
 * decision, the prompt that carries the entries to the LLM, and the detector for a model that
 * says they do not cover the question. See docs/knowledge.md.
 */
export { KnowledgeBase } from './knowledge.base';
export type { IndexResult, KnowledgeBaseOptions, KnowledgeLog } from './knowledge.base';
export { KNOWLEDGE_LANGS } from './knowledge.types';
export type { KnowledgeDecision, KnowledgeEntry, KnowledgeLang, KnowledgeQuery, Retrieval, RetrievedEntry } from './knowledge.types';
export { KnowledgeDirError, KnowledgeParseError, KnowledgeSchemaError } from './knowledge.errors';
export { parseKnowledgeFile } from './markdown.knowledge';
export { readKnowledgeDir } from './source.knowledge';
export type { KnowledgeSource } from './source.knowledge';
export { knowledgePrompt, NOT_COVERED_MARKER, replySaysNotCovered } from './prompt.knowledge';
export { contentWords, isSmallTalk, knowledgeWords } from './tokens.knowledge';
export { DEFAULT_RANKING } from './rank.knowledge';
export type { RankingParams } from './rank.knowledge';
export { EmbeddingsError, OpenAiEmbeddings } from './embeddings.knowledge';
export type { EmbeddingsPort } from './embeddings.knowledge';
export { formatKnowledgeReport, KnowledgeEvalDatasetError, parseKnowledgeEval, scoreKnowledge } from './evaluate.knowledge';
export type { KnowledgeEvalCase, KnowledgeEvaluation, KnowledgeMiss, KnowledgeScores } from './evaluate.knowledge';
export { checkKnowledgeReply, KNOWLEDGE_NOT_COVERED, notCoveredText, planKnowledgeAnswer } from './answer.knowledge';
export type { KnowledgePlan, KnowledgeReplyCheck } from './answer.knowledge';
