import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alice, startHarness, type Harness } from './harness';

let h: Harness;
let dir: string;
beforeEach(async () => {
  // A copy of the example base the test may edit.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-'));
  for (const f of fs.readdirSync('knowledge')) fs.copyFileSync(path.join('knowledge', f), path.join(dir, f));
  h = await startHarness({ KNOWLEDGE_DIR: dir });
});
afterEach(async () => {
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const api = (method: string, p: string, body?: unknown) =>
  fetch(h.svc.adminUrl + p, {
    method,
    headers: { authorization: 'Bearer admin-token-for-tests-0123456789', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
const system = (i: number) => String(h.ai.requests[i]!.body.messages[0].content);

describe('answers from the company\'s own knowledge', () => {
  it('a question the base covers: the retrieved entry goes to the LLM with its title', async () => {
    await h.post(h.updates.text(alice, 'how can I delete my account?'));
    await h.tg.waitFor(() => h.tg.textsTo(alice.id).length === 1);
    expect(system(0)).toContain('Deleting your account and personal data');
    expect(system(0)).toContain('"Profile" → "Delete account"');
    expect(await h.services.db('dialog_transitions').where({ layer: 'knowledge' }).count('* as n')).toEqual([{ n: '0' }]);
  });

  it('a question the base does not cover: the honest answer and the offer of a human, recorded as knowledge.not_covered; no LLM call', async () => {
    await h.post(h.updates.text(alice, 'do you sell cars?'));
    await h.tg.waitFor(() => h.tg.textsTo(alice.id).length === 2);
    expect(h.tg.textsTo(alice.id)).toEqual(['Our knowledge base has no answer to this question, and I would rather not guess.', 'Switch you to a human?']);
    expect(h.ai.requests).toHaveLength(0);
    const transition = await h.services.db('dialog_transitions').where({ to_state: 'handoffRequested.confirming' }).first();
    expect(transition).toMatchObject({ layer: 'knowledge', reason: 'knowledge.not_covered' });
  });

  it('the model saying the entries do not cover it is the same honest answer, never its guess', async () => {
    h.ai.enqueue({ text: '[[NOT_COVERED]] I think it might be about 3 days' });
    await h.post(h.updates.text(alice, 'how long does delivery take?'));
    await h.tg.waitFor(() => h.tg.textsTo(alice.id).length === 2);
    expect(h.tg.textsTo(alice.id)).toEqual(['Our knowledge base has no answer to this question, and I would rather not guess.', 'Switch you to a human?']);
    expect(h.tg.draftsTo(alice.id).some((d) => d.text.includes('NOT_COVERED'))).toBe(false);
  });

  it('a greeting does not trigger the offer', async () => {
    await h.post(h.updates.text(alice, 'hi there!'));
    await h.tg.waitFor(() => h.tg.textsTo(alice.id).length === 1);
    expect(h.tg.textsTo(alice.id)).toEqual(['Ответ: hi there!']);
    expect(h.ai.requests).toHaveLength(1);
  });

  it('editing a file and reindexing changes the next answer', async () => {
    const file = path.join(dir, 'account.en.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"Profile" → "Delete account"', '"Settings" → "Close my account"'));
    const reindex = await api('POST', '/api/knowledge/reindex', {});
    expect(reindex).toMatchObject({ status: 200, body: { index: { changed: true } } });
    await h.post(h.updates.text(alice, 'how can I delete my account?'));
    await h.tg.waitFor(() => h.tg.textsTo(alice.id).length === 1);
    expect(system(0)).toContain('"Settings" → "Close my account"');
    const listed = await api('GET', '/api/knowledge?lang=en');
    expect((listed.body.entries as Array<{ heading: string }>).some((e) => e.heading === 'Deleting your account and personal data')).toBe(true);
  });
});
