/**
 * The part of Telegram's text formatting the fake needs: check a `parse_mode` text the
 * way the Bot API does (so a stray `<`, `_` or `.` fails the send with 400 "can't parse
 * entities", as it would in production) and give back the plain text the reader sees.
 *
 * It follows https://core.telegram.org/bots/api#formatting-options closely enough for
 * tests; the `description` wording after "can't parse entities:" is modelled on real
 * answers but is not guaranteed to match Telegram byte for byte.
 */

/** The outcome of {@link renderFormatted}: the visible text, or the Bot API's error description. */
export type RenderResult = { ok: true; text: string } | { ok: false; description: string };

const CANT_PARSE = "Bad Request: can't parse entities: ";

/**
 * Checks `text` against `parseMode` ('HTML', 'MarkdownV2', 'Markdown' or none) and
 * returns the text a user would see, with markup removed and HTML entities decoded.
 *
 * @example renderFormatted('<b>Hi</b> &amp; bye', 'HTML') // { ok: true, text: 'Hi & bye' }
 */
export function renderFormatted(text: string, parseMode: unknown): RenderResult {
  switch (typeof parseMode === 'string' ? parseMode.toLowerCase() : '') {
    case 'html':
      return renderHtml(text);
    case 'markdownv2':
      return renderMarkdownV2(text);
    case 'markdown':
      return renderLegacyMarkdown(text);
    default:
      return { ok: true, text };
  }
}

const byteOffset = (text: string, index: number): number => Buffer.byteLength(text.slice(0, index), 'utf8');

const HTML_TAGS = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler',
  'a', 'tg-emoji', 'code', 'pre', 'blockquote', 'tg-time',
]);
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function renderHtml(text: string): RenderResult {
  const fail = (detail: string): RenderResult => ({ ok: false, description: CANT_PARSE + detail });
  const open: { name: string; index: number }[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '<') {
      const end = text.indexOf('>', i);
      if (end === -1) return fail(`Unclosed start tag at byte offset ${byteOffset(text, i)}`);
      const tag = text.slice(i + 1, end);
      if (tag.startsWith('/')) {
        const name = tag.slice(1).trim().toLowerCase();
        const top = open.pop();
        if (top === undefined) return fail(`Unexpected end tag at byte offset ${byteOffset(text, i)}`);
        if (top.name !== name) {
          return fail(`Unmatched end tag at byte offset ${byteOffset(text, i)}, expected "</${top.name}>", found "</${name}>"`);
        }
      } else {
        const match = /^([a-zA-Z][a-zA-Z0-9-]*)(\s[\s\S]*)?$/.exec(tag);
        const name = (match?.[1] ?? tag.split(/\s/)[0] ?? '').toLowerCase();
        if (match === null || !HTML_TAGS.has(name)) {
          return fail(`Unsupported start tag "${name}" at byte offset ${byteOffset(text, i)}`);
        }
        if (name === 'span' && !/class\s*=\s*["']?tg-spoiler/i.test(match[2] ?? '')) {
          return fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(text, i)}`);
        }
        open.push({ name, index: i });
      }
      i = end + 1;
    } else if (c === '&') {
      const entity = /^&(#\d+|#x[0-9a-f]+|[a-z]+);/i.exec(text.slice(i, i + 12));
      const decoded = entity === null ? undefined : decodeEntity(entity[1] as string);
      if (entity !== null && decoded !== undefined) {
        out += decoded;
        i += entity[0].length;
      } else {
        out += c;
        i += 1;
      }
    } else {
      out += c;
      i += 1;
    }
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) return fail(`Can't find end tag corresponding to start tag "${unclosed.name}"`);
  return { ok: true, text: out };
}

function decodeEntity(body: string): string | undefined {
  if (body.startsWith('#x') || body.startsWith('#X')) return String.fromCodePoint(parseInt(body.slice(2), 16));
  if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
  return NAMED_ENTITIES[body.toLowerCase()];
}

const MARKDOWN_V2_RESERVED = '_*[]()~`>#+-=|{}.!';

function renderMarkdownV2(text: string): RenderResult {
  const fail = (detail: string): RenderResult => ({ ok: false, description: CANT_PARSE + detail });
  const reserved = (c: string): RenderResult =>
    fail(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
  // Open toggles, keyed by entity name, remembering where each started.
  const open = new Map<string, number>();
  const toggle = (name: string, index: number): void => {
    if (open.has(name)) open.delete(name);
    else open.set(name, index);
  };
  let linkStart: number | undefined;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    const atLineStart = i === 0 || text[i - 1] === '\n';
    if (c === '\\' && next !== undefined) {
      out += next;
      i += 2;
    } else if (text.startsWith('```', i)) {
      const end = findUnescaped(text, '```', i + 3);
      if (end === -1) return fail(`Can't find end of Pre entity at byte offset ${byteOffset(text, i)}`);
      const body = text.slice(i + 3, end);
      const firstLine = /^[^\s`]*\n/.exec(body)?.[0] ?? '';
      out += unescapeCode(body.slice(firstLine.length));
      i = end + 3;
    } else if (c === '`') {
      const end = findUnescaped(text, '`', i + 1);
      if (end === -1) return fail(`Can't find end of Code entity at byte offset ${byteOffset(text, i)}`);
      out += unescapeCode(text.slice(i + 1, end));
      i = end + 1;
    } else if (c === '*') {
      toggle('Bold', i);
      i += 1;
    } else if (c === '_' && next === '_') {
      toggle('Underline', i);
      i += 2;
    } else if (c === '_') {
      toggle('Italic', i);
      i += 1;
    } else if (c === '~') {
      toggle('Strikethrough', i);
      i += 1;
    } else if (c === '|' && next === '|') {
      toggle('Spoiler', i);
      i += 2;
    } else if (c === '[' && linkStart === undefined) {
      linkStart = i;
      i += 1;
    } else if (c === ']' && linkStart !== undefined && next === '(') {
      const end = findUnescaped(text, ')', i + 2);
      if (end === -1) return fail(`Can't find end of a URL at byte offset ${byteOffset(text, i + 1)}`);
      linkStart = undefined;
      i = end + 1;
    } else if (c === '>' && atLineStart) {
      i += 1;
    } else if (MARKDOWN_V2_RESERVED.includes(c)) {
      return reserved(c);
    } else {
      out += c;
      i += 1;
    }
  }
  if (linkStart !== undefined) return fail(`Can't find end of TextUrl entity at byte offset ${byteOffset(text, linkStart)}`);
  const [name, index] = [...open.entries()][0] ?? [];
  if (name !== undefined && index !== undefined) {
    return fail(`Can't find end of ${name} entity at byte offset ${byteOffset(text, index)}`);
  }
  return { ok: true, text: out };
}

function renderLegacyMarkdown(text: string): RenderResult {
  const fail = (index: number): RenderResult => ({
    ok: false,
    description: `${CANT_PARSE}Can't find end of the entity starting at byte offset ${byteOffset(text, index)}`,
  });
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === '\\' && next !== undefined && '_*`['.includes(next)) {
      out += next;
      i += 2;
    } else if (text.startsWith('```', i)) {
      const end = text.indexOf('```', i + 3);
      if (end === -1) return fail(i);
      const body = text.slice(i + 3, end);
      out += body.slice((/^[^\s`]*\n/.exec(body)?.[0] ?? '').length);
      i = end + 3;
    } else if (c === '`' || c === '*' || c === '_') {
      const end = text.indexOf(c, i + 1);
      if (end === -1) return fail(i);
      out += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '[') {
      const close = text.indexOf(']', i + 1);
      const urlEnd = close === -1 || text[close + 1] !== '(' ? -1 : text.indexOf(')', close + 2);
      if (urlEnd === -1) return fail(i);
      out += text.slice(i + 1, close);
      i = urlEnd + 1;
    } else {
      out += c;
      i += 1;
    }
  }
  return { ok: true, text: out };
}

/** Index of `token` at or after `from`, skipping backslash-escaped characters; -1 if none. */
function findUnescaped(text: string, token: string, from: number): number {
  for (let i = from; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text.startsWith(token, i)) return i;
  }
  return -1;
}

/** Inside code and pre entities only '`' and '\' are escaped. */
const unescapeCode = (code: string): string => code.replace(/\\([`\\])/g, '$1');
