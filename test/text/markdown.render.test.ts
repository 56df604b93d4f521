import { formatForTelegram } from '../../src/text';
import { telegramHtmlProblems } from './telegram-html.validator';

/** What a user would get for a short answer: the one message's HTML, checked to parse. */
function render(markdown: string): string {
  const chunks = formatForTelegram(markdown);
  expect(chunks).toHaveLength(1);
  const html = chunks[0]?.html ?? '';
  expect(telegramHtmlProblems(html)).toEqual([]);
  return html;
}

describe('an LLM answer in Markdown, shown in Telegram', () => {
  test('bold, italic, strikethrough and inline code keep their formatting', () => {
    expect(render('**Bold**, __bold__, *italic*, _italic_, ~~gone~~ and `npm ci`')).toBe(
      '<b>Bold</b>, <b>bold</b>, <i>italic</i>, <i>italic</i>, <s>gone</s> and <code>npm ci</code>',
    );
  });

  test('nested emphasis stays nested', () => {
    expect(render('***both*** and **bold _and italic_**')).toBe('<i><b>both</b></i> and <b>bold <i>and italic</i></b>');
  });

  test('inline code inside bold is shown as code between bold parts, as Telegram requires', () => {
    expect(render('**run `npm ci` first**')).toBe('<b>run </b><code>npm ci</code><b> first</b>');
  });

  test('a fenced code block keeps its language and shows < and & literally', () => {
    expect(render('Try:\n\n```ts\nif (a < b && c > d) {\n  go();\n}\n```')).toBe(
      'Try:\n\n<pre><code class="language-ts">if (a &lt; b &amp;&amp; c &gt; d) {\n  go();\n}</code></pre>',
    );
  });

  test('a code block without a language, or with a strange one, is a plain pre block', () => {
    expect(render('```\nplain\n```')).toBe('<pre>plain</pre>');
    expect(render('```"><script>\nx\n```')).toBe('<pre>x</pre>');
    expect(render('    indented code')).toBe('<pre>indented code</pre>');
  });

  test('links with http, https, tg and mailto are clickable; quotes in the address are escaped', () => {
    expect(render('[docs](https://example.com/a?x=1&y=2)')).toBe('<a href="https://example.com/a?x=1&amp;y=2">docs</a>');
    expect(render('[site](http://example.com "title")')).toBe('<a href="http://example.com">site</a>');
    expect(render('[me](tg://user?id=42) or [mail](mailto:help@example.com)')).toBe(
      '<a href="tg://user?id=42">me</a> or <a href="mailto:help@example.com">mail</a>',
    );
    expect(render('<https://example.com/path>')).toBe('<a href="https://example.com/path">https://example.com/path</a>');
    expect(render('[q](<https://example.com/?q="x">)')).toBe('<a href="https://example.com/?q=%22x%22">q</a>');
  });

  test('links with other schemes, relative links and script links are only text', () => {
    expect(render('[file](ftp://example.com/f.zip)')).toBe('file (ftp://example.com/f.zip)');
    expect(render('see [the FAQ](/faq)')).toBe('see the FAQ');
    expect(render('[click](javascript:alert(1))')).toBe('[click](javascript:alert(1))');
  });

  test('a link without a label shows its address', () => {
    expect(render('[](https://example.com)')).toBe('<a href="https://example.com">https://example.com</a>');
  });

  test('inline code inside a link is shown as link text', () => {
    expect(render('[`README`](https://example.com/readme)')).toBe('<a href="https://example.com/readme">README</a>');
  });

  test('an image becomes a link to the image', () => {
    expect(render('![diagram](https://example.com/d.png)')).toBe('<a href="https://example.com/d.png">diagram</a>');
    expect(render('![](https://example.com/d.png)')).toBe('<a href="https://example.com/d.png">https://example.com/d.png</a>');
    expect(render('![local](img/d.png)')).toBe('local');
  });

  test('headings become bold lines', () => {
    expect(render('# Reset your password\n\nOpen settings.\n\n### Step *one*')).toBe(
      '<b>Reset your password</b>\n\nOpen settings.\n\n<b>Step <i>one</i></b>',
    );
  });

  test('bullet lists become "• item", nested ones are indented', () => {
    expect(render('Options:\n\n- first\n- **second**\n  - inner\n- third')).toBe(
      'Options:\n\n• first\n• <b>second</b>\n  ◦ inner\n• third',
    );
  });

  test('numbered lists keep their numbers, starting where the answer starts them', () => {
    expect(render('1. Open\n2. Click\n3. Save')).toBe('1. Open\n2. Click\n3. Save');
    expect(render('3. third\n4. fourth')).toBe('3. third\n4. fourth');
    expect(render('1. Open\n1. Click')).toBe('1. Open\n2. Click');
  });

  test('a quote becomes a blockquote', () => {
    expect(render('> Note: **backup** first\n> then update\n\nDone.')).toBe(
      '<blockquote>Note: <b>backup</b> first\nthen update</blockquote>\n\nDone.',
    );
  });

  test('a quote inside a quote is one quote', () => {
    expect(render('> outer\n>\n> > inner')).toBe('<blockquote>outer\n\ninner</blockquote>');
  });

  test('a narrow table becomes a monospace block with aligned columns', () => {
    expect(render('| Plan | Price |\n|------|------:|\n| Basic | $5 |\n| **Pro** | $20 |')).toBe(
      '<pre>Plan  | Price\n------+------\nBasic | $5\nPro   | $20</pre>',
    );
  });

  test('a wide table becomes plain lines with a bold header', () => {
    const html = render(
      '| Plan | What you get |\n|---|---|\n| Basic | Email support on working days, one seat |\n| Pro | Phone and email support around the clock, ten seats |',
    );
    expect(html).toBe(
      '<b>Plan | What you get</b>\nBasic | Email support on working days, one seat\nPro | Phone and email support around the clock, ten seats',
    );
  });

  test('a horizontal rule becomes a line of dashes', () => {
    expect(render('above\n\n---\n\nbelow')).toBe('above\n\n———\n\nbelow');
  });

  test('raw HTML is shown as text', () => {
    expect(render('<div class="x">hi</div>')).toBe('&lt;div class="x"&gt;hi&lt;/div&gt;');
    expect(render('Press <kbd>Ctrl</kbd>+<b>C</b> <script>alert(1)</script>')).toBe(
      'Press &lt;kbd&gt;Ctrl&lt;/kbd&gt;+&lt;b&gt;C&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;',
    );
  });

  test('stray underscores, asterisks, < and & are ordinary characters', () => {
    expect(render('set max_retry_count and snake_case_name')).toBe('set max_retry_count and snake_case_name');
    expect(render('2 * 3 * 4 = 24, **unclosed bold, *half')).toBe('2 * 3 * 4 = 24, **unclosed bold, *half');
    expect(render('if a < b && c > d then AT&T wins')).toBe('if a &lt; b &amp;&amp; c &gt; d then AT&amp;T wins');
    expect(render('escaped \\*stars\\* and &amp; entity')).toBe('escaped *stars* and &amp; entity');
  });

  test('line breaks inside a paragraph are kept', () => {
    expect(render('line one\nline two')).toBe('line one\nline two');
  });
});
