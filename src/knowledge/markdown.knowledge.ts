import { KnowledgeParseError } from './knowledge.errors';
import { KNOWLEDGE_LANGS, type KnowledgeEntry, type KnowledgeLang } from './knowledge.types';

/**
 * Parses one knowledge file: optional front matter, then `##` sections, one entry each.
 *
 * ```markdown
 * ---
 * lang: ru              # ru | en; default: from the file name (x.ru.md), else from the text
 * tags: доставка, курьер # or [доставка, курьер]; added to every entry of the file
 * ---
 * # Доставка            (an H1 and anything before the first ## are ignored)
 *
 * ## Сроки доставки
 * Tags: сколько ждать   (optional first line: the entry's own tags)
 * По Москве — 1–2 дня…
 * ```
 *
 * A `##` inside a fenced code block is text, not a heading. Two entries with the same heading
 * in one file, an empty entry or an unknown language are errors, so a typo cannot silently
 * shadow an entry.
 *
 * @throws KnowledgeParseError naming the file and the line.
 */
export function parseKnowledgeFile(file: string, content: string): KnowledgeEntry[] {
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  const front = readFrontMatter(file, lines);
  const lang = front.lang ?? langFromFileName(file) ?? guessLang(content);
  const entries: KnowledgeEntry[] = [];
  const seen = new Map<string, number>();
  let current: { heading: string; line: number; body: string[] } | undefined;
  let fenced = false;

  const flush = () => {
    if (!current) return;
    const { tags: ownTags, body } = splitTagsLine(current.body);
    const text = body.join('\n').trim();
    if (text === '') throw new KnowledgeParseError(file, current.line, `the entry "${current.heading}" has no text: write its answer under the heading`);
    entries.push({
      id: `${file}#${current.heading}`,
      file,
      heading: current.heading,
      lang,
      tags: unique([...front.tags, ...ownTags]),
      body: text,
      position: entries.length,
    });
  };

  for (let i = front.bodyStart; i < lines.length; i += 1) {
    const line = lines[i] as string;
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading && !line.startsWith('###')) {
      flush();
      const title = (heading[1] as string).trim();
      const earlier = seen.get(title);
      if (earlier !== undefined) {
        throw new KnowledgeParseError(file, i + 1, `the heading "${title}" is used twice (also on line ${earlier}): headings name entries, make them unique in a file`);
      }
      seen.set(title, i + 1);
      current = { heading: title, line: i + 1, body: [] };
    } else if (current) {
      current.body.push(line);
    }
  }
  flush();
  return entries;
}

interface FrontMatter {
  lang?: KnowledgeLang;
  tags: string[];
  bodyStart: number;
}

function readFrontMatter(file: string, lines: readonly string[]): FrontMatter {
  if (lines[0]?.trim() !== '---') return { tags: [], bodyStart: 0 };
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (end < 0) throw new KnowledgeParseError(file, 1, 'the front matter opened with --- is never closed: add a line with --- after it');
  const result: FrontMatter = { tags: [], bodyStart: end + 1 };
  for (let i = 1; i < end; i += 1) {
    const raw = (lines[i] as string).replace(/\s#.*$/, '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const match = /^([A-Za-z_]+)\s*:\s*(.*)$/.exec(raw);
    if (!match) throw new KnowledgeParseError(file, i + 1, `cannot read "${raw}" in the front matter: write key: value`);
    const key = (match[1] as string).toLowerCase();
    const value = (match[2] as string).trim();
    if (key === 'lang' || key === 'language') {
      const lang = value.replace(/^["']|["']$/g, '').toLowerCase();
      if (!(lang in KNOWLEDGE_LANGS)) {
        throw new KnowledgeParseError(file, i + 1, `unknown language "${lang}": use one of ${Object.keys(KNOWLEDGE_LANGS).join(', ')}`);
      }
      result.lang = lang as KnowledgeLang;
    } else if (key === 'tags') {
      result.tags = parseList(value);
    }
    // Other keys (title, author, …) are allowed and ignored.
  }
  return result;
}

/** `a, b` or `[a, "b"]` → `['a', 'b']`. */
function parseList(value: string): string[] {
  return value
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((tag) => tag.trim().replace(/^["']|["']$/g, '').trim())
    .filter((tag) => tag !== '');
}

/** An entry's optional first line `Tags: a, b` (or `Теги:`). */
function splitTagsLine(body: readonly string[]): { tags: string[]; body: readonly string[] } {
  const first = body.findIndex((line) => line.trim() !== '');
  const match = first >= 0 ? /^\s*(?:tags|теги)\s*:\s*(.+)$/i.exec(body[first] as string) : null;
  if (!match) return { tags: [], body };
  return { tags: parseList(match[1] as string), body: body.slice(first + 1) };
}

function langFromFileName(file: string): KnowledgeLang | undefined {
  const match = /\.([a-z]{2})\.md$/i.exec(file);
  const lang = match?.[1]?.toLowerCase();
  return lang !== undefined && lang in KNOWLEDGE_LANGS ? (lang as KnowledgeLang) : undefined;
}

function guessLang(text: string): KnowledgeLang {
  const cyrillic = (text.match(/[\u0400-\u04FF]/g) ?? []).length;
  const latin = (text.match(/[A-Za-z]/g) ?? []).length;
  return cyrillic > latin ? 'ru' : 'en';
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
