import { KnowledgeParseError } from '../../src/knowledge';
import { knowledgeDb, knowledgeDir } from './knowledge-fixture';

const { db, inTransaction } = knowledgeDb();
afterAll(() => db.destroy());

describe('the knowledge base in PostgreSQL', () => {
  it('indexes the files at start-up, and again only when a file changed', async () => {
    const folder = knowledgeDir();
    try {
      await inTransaction({ dir: folder.dir }, async (kb) => {
        expect(await kb.ensureIndexed()).toEqual({ changed: true, entries: 92 });
        expect(await kb.ensureIndexed()).toEqual({ changed: false, entries: 92 });
        folder.write('extra.en.md', '## Gift wrapping\nWe wrap any order as a gift for 200 ₽.');
        expect(await kb.ensureIndexed()).toEqual({ changed: true, entries: 93 });
        const listed = await kb.listEntries({ lang: 'en' });
        expect(listed).toHaveLength(47);
        expect(listed.find((e) => e.id === 'extra.en.md#Gift wrapping')).toMatchObject({ heading: 'Gift wrapping', lang: 'en', hasEmbedding: false });
      });
    } finally {
      folder.remove();
    }
  });

  it('keeps the old index when a file is broken, and says which file and line', async () => {
    const folder = knowledgeDir({ 'a.en.md': '## Hours\nOpen daily 10 to 9.' });
    try {
      await inTransaction({ dir: folder.dir }, async (kb) => {
        await kb.ensureIndexed();
        folder.write('b.en.md', '## Hours\nfirst\n## Hours\nsecond');
        await expect(kb.reindex()).rejects.toThrow(KnowledgeParseError);
        await expect(kb.reindex()).rejects.toThrow('b.en.md:3: the heading "Hours" is used twice');
        expect((await kb.listEntries()).map((e) => e.id)).toEqual(['a.en.md#Hours']);
      });
    } finally {
      folder.remove();
    }
  });

  describe('with the example base', () => {
    const folder = knowledgeDir();
    afterAll(() => folder.remove());
    const retrieve = (text: string, lang: 'ru' | 'en', context?: string[]) =>
      inTransaction({ dir: folder.dir }, async (kb) => {
        await kb.ensureIndexed();
        return kb.retrieve({ text, lang, context });
      });

    it('finds the entry that answers a question, typos and colloquial words included', async () => {
      const r = await retrieve('скока стоит доставка в пвз?', 'ru');
      expect(r.decision).toBe('covered');
      expect(r.entries[0]).toMatchObject({ id: 'delivery.ru.md#Стоимость доставки', title: 'Стоимость доставки' });
      expect(r.entries[0]?.text).toContain('в пункт выдачи — 149 ₽');
      expect((await retrieve('whats the waranty on a laptop', 'en')).entries.map((e) => e.id)).toContain('warranty.en.md#Warranty period');
    });

    it('corrects two swapped letters in a short word, which breaks too many trigrams to look similar', async () => {
      const r = await retrieve('how do I retrun a blender', 'en');
      expect(r.decision).toBe('covered');
      expect(r.entries.map((e) => e.id)).toContain('returns.en.md#How to return an item');
    });

    it('still answers when the question names a product or uses a verb the base never mentions', async () => {
      const ru = await retrieve('привезли разбитый утюг', 'ru');
      expect(ru.decision).toBe('covered');
      expect(ru.entries.map((e) => e.id)).toContain('returns.ru.md#Пришёл повреждённый или не тот товар');
      const en = await retrieve('the toaster arrived damaged', 'en');
      expect(en.decision).toBe('covered');
      expect(en.entries.map((e) => e.id)).toContain('returns.en.md#A damaged or wrong item arrived');
    });

    it('says a question it has nothing for is not covered', async () => {
      const r = await retrieve('какая погода завтра в москве', 'ru');
      expect(r).toMatchObject({ decision: 'not_covered', covered: false, smallTalk: false });
      expect((await retrieve('do you sell cars?', 'en')).decision).toBe('not_covered');
    });

    it('calls a greeting small talk, with nothing retrieved', async () => {
      expect(await retrieve('Добрый день!', 'ru')).toMatchObject({ decision: 'small_talk', smallTalk: true, entries: [] });
      expect((await retrieve('thanks a lot!', 'en')).decision).toBe('small_talk');
    });

    it('reads a short follow-up with the earlier turns of the dialog', async () => {
      const alone = await retrieve('а сколько это стоит?', 'ru');
      const followUp = await retrieve('а сколько это стоит?', 'ru', ['хочу расширенную гарантию на телефон']);
      expect(alone.entries[0]?.id).toBe('delivery.ru.md#Стоимость доставки');
      expect(followUp).toMatchObject({ decision: 'covered', entries: [expect.objectContaining({ id: 'warranty.ru.md#Расширенная гарантия' }), expect.anything(), expect.anything()] });
    });
  });
});
