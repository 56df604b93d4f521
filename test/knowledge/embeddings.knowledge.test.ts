import { EmbeddingsError, OpenAiEmbeddings } from '../../src/knowledge';
import { cosine } from '../../src/knowledge/embeddings.knowledge';
import { FakeEmbeddings } from './fake-embeddings';
import { knowledgeDb, knowledgeDir } from './knowledge-fixture';

const { db, inTransaction } = knowledgeDb();
let fake: FakeEmbeddings;

beforeAll(async () => {
  fake = await FakeEmbeddings.start([
    ['gift wrap', 'festive box'],
    ['hours', 'open'],
  ]);
});
afterAll(async () => {
  await fake.close();
  await db.destroy();
});

const embeddings = () => OpenAiEmbeddings.create({ apiKey: 'test-key', baseURL: fake.baseURL, model: 'fake-embed', timeoutMs: 2000, maxRetries: 0 });

describe('optional embeddings through the /embeddings endpoint', () => {
  it('embed the entries when indexing, only the changed ones when reindexing, and find an entry no word of the question is in', async () => {
    const folder = knowledgeDir({
      'shop.en.md': '## Festive boxes\nWe pack any order in a festive box with a ribbon for 200 ₽.\n\n## Opening hours\nStores are open daily from 10 am to 9 pm.',
    });
    try {
      await inTransaction({ dir: folder.dir, embeddings: embeddings() }, async (kb) => {
        expect(await kb.ensureIndexed()).toEqual({ changed: true, entries: 2 });
        expect(fake.requests).toEqual([{ model: 'fake-embed', input: [expect.stringContaining('Festive boxes'), expect.stringContaining('Opening hours')] }]);
        expect((await kb.listEntries()).every((e) => e.hasEmbedding)).toBe(true);

        folder.write('shop.en.md', '## Festive boxes\nWe pack any order in a festive box with a ribbon for 250 ₽.\n\n## Opening hours\nStores are open daily from 10 am to 9 pm.');
        await kb.reindex();
        expect(fake.requests[1]?.input).toEqual([expect.stringContaining('250 ₽')]);

        // No word of the question is in the entry: only its embedding finds it.
        const r = await kb.retrieve({ text: 'do you gift wrap purchases?', lang: 'en' });
        expect(r.entries[0]?.id).toBe('shop.en.md#Festive boxes');
        expect(r.decision).toBe('covered');
      });
      await inTransaction({ dir: folder.dir }, async (kb) => {
        await kb.ensureIndexed();
        expect((await kb.retrieve({ text: 'do you gift wrap purchases?', lang: 'en' })).decision).toBe('not_covered'); // text alone
      });
    } finally {
      folder.remove();
    }
  });

  it('fall back to the text ranking when the endpoint fails', async () => {
    const folder = knowledgeDir({ 'shop.en.md': '## Opening hours\nStores are open daily from 10 am to 9 pm.' });
    try {
      await inTransaction({ dir: folder.dir, embeddings: embeddings() }, async (kb) => {
        await kb.ensureIndexed();
        fake.failWith = 500;
        const r = await kb.retrieve({ text: 'what are your opening hours', lang: 'en' });
        expect(r).toMatchObject({ decision: 'covered', entries: [expect.objectContaining({ id: 'shop.en.md#Opening hours' })] });
      });
    } finally {
      fake.failWith = null;
      folder.remove();
    }
  });

  it('report a refusal as a typed error, and compare vectors by cosine', async () => {
    fake.failWith = 401;
    try {
      await expect(embeddings().embed(['x'])).rejects.toMatchObject({ code: 'EMBEDDINGS_REFUSED', status: 401 });
      await expect(embeddings().embed(['x'])).rejects.toBeInstanceOf(EmbeddingsError);
    } finally {
      fake.failWith = null;
    }
    expect(cosine([1, 0], [1, 0])).toBe(1);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([0, 0], [1, 1])).toBe(0);
  });
});
