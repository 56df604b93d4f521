import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { telegramLinkHref } from './link.policy';
import { RichTextBuilder } from './rich-text.builder';
import type { Mark, RichText } from './rich-text.model';
import { renderTable } from './table.render';

/**
 * CommonMark with GitHub's tables and ~~strikethrough~~. Raw HTML is off, so `<div>` or
 * `a < b` stay text; linkify is off because Telegram links bare URLs itself; the typographer
 * is off so quotes and dashes arrive as the model wrote them.
 */
const parser = new MarkdownIt('default', { html: false, linkify: false, typographer: false });

/** Text standing for a horizontal rule (`---`). */
const RULE = '———';

/** Bullets by nesting depth: "• item", then "◦ item" for nested lists. */
const BULLETS = ['•', '◦'] as const;

/** A code block's language must look like one (`ts`, `c++`, `objective-c`), or it is dropped. */
const LANGUAGE = /^[\w#+.-]{1,32}$/;

/** A URL with a scheme, shown after the label when the link itself cannot be kept. */
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

interface ListState {
  readonly ordered: boolean;
  next: number;
}

/**
 * Renders an LLM's Markdown answer to rich text that Telegram can show. Supported constructs
 * keep their formatting (bold, italic, strike, inline code, code blocks with a language,
 * http/https/tg/mailto links, quotes); the rest degrades to text: headings become bold lines,
 * list items "• item" or "1. item", tables a monospace block or plain lines, images a link to
 * the image, raw HTML and links with other schemes plain text. Stray `_`, `*`, `<` or `&` are
 * ordinary characters. Blocks are separated by a blank line, list items by a line break.
 *
 * @example richTextToTelegramHtml(renderMarkdown('**Hi** `x`')) === '<b>Hi</b> <code>x</code>'
 */
export function renderMarkdown(markdown: string): RichText {
  const out = new RichTextBuilder();
  const blockMarks: Mark[] = [];
  const lists: ListState[] = [];
  let table: { rows: RichText[][]; headerRows: number } | undefined;

  for (const token of parser.parse(markdown, {})) {
    const gap = lists.length > 0 ? 1 : 2;
    if (table !== undefined) {
      if (token.type === 'tr_open') table.rows.push([]);
      else if (token.type === 'inline') table.rows.at(-1)?.push(renderInlineAlone(token));
      else if (token.type === 'thead_close') table.headerRows = table.rows.length;
      else if (token.type === 'table_close') {
        out.blockBreak(gap);
        out.append(renderTable(table), blockMarks);
        table = undefined;
      }
      continue;
    }
    switch (token.type) {
      case 'paragraph_open':
        out.blockBreak(gap);
        break;
      case 'heading_open':
        out.blockBreak(gap);
        blockMarks.push({ kind: 'bold' });
        break;
      case 'blockquote_open':
        out.blockBreak(gap);
        blockMarks.push({ kind: 'quote' });
        break;
      case 'heading_close':
      case 'blockquote_close':
        blockMarks.pop();
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        out.blockBreak(gap);
        lists.push({ ordered: token.type === 'ordered_list_open', next: listStart(token) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'list_item_open':
        out.blockBreak(1);
        out.text(`${'  '.repeat(Math.max(0, lists.length - 1))}${listMarker(lists)} `, blockMarks);
        out.glue();
        break;
      case 'fence':
      case 'code_block':
        out.blockBreak(gap);
        out.text(token.content.replace(/\n$/, ''), [...blockMarks, { kind: 'pre', language: codeLanguage(token.info) }]);
        break;
      case 'hr':
        out.blockBreak(gap);
        out.text(RULE, blockMarks);
        break;
      case 'table_open':
        table = { rows: [], headerRows: 0 };
        break;
      case 'inline':
        renderInline(token.children ?? [], blockMarks, out);
        break;
      case 'html_block': // not produced while `html` is off; shown as escaped text if it ever is
        out.blockBreak(gap);
        out.text(token.content.replace(/\n$/, ''), blockMarks);
        break;
      default:
        break;
    }
  }
  return out.build();
}

function listStart(token: Token): number {
  const start = Number(token.attrGet('start') ?? 1);
  return Number.isSafeInteger(start) ? start : 1;
}

function listMarker(lists: readonly ListState[]): string {
  const list = lists.at(-1);
  if (list?.ordered === true) return `${list.next++}.`;
  return BULLETS[Math.min(lists.length, BULLETS.length) - 1] ?? BULLETS[0];
}

function codeLanguage(info: string): string | undefined {
  const word = info.trim().split(/\s+/)[0] ?? '';
  return LANGUAGE.test(word) ? word : undefined;
}

function renderInlineAlone(token: Token): RichText {
  const out = new RichTextBuilder();
  renderInline(token.children ?? [], [], out);
  return out.build();
}

interface OpenLink {
  readonly mark: Mark | undefined;
  readonly href: string;
  label: string;
}

function renderInline(children: readonly Token[], outer: readonly Mark[], out: RichTextBuilder): void {
  const marks: Mark[] = [...outer];
  const links: OpenLink[] = [];
  const emit = (text: string, extra: readonly Mark[] = []): void => {
    out.text(text, extra.length === 0 ? marks : [...marks, ...extra]);
    for (const link of links) link.label += text;
  };

  for (const token of children) {
    switch (token.type) {
      case 'softbreak':
      case 'hardbreak':
        emit('\n');
        break;
      case 'code_inline':
        emit(token.content, [{ kind: 'code' }]);
        break;
      case 'strong_open':
        marks.push({ kind: 'bold' });
        break;
      case 'em_open':
        marks.push({ kind: 'italic' });
        break;
      case 's_open':
        marks.push({ kind: 'strike' });
        break;
      case 'strong_close':
      case 'em_close':
      case 's_close':
        marks.pop();
        break;
      case 'link_open': {
        const href = String(token.attrGet('href') ?? '');
        const safe = telegramLinkHref(href);
        const mark: Mark | undefined = safe === undefined ? undefined : { kind: 'link', href: safe };
        links.push({ mark, href, label: '' });
        if (mark !== undefined) marks.push(mark);
        break;
      }
      case 'link_close': {
        const link = links.pop();
        if (link === undefined) break;
        if (link.mark !== undefined) {
          if (link.label.trim() === '') emit(link.href);
          marks.pop();
        } else if (HAS_SCHEME.test(link.href) && link.label !== link.href) {
          emit(` (${link.href})`);
        }
        break;
      }
      case 'image': {
        const src = String(token.attrGet('src') ?? '');
        const safe = telegramLinkHref(src);
        const alt = token.content.trim();
        if (safe === undefined) emit(alt === '' ? src : alt);
        else emit(alt === '' ? safe : alt, [{ kind: 'link', href: safe }]);
        break;
      }
      default:
        // text, text_special (escapes, entities), html_inline when enabled, and anything a
        // future markdown-it adds: its content is what the reader should see.
        emit(token.content);
        break;
    }
  }
}
