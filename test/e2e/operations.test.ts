import { TEST_DATABASE_URL } from '../support/env';
import { TcpProxy } from '../support/tcp-proxy';
import { alice, ivan, OPS, startHarness, type Harness } from './harness';

const ADMIN = { authorization: 'Bearer admin-token-for-tests-0123456789' };
let h: Harness;
afterEach(() => h?.close());

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = ADMIN) {
  const res = await fetch(h.svc.url + path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('the admin API', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('answers 401 without the token, or with a wrong one', async () => {
    expect(await api('GET', '/api/dialogs', undefined, {})).toEqual({
      status: 401,
      body: { error: { code: 'UNAUTHORIZED', message: 'missing or wrong bearer token' } },
    });
    expect((await api('GET', '/api/dialogs', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await api('POST', '/api/dialogs/1/close', undefined, {})).status).toBe(401);
  });

  it('lists dialogs by state and shows one with its messages and transitions', async () => {
    await h.post(h.updates.text(alice, 'Hello'));
    await h.post(h.updates.text(ivan, 'Позовите оператора'));
    await h.settled();

    const waiting = await api('GET', '/api/dialogs?state=awaitingOperator');
    expect(waiting.status).toBe(200);
    expect(waiting.body.dialogs.map((d: { user: { firstName: string } }) => d.user.firstName)).toEqual(['Иван']);
    expect((await api('GET', '/api/dialogs')).body.dialogs).toHaveLength(2);

    const one = await api('GET', `/api/dialogs/${waiting.body.dialogs[0].id}`);
    expect(one.body.dialog).toMatchObject({ state: 'awaitingOperator', handoffReason: 'rules.request_human', handoffLayer: 'rules' });
    expect(one.body.messages.map((m: { sender: string; text: string }) => [m.sender, m.text])).toEqual([
      ['user', 'Позовите оператора'],
      ['system', 'Переключаю на человека…'],
    ]);
    expect(one.body.transitions.map((t: { to_state: string }) => t.to_state)).toEqual(['botActive', 'handoffRequested.posting', 'awaitingOperator']);
  });

  it('hands a dialog to the operators, writes to the user as an operator, and closes it', async () => {
    await h.post(h.updates.text(alice, 'Hello'));
    await h.settled();
    expect(await api('POST', '/api/dialogs/1/handoff', { reason: 'vip_customer' })).toEqual({
      status: 200,
      body: { dialog: { id: 1, state: 'awaitingOperator' } },
    });
    expect(h.tg.textsTo(OPS)[0]).toContain('admin.vip_customer');

    const sent = await api('POST', '/api/dialogs/1/messages', { text: 'Hi Alice, <b>this</b> is support.' });
    expect(sent.status).toBe(201);
    expect(h.tg.textsTo(alice.id).at(-1)).toBe('Hi Alice, <b>this</b> is support.');

    expect((await api('POST', '/api/dialogs/1/close')).body).toEqual({ dialog: { id: 1, state: 'closed' } });
    expect(h.tg.textsTo(alice.id).at(-1)).toBe('The conversation is closed. If anything else comes up, just write: I am here.');
    expect(await api('POST', '/api/dialogs/1/close')).toEqual({ status: 409, body: { error: { code: 'DIALOG_CLOSED', message: 'dialog 1 is closed' } } });
  });

  it('validates input and answers errors as JSON with a stable code', async () => {
    expect((await api('GET', '/api/dialogs?state=sleeping')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await api('GET', '/api/dialogs/abc')).body.error.code).toBe('VALIDATION_FAILED');
    expect(await api('GET', '/api/dialogs/99')).toEqual({ status: 404, body: { error: { code: 'DIALOG_NOT_FOUND', message: 'dialog 99 does not exist' } } });
    expect((await api('POST', '/api/dialogs/1/messages', { text: '' })).status).toBe(400);
    expect((await api('POST', '/api/dialogs/1/handoff', { reason: 'DROP TABLE' })).body.error.code).toBe('VALIDATION_FAILED');
  });

  it('publishes its OpenAPI document', async () => {
    const doc = await api('GET', '/api/openapi.json', undefined, {});
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual([
      '/dialogs',
      '/dialogs/{id}',
      '/dialogs/{id}/handoff',
      '/dialogs/{id}/close',
      '/dialogs/{id}/messages',
      '/knowledge',
      '/knowledge/reindex',
      '/updates/set-aside',
      '/rejected-updates',
      '/users/{telegramId}/dialogs',
      '/bans',
      '/bans/{userId}',
      '/stats',
      '/openapi.json',
    ]);
  });
});

describe('/metrics', () => {
  it('counts updates by kind, handoffs by reason and layer, dialogs by state, LLM calls and Telegram errors', async () => {
    h = await startHarness();
    h.tg.failNext('sendMessage', { status: 429, retryAfter: 1 });
    await h.post(h.updates.text(alice, 'Hello'));
    await h.post(h.updates.text(ivan, 'Позовите оператора'));
    await h.post(h.updates.unhandled('poll'));
    await h.settled();
    const text = await (await fetch(h.svc.url + '/metrics')).text();
    expect(text).toContain('bot_updates_received_total{kind="message",outcome="stored"} 2');
    expect(text).toContain('bot_updates_received_total{kind="poll",outcome="ignored"} 1');
    expect(text).toContain('bot_handoffs_total{reason="rules.request_human",layer="rules"} 1');
    expect(text).toContain('bot_dialogs{state="awaitingOperator"} 1');
    expect(text).toContain('bot_dialogs{state="botActive"} 1');
    expect(text).toMatch(/bot_llm_request_seconds_count\{outcome="reply"\} 1/);
    expect(text).toContain('bot_telegram_api_errors_total{method="sendMessage",code="429"} 1');
    expect(text).toMatch(/bot_update_processing_seconds_count \d+/);
  });
});

describe('/readyz', () => {
  it('is 503 while PostgreSQL cannot be reached and 200 once it is back', async () => {
    const pg = new URL(TEST_DATABASE_URL);
    const proxy = await TcpProxy.start({ host: pg.hostname, port: Number(pg.port || 5432) });
    pg.host = `127.0.0.1:${proxy.port}`;
    try {
      h = await startHarness({ DATABASE_URL: pg.toString() });
      expect((await fetch(h.svc.url + '/readyz')).status).toBe(200);

      await proxy.cut();
      const down = await fetch(h.svc.url + '/readyz');
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: 'not ready', checks: { postgres: 'down', redis: 'ok' } });
      expect((await fetch(h.svc.url + '/healthz')).status).toBe(200);

      await proxy.resume();
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await fetch(h.svc.url + '/readyz')).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
    } finally {
      await h?.close();
      h = undefined as never;
      await proxy.close();
    }
  });
});
