import { escapeHtml, visibleLength } from '../../src/text';

describe('texts that are not Markdown (user names, ticket fields)', () => {
  test('are escaped so that Telegram shows them as written', () => {
    expect(escapeHtml('<Bob & "Alice">')).toBe('&lt;Bob &amp; "Alice"&gt;');
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
    expect(escapeHtml('Привет 👋')).toBe('Привет 👋');
  });
});

describe('the visible length Telegram counts against its limit', () => {
  test('tags are not counted', () => {
    expect(visibleLength('<b>bold</b> <a href="https://example.com/very/long">x</a>')).toBe(6);
    expect(visibleLength('<pre><code class="language-ts">let a;</code></pre>')).toBe(6);
  });

  test('an entity counts as the one character it stands for', () => {
    expect(visibleLength('a &lt; b &amp;&amp; c &gt; d &quot;')).toBe(16);
    expect(visibleLength('&#65;&#x42;')).toBe(2);
  });

  test('characters are counted in UTF-16 code units, like Telegram', () => {
    expect(visibleLength('Привет')).toBe(6);
    expect(visibleLength('😀')).toBe(2);
    expect(visibleLength('&#128512;')).toBe(2);
  });

  test('what escapeHtml adds is not counted', () => {
    const name = '<a&b>';
    expect(visibleLength(escapeHtml(name))).toBe(name.length);
  });
});
