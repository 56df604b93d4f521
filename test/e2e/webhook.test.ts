import { alice, SECRET, startHarness, WEBHOOK_PATH, type Harness } from './harness';

let h: Harness;
afterEach(() => h?.close());

async function raw(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(h.svc.url + WEBHOOK_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET, ...headers },
    body,
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

const stored = async () => Number((await h.services.db('inbox_updates').count<{ n: string }[]>('* as n'))[0]!.n);

describe('the webhook', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  it('a wrong secret gets 401 and nothing is processed', async () => {
    expect(await h.post(h.updates.text(alice, 'hi'), 'wrong-secret')).toBe(401);
    expect(await h.post(h.updates.text(alice, 'hi'), null)).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await stored()).toBe(0);
    expect(h.ai.requests).toHaveLength(0);
    expect(h.tg.callsTo('sendMessage')).toHaveLength(0);
  });

  it('malformed JSON gets 400, a body over 1 MB gets 413, neither is stored', async () => {
    expect(await raw('{"update_id": 1, "message": ')).toEqual({ status: 400, body: { error: { code: 'MALFORMED_JSON', message: 'malformed JSON' } } });
    const big = JSON.stringify({ update_id: 2, message: { text: 'x'.repeat(1_100_000) } });
    expect((await raw(big)).status).toBe(413);
    expect((await raw(JSON.stringify({ hello: 'world' }))).body).toEqual({
      error: { code: 'NOT_AN_UPDATE', message: 'not a Telegram update: update_id is missing' },
    });
    expect((await raw('update_id=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect(await stored()).toBe(0);
  });

  it('a valid update of a kind the bot does not handle gets 200 and is ignored', async () => {
    expect(await h.post(h.updates.unhandled('poll'))).toBe(200);
    expect(await h.post(h.updates.unhandled('message_reaction'))).toBe(200);
    expect(await stored()).toBe(0);
    expect(h.tg.callsTo('sendMessage')).toHaveLength(0);
  });

  it('answers 200 before the LLM has answered: the LLM is never on the webhook\'s path', async () => {
    h.ai.setLatency(1500);
    expect(await h.post(h.updates.text(alice, 'slow question'))).toBe(200);
    expect(h.tg.textsTo(alice.id)).toEqual([]); // acknowledged, not yet answered
    await h.tg.waitFor(() => h.tg.textsTo(alice.id).length === 1, 5000);
  });

  it('a stop waits for the update in hand and marks it done: after the restart nothing is done twice', async () => {
    h.ai.setLatency(500);
    expect(await h.post(h.updates.text(alice, 'a question just before a deploy'))).toBe(200);
    await h.ai.waitForRequests(1);
    await h.restart();

    expect(h.tg.textsTo(alice.id)).toHaveLength(1);
    const pending = await h.services.db('inbox_updates').whereNull('processed_at').count<{ n: string }[]>('* as n');
    expect(pending[0]!.n).toBe('0');
    await h.settled();
    expect(h.ai.requests).toHaveLength(1);
    expect(h.tg.textsTo(alice.id)).toHaveLength(1);
  });

  it('health and readiness', async () => {
    expect((await fetch(h.svc.url + '/healthz')).status).toBe(200);
    const ready = await fetch(h.svc.url + '/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: 'ok', redis: 'ok' } });
  });
});

describe('start-up', () => {
  it('registers the webhook with BASE_WEBHOOK_URL + WEBHOOK_PATH, the secret and the update kinds it handles', async () => {
    h = await startHarness({ BASE_WEBHOOK_URL: 'https://bot.example.com/' });
    await h.tg.waitFor(() => h.tg.callsTo('setWebhook').length === 1);
    expect(h.tg.callsTo('setWebhook')[0]!.params).toMatchObject({
      url: 'https://bot.example.com/telegram/webhook',
      secret_token: SECRET,
      allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member', 'stopped_message_generation'],
    });
  });

  it('polling mode runs without a public URL, through the same processing path', async () => {
    h = await startHarness({ TELEGRAM_MODE: 'polling' });
    await h.tg.waitFor(() => h.tg.callsTo('getUpdates').length >= 1);
    h.tg.pushUpdate(h.updates.text(alice, 'polling works?'));
    await h.tg.waitFor(() => h.tg.textsTo(alice.id).length === 1, 5000);
    expect(h.tg.textsTo(alice.id)).toEqual(['Ответ: polling works?']);
    expect(await stored()).toBe(1);
    expect(h.tg.callsTo('deleteWebhook')).toHaveLength(1);
  });
});
