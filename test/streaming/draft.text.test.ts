import { closeOpenMarkdown, DRAFT_TAIL_MARK, draftText } from '../../src/streaming/draft.text';
import { formatForTelegram } from '../../src/text';
import { renderFormatted } from '../fakes/telegram-format';

/** What the user sees of a draft: the fake Telegram's reading of its HTML. */
function visible(markdown: string): string {
  const draft = draftText(markdown);
  const rendered = renderFormatted(draft.text, draft.parseMode);
  if (!rendered.ok) throw new Error(`Telegram would refuse the draft: ${rendered.description}`);
  return rendered.text;
}

describe('what a draft shows of an answer being written', () => {
  it('renders Markdown as the final answer will be', () => {
    const answer = 'Откройте **Настройки** → `Профиль`.\n\n- шаг один\n- шаг два';
    expect(draftText(answer)).toEqual({ text: formatForTelegram(answer)[0]?.html, parseMode: 'HTML' });
  });

  it('closes bold and code that the stream cut off, so they do not flicker', () => {
    expect(closeOpenMarkdown('Нажмите **Сохранить')).toBe('Нажмите **Сохранить**');
    expect(closeOpenMarkdown('Нажмите **Сохранить ')).toBe('Нажмите **Сохранить**');
    expect(closeOpenMarkdown('Команда `npm i')).toBe('Команда `npm i`');
    expect(closeOpenMarkdown('**Важно: `код')).toBe('**Важно: `код`**');
    expect(draftText('Нажмите **Сохранить').text).toBe('Нажмите <b>Сохранить</b>');
  });

  it('leaves closed Markdown, earlier paragraphs and open code fences alone', () => {
    expect(closeOpenMarkdown('**a** and `b`')).toBe('**a** and `b`');
    expect(closeOpenMarkdown('**a\n\nb')).toBe('**a\n\nb');
    expect(closeOpenMarkdown('```js\nconst a = `x')).toBe('```js\nconst a = `x');
    expect(closeOpenMarkdown('```\ncode\n```\nthen **b')).toBe('```\ncode\n```\nthen **b**');
    expect(closeOpenMarkdown('Цена ** 2')).toBe('Цена ** 2**'); // odd, so closed: harmless in a preview
  });

  it('is "Thinking…" (empty) before any text, and HTML Telegram accepts for any prefix', () => {
    expect(draftText('')).toEqual({ text: '', parseMode: 'HTML' });
    expect(draftText('  \n ', 'plain')).toEqual({ text: '' });
    const answer = 'Сначала **важное**: `код` и [ссылка](https://example.com/a_b), затем\n\n```ts\nconst x = 1;\n```\n\n> цитата _курсив_ ~~зачёркнуто~~';
    for (let end = 1; end <= answer.length; end += 1) expect(() => visible(answer.slice(0, end))).not.toThrow();
  });

  it('shows the tail of a long answer after "… ", within 4096 characters', () => {
    const long = Array.from({ length: 1500 }, (_, i) => `слово${i}`).join(' ');
    const draft = draftText(long);
    const seen = visible(long);
    expect(seen.length).toBeLessThanOrEqual(4096);
    expect(seen.startsWith(DRAFT_TAIL_MARK)).toBe(true);
    expect(long.endsWith(seen.slice(DRAFT_TAIL_MARK.length))).toBe(true);
    expect(draftText(long, 'plain').text).toBe(seen);
    expect(draft.parseMode).toBe('HTML');
    expect(visible('x'.repeat(4096)).length).toBeLessThanOrEqual(4096);
  });

  it('gives plain text when asked', () => {
    expect(draftText('**Да** <b>', 'plain')).toEqual({ text: 'Да <b>' });
  });
});
