/**
 * The admin API as the people who run the service meet it: ids are positive decimal integers
 * only, every error is JSON (404, 405, 413 included), what needs the token and what does not, and
 * with ADMIN_PORT the admin API and /metrics answer only on their own listener.
 */
import { alice, startHarness, type Harness } from '../e2e/harness';

const TOKEN = 'admin-token-for-tests-0123456789';
const ADMIN = { authorization: `Bearer ${TOKEN}` };
let h: Harness;
afterEach(() => h?.close());

async function call(base: string, method: string, path: string, body?: string, headers: Record<string, string> = ADMIN) {
  const res = await fetch(base + path, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json, allow: res.headers.get('allow') };
}

describe('the admin API on the shared port', () => {
  beforeEach(async () => {
    h = await startHarness();
    await h.post(h.updates.text(alice, 'Hello'));
    await h.settled();
  });

  it('refuses ids that are not positive decimal integers: POST /api/dialogs/0x10/close closes nothing', async () => {
    const [dialog] = await h.services.db('dialogs').select('id');
    expect(Number(dialog.id)).toBe(1);
    for (const id of ['0x1', '0x10', '1e0', '9e15', '+1', '1.0', '01', '-1', '0', ' 1', '1 ', '99999999999999999', '1_0']) {
      const answer = await call(h.svc.url, 'POST', `/api/dialogs/${encodeURIComponent(id)}/close`);
      expect({ id, status: answer.status, code: answer.body.error?.code }).toEqual({ id, status: 400, code: 'VALIDATION_FAILED' });
    }
    expect((await call(h.svc.url, 'GET', '/api/dialogs?before=0x10')).status).toBe(400);
    expect((await call(h.svc.url, 'GET', '/api/dialogs?limit=1e1')).status).toBe(400);
    expect((await call(h.svc.url, 'GET', '/api/dialogs?limit=201')).status).toBe(400);
    const [still] = await h.services.db('dialogs').select('state');
    expect(still.state).toBe('botActive');
    expect((await call(h.svc.url, 'GET', '/api/dialogs/1')).status).toBe(200);
  });

  it('answers every error as JSON: 404 for no such path, 405 with Allow, 413 for a body over 64 KB', async () => {
    expect(await call(h.svc.url, 'GET', '/api/nothing-here')).toEqual({
      status: 404,
      allow: null,
      body: { error: { code: 'NOT_FOUND', message: 'no such path' } },
    });
    const wrongMethod = await call(h.svc.url, 'DELETE', '/api/dialogs/1');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.allow).toContain('GET');
    expect(wrongMethod.body).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: expect.stringContaining('DELETE is not allowed here') } });
    const big = await call(h.svc.url, 'POST', '/api/dialogs/1/messages', JSON.stringify({ text: 'x'.repeat(70_000) }));
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    expect((await call(h.svc.url, 'GET', '/nowhere')).body).toEqual({ error: { code: 'NOT_FOUND', message: 'no such path' } });
  });

  it('needs the token for every call but the OpenAPI document, which holds no data', async () => {
    for (const path of ['/api/dialogs', '/api/dialogs/1', '/api/rejected-updates']) {
      expect((await call(h.svc.url, 'GET', path, undefined, {})).status).toBe(401);
    }
    expect((await call(h.svc.url, 'POST', '/api/dialogs/1/close', undefined, {})).status).toBe(401);
    const doc = await call(h.svc.url, 'GET', '/api/openapi.json', undefined, {});
    expect(doc.status).toBe(200);
    expect(doc.body.paths['/openapi.json'].get.security).toEqual([]);
  });

  it('a text with a NUL written to a user is sent and stored without it', async () => {
    const sent = await call(h.svc.url, 'POST', '/api/dialogs/1/messages', JSON.stringify({ text: 'Hi\u0000 there' }));
    expect(sent.status).toBe(201);
    expect(h.tg.textsTo(alice.id).at(-1)).toBe('Hi there');
  });
});

describe('ADMIN_PORT', () => {
  it('moves the admin API, /metrics and /readyz to their own listener; the public one keeps the webhook and /healthz', async () => {
    h = await startHarness({ ADMIN_PORT: '0' });
    expect(h.svc.adminUrl).not.toBe(h.svc.url);
    expect(await h.post(h.updates.text(alice, 'Hello'))).toBe(200);
    await h.settled();
    expect((await call(h.svc.url, 'GET', '/healthz', undefined, {})).status).toBe(200);
    for (const path of ['/api/dialogs', '/api/openapi.json', '/metrics', '/readyz']) {
      expect({ path, status: (await call(h.svc.url, 'GET', path)).status }).toEqual({ path, status: 404 });
    }
    expect((await call(h.svc.adminUrl, 'GET', '/api/dialogs')).body.dialogs).toHaveLength(1);
    expect((await call(h.svc.adminUrl, 'GET', '/readyz')).status).toBe(200);
    expect((await call(h.svc.adminUrl, 'GET', '/metrics')).body).toContain('bot_updates_received_total{kind="message",outcome="stored"} 1');
    expect((await call(h.svc.adminUrl, 'POST', h.config.telegram.webhookPath, '{}')).status).toBe(404);
  });
});
