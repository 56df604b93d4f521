/** One labelled line of `data/handoff.jsonl`: a user message and whether it should reach a human. */
export interface LabelledMessage {
  text: string;
  handoff: boolean;
  /** Language of the message ('ru', 'en', or any language a rule set is added for). */
  lang: string;
}

/** A line of a labelled JSONL file that is not a valid {@link LabelledMessage}; `line` is 1-based. */
export class HandoffDatasetError extends Error {
  override readonly name = 'HandoffDatasetError';

  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}; expected {"text": "...", "handoff": true|false, "lang": "ru"|"en"}`);
  }
}

/**
 * Parses labelled JSONL (one `{"text", "handoff", "lang"}` object per line; blank lines are
 * skipped). Pure: the caller reads the file. Throws {@link HandoffDatasetError} naming the
 * first bad line, so a typo in the data set points straight at itself.
 *
 * @example parseLabelledJsonl('{"text":"оператор","handoff":true,"lang":"ru"}\n')
 */
export function parseLabelledJsonl(content: string): LabelledMessage[] {
  const out: LabelledMessage[] = [];
  const lines = content.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new HandoffDatasetError(line, `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HandoffDatasetError(line, 'not a JSON object');
    const { text, handoff, lang } = value as Record<string, unknown>;
    if (typeof text !== 'string' || text.trim() === '') throw new HandoffDatasetError(line, '"text" must be a non-empty string');
    if (typeof handoff !== 'boolean') throw new HandoffDatasetError(line, '"handoff" must be true or false');
    if (typeof lang !== 'string' || !/^[a-z]{2,3}$/.test(lang)) throw new HandoffDatasetError(line, '"lang" must be a language code such as "ru" or "en"');
    out.push({ text, handoff, lang });
  });
  return out;
}
