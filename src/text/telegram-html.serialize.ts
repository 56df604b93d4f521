import { escapeHtml, escapeHtmlAttribute } from './html.escape';
import type { Mark, RichText } from './rich-text.model';

function openTag(mark: Mark): string {
  switch (mark.kind) {
    case 'bold':
      return '<b>';
    case 'italic':
      return '<i>';
    case 'strike':
      return '<s>';
    case 'code':
      return '<code>';
    case 'quote':
      return '<blockquote>';
    case 'pre':
      return mark.language === undefined ? '<pre>' : `<pre><code class="language-${escapeHtmlAttribute(mark.language)}">`;
    case 'link':
      return `<a href="${escapeHtmlAttribute(mark.href)}">`;
  }
}

function closeTag(mark: Mark): string {
  switch (mark.kind) {
    case 'bold':
      return '</b>';
    case 'italic':
      return '</i>';
    case 'strike':
      return '</s>';
    case 'code':
      return '</code>';
    case 'quote':
      return '</blockquote>';
    case 'pre':
      return mark.language === undefined ? '</pre>' : '</code></pre>';
    case 'link':
      return '</a>';
  }
}

/**
 * Serializes rich text to Telegram HTML (parse_mode 'HTML'). Tags are balanced and properly
 * nested by construction: before each run it closes the open marks the run does not share
 * (innermost first) and opens the ones it adds; at the end it closes everything. Text is
 * escaped, empty runs produce nothing, so no empty `<b></b>` appears.
 */
export function richTextToTelegramHtml(rich: RichText): string {
  let html = '';
  let open: readonly Mark[] = [];
  for (const run of rich) {
    if (run.text === '') continue;
    let shared = 0;
    while (shared < open.length && shared < run.marks.length && open[shared] === run.marks[shared]) shared++;
    for (const mark of open.slice(shared).reverse()) html += closeTag(mark);
    for (const mark of run.marks.slice(shared)) html += openTag(mark);
    open = run.marks;
    html += escapeHtml(run.text);
  }
  for (const mark of [...open].reverse()) html += closeTag(mark);
  return html;
}
