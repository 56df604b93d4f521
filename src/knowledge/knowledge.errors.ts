/**
 * Why a knowledge file could not be read. `code` is stable; the message names the file and the
 * line and says how to fix it.
 */
export class KnowledgeParseError extends Error {
  readonly code = 'KNOWLEDGE_PARSE';
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${file}:${line}: ${problem} (see README "Knowledge base")`);
    this.name = 'KnowledgeParseError';
  }
}

/** The knowledge directory is missing or unreadable. */
export class KnowledgeDirError extends Error {
  readonly code = 'KNOWLEDGE_DIR';
  constructor(
    readonly dir: string,
    detail: string,
  ) {
    super(`cannot read the knowledge base in ${dir}: ${detail}. Set KNOWLEDGE_DIR to a folder of Markdown files (see README "Knowledge base")`);
    this.name = 'KnowledgeDirError';
  }
}

/** The index tables are missing: the migrations have not run. */
export class KnowledgeSchemaError extends Error {
  readonly code = 'KNOWLEDGE_SCHEMA';
  constructor() {
    super('the knowledge tables do not exist: run `npm run migrate` first');
    this.name = 'KnowledgeSchemaError';
  }
}
