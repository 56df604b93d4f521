import { KnowledgeParseError, parseKnowledgeFile } from '../../src/knowledge';

describe('a knowledge file, as a writer of the base sees it', () => {
  const file = [
    '---',
    'lang: ru',
    'tags: [доставка, "курьер"]  # a comment',
    'author: support team',
    '---',
    '# Доставка',
    'An introduction nobody asks about.',
    '',
    '## Сроки доставки',
    'Теги: сколько ждать, когда привезут',
    'По Москве — 1–2 дня.',
    '',
    '```',
    '## not a heading inside code',
    '```',
    '### A sub-heading stays in the entry',
    'More text.',
    '## Стоимость доставки ##',
    '390 ₽, бесплатно от 5000 ₽.',
  ].join('\n');

  it('becomes one entry per ## heading, with the file front matter and the entry own tags', () => {
    const entries = parseKnowledgeFile('delivery.ru.md', file);
    expect(entries.map((e) => e.id)).toEqual(['delivery.ru.md#Сроки доставки', 'delivery.ru.md#Стоимость доставки']);
    expect(entries[0]).toMatchObject({ heading: 'Сроки доставки', lang: 'ru', position: 0, tags: ['доставка', 'курьер', 'сколько ждать', 'когда привезут'] });
    expect(entries[0]?.body).toContain('По Москве — 1–2 дня.');
    expect(entries[0]?.body).toContain('## not a heading inside code');
    expect(entries[0]?.body).toContain('### A sub-heading stays in the entry');
    expect(entries[0]?.body).not.toContain('Теги:');
    expect(entries[1]).toMatchObject({ heading: 'Стоимость доставки', body: '390 ₽, бесплатно от 5000 ₽.', position: 1, tags: ['доставка', 'курьер'] });
  });

  it('takes the language from the file name, or else from the text, when the front matter has none', () => {
    expect(parseKnowledgeFile('faq.en.md', '## Hours\nWe are open daily.')[0]?.lang).toBe('en');
    expect(parseKnowledgeFile('faq.md', '## Часы\nРаботаем ежедневно.')[0]?.lang).toBe('ru');
    expect(parseKnowledgeFile('faq.md', '## Hours\nOpen daily.')[0]?.lang).toBe('en');
  });

  it.each([
    ['the same heading twice', '## A\ntext\n## A\nmore', /used twice \(also on line 1\)/],
    ['an entry without text', '## Empty\n\n## Full\ntext', /has no text/],
    ['an unknown language', '---\nlang: de\n---\n## A\ntext', /unknown language "de"/],
    ['front matter that never closes', '---\nlang: ru\n## A\ntext', /never closed/],
  ])('refuses %s, naming the file and line', (_, content, message) => {
    expect(() => parseKnowledgeFile('bad.md', content)).toThrow(KnowledgeParseError);
    expect(() => parseKnowledgeFile('bad.md', content)).toThrow(message);
  });
});
