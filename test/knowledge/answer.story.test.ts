import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpenAiLlm } from '../../src/adapters/llm/openai.llm';
import { checkKnowledgeReply, KnowledgeBase, NOT_COVERED_MARKER, planKnowledgeAnswer, type KnowledgeLang } from '../../src/knowledge';
import { FakeOpenAI } from '../fakes/fake-openai';
import { knowledgeDb, knowledgeDir } from './knowledge-fixture';

/**
 * Stories of the knowledge base on the answer path, with the real openai SDK talking to the
 * fake LLM server: what the model is asked, and what the user is told. `ask` is the glue the
 * dialog engine will hold: retrieve, plan, ask the LLM with the entries, check its answer.
 */
const { db, inTransaction } = knowledgeDb();
let fake: FakeOpenAI;
let llm: OpenAiLlm;
const BASE_PROMPT = 'You are the support assistant of the Pixel shop.';

beforeAll(async () => {
  fake = await FakeOpenAI.start();
  llm = OpenAiLlm.create({ apiKey: 'test-key', baseURL: fake.baseURL, model: 'gpt-4o-mini', timeoutMs: 5000, maxRetries: 0 });
});
afterEach(() => fake.reset());
afterAll(async () => {
  await fake.close();
  await db.destroy();
});

async function ask(kb: KnowledgeBase, text: string, lang: KnowledgeLang) {
  const plan = planKnowledgeAnswer(await kb.retrieve({ text, lang }), lang);
  if (plan.kind === 'not_covered') return plan;
  const answer = await llm.complete({ system: plan.systemSuffix ? `${BASE_PROMPT}\n\n${plan.systemSuffix}` : BASE_PROMPT, history: [{ role: 'user', content: text }] });
  if (answer.kind !== 'reply') throw new Error('the fake LLM was not asked to transfer');
  return checkKnowledgeReply(plan, answer.text, lang);
}

describe('the bot answers from the shop knowledge base', () => {
  const folder = knowledgeDir();
  afterAll(() => folder.remove());

  it('a user asks about delivery to a pickup point: the entry goes to the LLM with its title, and its answer reaches the user', async () => {
    fake.enqueue({ text: 'Доставка в пункт выдачи стоит 149 ₽, а от 2000 ₽ — бесплатно (источник: «Стоимость доставки»).' });
    await inTransaction({ dir: folder.dir }, async (kb) => {
      await kb.ensureIndexed();
      const outcome = await ask(kb, 'Сколько стоит доставка в пункт выдачи?', 'ru');
      expect(outcome).toEqual({ kind: 'reply', text: expect.stringContaining('149 ₽') });
    });
    const [request] = await fake.waitForRequests(1);
    const system: string = request?.body.messages[0].content;
    expect(system).toContain('### 1. Стоимость доставки');
    expect(system).toContain('в пункт выдачи — 149 ₽, бесплатно при заказе от 2000 ₽');
    expect(system).toContain(NOT_COVERED_MARKER);
  });

  it('a user asks what the base does not cover: no guess from the LLM, an honest answer and the offer of a human', async () => {
    await inTransaction({ dir: folder.dir }, async (kb) => {
      await kb.ensureIndexed();
      const outcome = await ask(kb, 'Вы продаёте автомобили?', 'ru');
      expect(outcome).toEqual({
        kind: 'not_covered',
        text: 'В нашей базе знаний нет ответа на этот вопрос, и гадать я не буду.',
        signal: { layer: 'knowledge', confidence: 'medium', reason: 'knowledge.not_covered' },
      });
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('the model says the entries do not answer the question: the user never sees its text, and is offered a human', async () => {
    fake.enqueue({ text: NOT_COVERED_MARKER });
    await inTransaction({ dir: folder.dir }, async (kb) => {
      await kb.ensureIndexed();
      const outcome = await ask(kb, 'Can I pay the courier with a gift card?', 'en');
      expect(outcome).toMatchObject({ kind: 'not_covered', text: 'Our knowledge base has no answer to this question, and I would rather not guess.', signal: { reason: 'knowledge.not_covered' } });
    });
    expect(fake.requests).toHaveLength(1);
  });

  it('a greeting is small talk: the LLM answers it without entries, and no human is offered', async () => {
    fake.enqueue({ text: 'Hello! How can I help?' });
    await inTransaction({ dir: folder.dir }, async (kb) => {
      await kb.ensureIndexed();
      expect(await ask(kb, 'Hi there!', 'en')).toEqual({ kind: 'reply', text: 'Hello! How can I help?' });
    });
    const [request] = await fake.waitForRequests(1);
    expect(request?.body.messages[0].content).toBe(BASE_PROMPT);
  });
});

describe('the shop edits its knowledge base', () => {
  it('a price changes in a file, the base is reindexed, and the next answer is made from the new text', async () => {
    const folder = knowledgeDir();
    try {
      await inTransaction({ dir: folder.dir }, async (kb) => {
        await kb.ensureIndexed();
        await ask(kb, 'How much is delivery to a pickup point?', 'en');
        const file = join(folder.dir, 'delivery.en.md');
        folder.write('delivery.en.md', readFileSync(file, 'utf8').replace('pickup point: 149 ₽', 'pickup point: 99 ₽'));
        expect(await kb.reindex()).toEqual({ changed: true, entries: 92 });
        await ask(kb, 'How much is delivery to a pickup point?', 'en');
      });
      const [before, after] = await fake.waitForRequests(2);
      expect(before?.body.messages[0].content).toContain('pickup point: 149 ₽');
      expect(after?.body.messages[0].content).toContain('pickup point: 99 ₽');
      expect(after?.body.messages[0].content).not.toContain('149 ₽');
    } finally {
      folder.remove();
    }
  });
});
