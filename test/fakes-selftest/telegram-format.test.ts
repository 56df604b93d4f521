import { renderFormatted } from '../fakes/telegram-format';

describe('renderFormatted checks parse_mode texts like Telegram and shows what the reader sees', () => {
  it('leaves plain text alone', () => {
    expect(renderFormatted('a < b_c.', undefined)).toEqual({ ok: true, text: 'a < b_c.' });
  });

  it('HTML: strips supported tags, decodes entities, refuses stray or unbalanced tags', () => {
    expect(renderFormatted('<b>Bold <i>and</i></b> <a href="https://x.test">link</a> &lt;3 &#33;', 'HTML')).toEqual({
      ok: true,
      text: 'Bold and link <3 !',
    });
    expect(renderFormatted('<span class="tg-spoiler">s</span><pre><code class="language-ts">x</code></pre>', 'HTML')).toEqual({
      ok: true,
      text: 'sx',
    });
    expect(renderFormatted('a <br> b', 'HTML')).toMatchObject({ ok: false, description: expect.stringContaining('Unsupported start tag "br"') });
    expect(renderFormatted('<b>open', 'HTML')).toMatchObject({ ok: false });
    expect(renderFormatted('<b><i>x</b></i>', 'HTML')).toMatchObject({ ok: false });
  });

  it('MarkdownV2: needs reserved characters escaped, strips markup', () => {
    expect(renderFormatted('*Итого:* 1\\.5 \\- [ссылка](https://x.test) `a_b` __u__ ||s||', 'MarkdownV2')).toEqual({
      ok: true,
      text: 'Итого: 1.5 - ссылка a_b u s',
    });
    expect(renderFormatted('1.5', 'MarkdownV2')).toMatchObject({ ok: false, description: expect.stringContaining("Character '.'") });
    expect(renderFormatted('snake_case', 'MarkdownV2')).toMatchObject({
      ok: false,
      description: expect.stringContaining("Can't find end of Italic entity"),
    });
  });

  it('legacy Markdown: one stray underscore fails the whole text', () => {
    expect(renderFormatted('*bold* and _it_', 'Markdown')).toEqual({ ok: true, text: 'bold and it' });
    expect(renderFormatted('my_file name', 'Markdown')).toMatchObject({
      ok: false,
      description: expect.stringContaining("Can't find end of the entity starting at byte offset 2"),
    });
  });
});
