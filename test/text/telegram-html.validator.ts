/**
 * A small checker of Telegram's HTML parse mode, written for the tests from the Bot API's
 * "Formatting options": only the allowed tags, every `<`, `>` and `&` in text escaped, tags
 * balanced and properly nested, and the nesting rules (pre/code/links contain nothing of each
 * other, bold-like tags neither contain nor sit in pre/code, no quote in a quote).
 * It returns the problems found; an empty list means Telegram would parse the message.
 */
const SIMPLE_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'code', 'pre', 'blockquote', 'tg-spoiler']);
const STYLE_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'tg-spoiler']);
const ENTITY = /^&(?:lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i;

export function telegramHtmlProblems(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let i = 0;
  while (i < html.length) {
    const c = html[i];
    if (c === '&') {
      const entity = ENTITY.exec(html.slice(i));
      if (entity === null) problems.push(`bare & at ${i}`);
      i += entity?.[0].length ?? 1;
    } else if (c === '>') {
      problems.push(`bare > at ${i}`);
      i++;
    } else if (c === '<') {
      const close = html.indexOf('>', i);
      if (close < 0) {
        problems.push(`bare < at ${i}`);
        break;
      }
      const tag = html.slice(i, close + 1);
      const problem = applyTag(tag, stack);
      if (problem !== undefined) problems.push(`${problem}: ${tag} at ${i}`);
      i = close + 1;
    } else {
      i++;
    }
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  return problems;
}

function applyTag(tag: string, stack: string[]): string | undefined {
  const closing = /^<\/([a-z-]+)>$/.exec(tag);
  if (closing !== null) {
    const top = stack.pop();
    return top === closing[1] ? undefined : `closes ${closing[1]} but ${top ?? 'nothing'} is open`;
  }
  let name: string;
  const link = /^<a href="([^"<>]*)">$/.exec(tag);
  if (link !== null) {
    const href = link[1] ?? '';
    if (href.replace(/&(?:lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, '').includes('&')) return 'bare & in href';
    name = 'a';
  } else if (/^<code class="language-[^"<>&]+">$/.test(tag)) {
    if (stack.at(-1) !== 'pre') return 'code with a language outside pre';
    stack.push('code');
    return undefined;
  } else {
    const simple = /^<([a-z-]+)>$/.exec(tag);
    if (simple === null || !SIMPLE_TAGS.has(simple[1] ?? '')) return 'unsupported tag';
    name = simple[1] ?? '';
  }
  const problem = nestingProblem(name, stack);
  stack.push(name);
  return problem;
}

function nestingProblem(name: string, stack: readonly string[]): string | undefined {
  if (stack.includes('pre') || stack.includes('code')) return 'nothing may sit inside pre or code';
  if ((name === 'pre' || name === 'code') && stack.some((open) => STYLE_TAGS.has(open))) return 'pre/code inside a style tag';
  if ((name === 'pre' || name === 'code' || name === 'a') && stack.includes('a')) return 'pre/code/link inside a link';
  if (name === 'blockquote' && stack.includes('blockquote')) return 'quote inside a quote';
  return undefined;
}

/** The visible text of Telegram HTML: tags removed, the entities Telegram knows decoded. */
export function visibleText(html: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, (whole, e: string) => {
      const char = named[e.toLowerCase()];
      if (char !== undefined) return char;
      const code = /^#x/i.test(e) ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isNaN(code) ? whole : String.fromCodePoint(code);
    });
}
