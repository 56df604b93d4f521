import { formatForTelegram, TELEGRAM_TEXT_LIMIT, visibleLength } from '../../src/text';
import type { TelegramChunk } from '../../src/text';
import { telegramHtmlProblems, visibleText } from './telegram-html.validator';

/** Every chunk is a message Telegram accepts: parses, fits the limit, shows its plain text, not blank. */
function expectSendable(chunks: readonly TelegramChunk[], limit = TELEGRAM_TEXT_LIMIT): void {
  for (const chunk of chunks) {
    expect(telegramHtmlProblems(chunk.html)).toEqual([]);
    expect(visibleLength(chunk.html)).toBeLessThanOrEqual(limit);
    expect(chunk.plain.length).toBeLessThanOrEqual(limit);
    expect(visibleText(chunk.html)).toBe(chunk.plain);
    expect(chunk.plain.trim()).not.toBe('');
  }
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== '');
}

/** A sentence-rich paragraph of about `size` characters. */
function paragraph(seed: number, size: number): string {
  const sentences: string[] = [];
  for (let i = 0; sentences.join(' ').length < size; i++) sentences.push(`Step ${seed}.${i} explains the setting number ${i * 7 + seed}.`);
  return sentences.join(' ');
}

describe('a long answer is split into messages Telegram accepts', () => {
  const code = Array.from({ length: 120 }, (_, i) => `console.log("line ${i}", a < b && c > d);`).join('\n');
  const longWord = 'x'.repeat(4999) + 'Y';
  const answer = [
    '# Long answer',
    paragraph(1, 900),
    paragraph(2, 1200),
    '```js\n' + code + '\n```',
    paragraph(3, 700),
    longWord,
    paragraph(4, 800),
  ].join('\n\n');

  test('a 10,000-character answer with a long code block and a 5,000-character word', () => {
    expect(answer.length).toBeGreaterThan(10_000);
    const chunks = formatForTelegram(answer);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expectSendable(chunks);

    // Every word of the answer reaches the user, in order; only Markdown markers and the
    // whitespace at the cuts are gone.
    const shown = chunks.map((chunk) => chunk.plain).join('');
    let from = 0;
    for (const word of words(answer.replace(/^# |^```(js)?$/gm, ''))) {
      const at = shown.indexOf(word, from);
      expect(at).toBeGreaterThanOrEqual(from);
      from = at + word.length;
    }
    expect(shown.replace(/\s+/g, '')).toBe(answer.replace(/^# |^```(js)?$/gm, '').replace(/\s+/g, ''));
  });

  test('the code block is closed at the end of one message and reopened in the next', () => {
    const chunks = formatForTelegram(answer);
    const withCode = chunks.filter((chunk) => chunk.html.includes('console.log'));
    expect(withCode.length).toBeGreaterThanOrEqual(2);
    for (const chunk of withCode) {
      expect(chunk.html).toContain('<pre><code class="language-js">');
      expect(chunk.html).toContain('</code></pre>');
    }
    // The code was cut at line ends, not inside a line.
    const codeLines = withCode.flatMap((chunk) => /<pre><code[^>]*>([\s\S]*)<\/code><\/pre>/.exec(chunk.html)?.[1]?.split('\n') ?? []);
    expect(codeLines.every((line) => line.startsWith('console.log') && line.endsWith(';'))).toBe(true);
  });

  test('messages are cut at paragraph breaks when one is near the limit', () => {
    const paragraphs = Array.from({ length: 6 }, (_, i) => paragraph(i, 1500));
    const chunks = formatForTelegram(paragraphs.join('\n\n'));
    expectSendable(chunks);
    for (const chunk of chunks) {
      const parts = chunk.plain.split('\n\n');
      expect(parts.every((part) => paragraphs.includes(part))).toBe(true);
    }
  });

  test('a span cut in two keeps its formatting on both sides', () => {
    const bold = `**${paragraph(9, 300)}**`;
    const chunks = formatForTelegram(bold, 120);
    expect(chunks.length).toBeGreaterThan(2);
    expectSendable(chunks, 120);
    for (const chunk of chunks) expect(chunk.html).toMatch(/^<b>[^<]*<\/b>$/);
  });

  test('entities count as one character and are never cut', () => {
    const text = '&<>'.repeat(50);
    const chunks = formatForTelegram(text, 7);
    expectSendable(chunks, 7);
    expect(chunks.map((chunk) => chunk.plain).join('')).toBe(text);
    expect(chunks[0]?.html).toBe('&amp;&lt;&gt;&amp;&lt;&gt;&amp;');
  });
});

describe('Cyrillic and emoji', () => {
  test('a Russian answer is split at sentence ends and keeps every word', () => {
    const sentence = 'Привет! Чтобы сбросить пароль, откройте настройки и нажмите «Забыли пароль?». ';
    const text = sentence.repeat(80);
    const chunks = formatForTelegram(text, 500);
    expectSendable(chunks, 500);
    expect(words(chunks.map((chunk) => chunk.plain).join(' '))).toEqual(words(text));
    for (const chunk of chunks.slice(0, -1)) expect(chunk.plain).toMatch(/[!.»]$/);
  });

  test('emoji are counted as Telegram counts them (UTF-16) and never cut in half', () => {
    const text = '😀'.repeat(3000); // 6000 UTF-16 code units, no spaces to cut at
    const chunks = formatForTelegram(text);
    expect(chunks).toHaveLength(2);
    expectSendable(chunks);
    expect(visibleLength(chunks[0]?.html ?? '')).toBe(4096);
    expect(chunks.map((chunk) => chunk.plain).join('')).toBe(text);
    for (const chunk of chunks) expect(chunk.plain).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });

  test('an odd limit does not cut an emoji in half', () => {
    const chunks = formatForTelegram('👍'.repeat(20), 5);
    expectSendable(chunks, 5);
    expect(chunks.every((chunk) => chunk.plain === '👍👍')).toBe(true);
  });

  test('an emoji made of several code points (a family, a flag) stays whole', () => {
    const family = '👨‍👩‍👧‍👦'; // 11 UTF-16 code units joined by zero-width joiners
    const chunks = formatForTelegram(family.repeat(10), 30);
    expectSendable(chunks, 30);
    expect(chunks.every((chunk) => chunk.plain === family.repeat(2))).toBe(true);
  });
});

describe('nothing to send', () => {
  test.each(['', '   ', '\n\n\t \n'])('input %j gives no messages', (input) => {
    expect(formatForTelegram(input)).toEqual([]);
  });

  test('Markdown that renders to nothing visible gives no messages', () => {
    expect(formatForTelegram('```\n   \n```')).toEqual([]);
    expect(formatForTelegram('>')).toEqual([]);
  });

  test('a limit below 2 is refused with a hint', () => {
    expect(() => formatForTelegram('hi', 1)).toThrow(/at least 2.*4096/);
  });
});
