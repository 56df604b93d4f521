import { formatForTelegram, splitPlainText, visibleLength } from '../../src/text';
import { telegramHtmlProblems, visibleText } from './telegram-html.validator';

/** mulberry32: a tiny seeded generator, so every run checks the same strings. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  'word', 'snake_case_name', 'Привет', 'мир', '😀', '👨‍👩‍👧', '🇺🇦', 'é', 'e\u0301', '中文', 'AT&T', '2 * 3',
  '*', '**', '***', '_', '__', '~~', '~', '`', '``', '```', '```ts\n', '\n```\n', '||',
  ' ', ' ', ' ', '  ', '\t', '\n', '\n', '\n\n', '\n\n', '    ', '\\', '\\*', '\u00a0',
  '# ', '## ', '- ', '* ', '+ ', '1. ', '3) ', '> ', '> > ', '---', '***', '| a | b |\n|---|---|\n| 1 | 2 |\n', '|',
  '<', '>', '&', '&amp;', '&lt;', '&#', '&#128512;', '&nbsp;', '"', "'", '<div>', '</div>', '<b>', '</b>', '<a href="x">', '<br/>', '<!--', '-->',
  '[', ']', '(', ')', '[link](https://example.com/?a=1&b="2")', '[x](javascript:alert(1))', '[y](/relative)', '[z](tg://resolve?domain=x)',
  '<https://example.com>', '<mail@example.com>', '![img](https://example.com/i.png)', '![](x.png)', 'https://bare.example.com',
  '.', '!', '?', '…', '. ', '! ',
];

function randomMarkdown(random: () => number): string {
  const pick = (): string => FRAGMENTS[Math.floor(random() * FRAGMENTS.length)] ?? '';
  const size = Math.floor(random() ** 2 * 400);
  let text = '';
  for (let i = 0; i < size; i++) {
    text += random() < 0.02 ? 'y'.repeat(Math.floor(random() * 300)) : pick();
  }
  return text;
}

const LIMITS = [2, 3, 7, 16, 50, 200, 4096];
const CASES = 400;

const LONE_SURROGATE_AT_EDGE = /^[\udc00-\udfff]|[\ud800-\udbff]$/;

describe('any Markdown-ish answer (seeded random strings) gives messages Telegram accepts', () => {
  // Failures are collected and asserted once: an expect() per chunk would make this slow.
  test(`${CASES} random answers: tags balanced, only allowed tags, within the limit, nothing lost`, () => {
    const random = seededRandom(20261124);
    const failures: string[] = [];
    for (let n = 0; n < CASES; n++) {
      const markdown = randomMarkdown(random);
      const limit = LIMITS[Math.floor(random() * LIMITS.length)] ?? 4096;
      const chunks = formatForTelegram(markdown, limit);
      const fail = (what: string, html: string): void => {
        failures.push(`case ${n}, limit ${limit}: ${what}\n  markdown: ${JSON.stringify(markdown.slice(0, 300))}\n  html: ${html}`);
      };
      for (const chunk of chunks) {
        const problems = telegramHtmlProblems(chunk.html);
        if (problems.length > 0) fail(problems.join('; '), chunk.html);
        if (visibleLength(chunk.html) > limit) fail(`visible length ${visibleLength(chunk.html)}`, chunk.html);
        if (visibleText(chunk.html) !== chunk.plain) fail(`plain differs: ${JSON.stringify(chunk.plain)}`, chunk.html);
        if (chunk.plain.trim() === '') fail('blank chunk', chunk.html);
        if (LONE_SURROGATE_AT_EDGE.test(chunk.plain)) fail('emoji cut in half', chunk.html);
      }
      const whole = formatForTelegram(markdown, Number.MAX_SAFE_INTEGER).map((chunk) => chunk.plain).join('');
      const joined = chunks.map((chunk) => chunk.plain).join('');
      if (joined.replace(/\s+/g, '') !== whole.replace(/\s+/g, '')) fail('text lost or changed by splitting', joined);
    }
    expect(failures).toEqual([]);
  });

  test(`${CASES} random plain texts: pieces within the limit, never blank, nothing lost`, () => {
    const random = seededRandom(7);
    const failures: string[] = [];
    for (let n = 0; n < CASES; n++) {
      const text = randomMarkdown(random);
      const limit = LIMITS[Math.floor(random() * LIMITS.length)] ?? 4096;
      const pieces = splitPlainText(text, limit);
      const context = `case ${n}, limit ${limit}, text ${JSON.stringify(text.slice(0, 300))}`;
      for (const piece of pieces) {
        if (piece.length > limit || piece.trim() === '') failures.push(`${context}: bad piece ${JSON.stringify(piece)}`);
        if (LONE_SURROGATE_AT_EDGE.test(piece)) failures.push(`${context}: emoji cut in half in ${JSON.stringify(piece)}`);
      }
      if (pieces.join('').replace(/\s+/g, '') !== text.replace(/\s+/g, '')) failures.push(`${context}: text lost`);
    }
    expect(failures).toEqual([]);
  });
});

describe('the checker used above', () => {
  test('accepts what Telegram parses and rejects what it refuses', () => {
    expect(telegramHtmlProblems('<b>a <i>b</i></b> <pre><code class="language-ts">x &lt; y</code></pre> <a href="https://e.x/?a=1&amp;b">l</a>')).toEqual([]);
    for (const bad of ['<b><i>x</b></i>', '<b>x', 'x</b>', '<div>x</div>', 'a & b', 'a < b', 'a > b', '<code><b>x</b></code>', '<b><code>x</code></b>', '<a href="x"><a href="y">z</a></a>', '<blockquote><blockquote>q</blockquote></blockquote>', '<code class="language-ts">x</code>']) {
      expect([bad, telegramHtmlProblems(bad).length > 0]).toEqual([bad, true]);
    }
  });
});
