import { loadConfig, type Config } from '../../src/config';
import { startService, type RunningService, type ServiceOptions } from '../../src/service';
import { FakeOpenAI } from '../fakes/fake-openai';
import { FakeTelegram } from '../fakes/fake-telegram';
import { UpdateFactory, type TgUserLike } from '../fakes/updates';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env';
import { openTestServices, type TestServices } from '../support/services';

export const BOT_TOKEN = '123456:TEST-token-for-the-fake';
export const SECRET = 'test_webhook_secret-123';
export const WEBHOOK_PATH = '/telegram/webhook';
export const OPS = -1001234567890;

export const ivan: TgUserLike = { id: 1001, first_name: 'Иван', username: 'ivan', language_code: 'ru' };
export const alice: TgUserLike = { id: 1002, first_name: 'Alice', username: 'alice', language_code: 'en' };
export const anna: TgUserLike = { id: 501, first_name: 'Anna', username: 'anna_ops' };
export const boris: TgUserLike = { id: 502, first_name: 'Boris' };
export const stranger: TgUserLike = { id: 666, first_name: 'Stranger' };

/** The environment a user would set, pointed at the fakes and the test databases. */
export function testEnv(tg: FakeTelegram, ai: FakeOpenAI, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    BOT_TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    WEBHOOK_SECRET: SECRET,
    WEBHOOK_PATH,
    WEB_SERVER_HOST: '127.0.0.1',
    WEB_SERVER_PORT: '0',
    OPERATOR_CHAT_ID: String(OPS),
    OPERATOR_LANG: 'en',
    CHAT_GPT_TOKEN: 'test-openai-key',
    OPENAI_BASE_URL: ai.baseURL,
    OPENAI_MODEL: 'gpt-4o-mini',
    OPENAI_TIMEOUT_MS: '3000',
    OPENAI_MAX_RETRIES: '1',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    ADMIN_TOKEN: 'admin-token-for-tests-0123456789',
    WORKER_CONCURRENCY: '4',
    // The LLM alone answers, as it did before the knowledge base; its stories turn it on.
    KNOWLEDGE_DIR: 'off',
    // Tickets without the LLM's brief, so the stories count only the LLM calls they are about; its stories turn it on.
    TICKET_BRIEF: 'false',
    // No "How did we do?" after /close, so the stories that close dialogs see only what they are about; the ratings' stories turn it on.
    CSAT: 'false',
    ...overrides,
  };
}

/** Everything an end-to-end test drives: the real service over HTTP, the fakes, the databases. */
export interface Harness {
  tg: FakeTelegram;
  ai: FakeOpenAI;
  svc: RunningService;
  services: TestServices;
  updates: UpdateFactory;
  config: Config;
  /** Posts an update to the webhook the way Telegram does; returns the HTTP status. */
  post(update: object, secret?: string | null): Promise<number>;
  /** Restarts the service, as after a deploy: the same configuration, with `overrides` on top. */
  restart(overrides?: Record<string, string>): Promise<void>;
  /** Waits until the inbox is empty and no effect is pending. */
  settled(timeoutMs?: number): Promise<void>;
  /** Ivan asks for a person and Anna takes dialog 1, as the toolkit's stories begin; resolves with the ticket's message id. */
  ticketTakenByAnna(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts fakes and the service; operators `anna` and `boris` are members of the operators' group.
 * `options` go to the service as they are: `{ clock: new FakeClock('2026-12-04T17:00:00Z') }`
 * (test/support/fake.clock.ts) sets its time of day, which steps and timers then follow.
 */
export async function startHarness(overrides: Record<string, string> = {}, options: ServiceOptions = {}): Promise<Harness> {
  const tg = await FakeTelegram.start({ token: BOT_TOKEN });
  const ai = await FakeOpenAI.start();
  const services = openTestServices();
  await services.reset();
  tg.setChatMember(OPS, anna.id, 'member');
  tg.setChatMember(OPS, boris.id, 'administrator');
  let config = loadConfig(testEnv(tg, ai, overrides));
  const opts: ServiceOptions = { timerPollMs: 100, outboxPollMs: 100, ...options };
  let svc: RunningService;
  try {
    svc = await startService(config, opts);
  } catch (error) {
    await Promise.all([tg.close(), ai.close(), services.close()]);
    throw error;
  }
  const harness: Harness = {
    tg,
    ai,
    services,
    get config() {
      return config;
    },
    updates: new UpdateFactory(1, tg),
    get svc() {
      return svc;
    },
    async post(update, secret = SECRET) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
      const res = await fetch(svc.url + WEBHOOK_PATH, { method: 'POST', headers, body: JSON.stringify(update) });
      await res.arrayBuffer();
      return res.status;
    },
    async restart(more = {}) {
      await svc.stop();
      if (Object.keys(more).length > 0) config = loadConfig(testEnv(tg, ai, { ...overrides, ...more }));
      svc = await startService(config, opts);
    },
    async settled(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [inbox] = await services.db('inbox_updates').whereNull('processed_at').count<{ n: string }[]>('* as n');
        const [outbox] = await services.db('outbox').whereNull('done_at').count<{ n: string }[]>('* as n');
        if (Number(inbox?.n) === 0 && Number(outbox?.n) === 0) return;
        if (Date.now() > deadline) throw new Error(`not settled: ${inbox?.n} updates and ${outbox?.n} effects pending`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async ticketTakenByAnna() {
      await harness.post(harness.updates.text(ivan, 'Позовите оператора, пожалуйста'));
      const toOps = () => tg.callsTo('sendMessage').filter((c) => c.params.chat_id === OPS);
      await tg.waitFor(() => toOps().length >= 1);
      await harness.settled();
      const ticketId = (toOps()[0]!.result as { message_id: number }).message_id;
      await harness.post(harness.updates.groupText(OPS, anna, '/take 1'));
      await harness.settled();
      return ticketId;
    },
    async close() {
      await svc.stop();
      await tg.close();
      await ai.close();
      await services.close();
    },
  };
  return harness;
}
