import net from 'node:net';
import { loadConfig } from '../../src/config';
import { startService, type RunningService } from '../../src/service';
import { FakeOpenAI } from '../fakes/fake-openai';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env';
import { openTestServices, type TestServices } from '../support/services';

/** The service in sandbox mode, as `docker compose up` starts it with no .env, on the tests' databases. */
export interface SandboxHarness {
  svc: RunningService;
  /** The page: http://127.0.0.1:<port>/sandbox */
  pageUrl: string;
  /** The fake OpenAI when the story uses a configured LLM; null with the demo responder. */
  ai: FakeOpenAI | null;
  services: TestServices;
  close(): Promise<void>;
}

/**
 * Starts the service in sandbox mode (TELEGRAM_MODE=sandbox: the emulator in the web process,
 * updates by webhook with the secret) on a free fixed port, which sandbox mode needs: the service
 * reaches its own emulator there. `llm: 'fake'` points it at a fake OpenAI (a configured LLM),
 * `'demo'` leaves it to the built-in demo responder.
 */
export async function startSandbox(llm: 'fake' | 'demo', overrides: Record<string, string> = {}): Promise<SandboxHarness> {
  const services = openTestServices();
  await services.reset();
  const ai = llm === 'fake' ? await FakeOpenAI.start() : null;
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    TELEGRAM_MODE: 'sandbox',
    WEB_SERVER_HOST: '127.0.0.1',
    WEB_SERVER_PORT: String(port),
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    TICKET_BRIEF: 'false',
    ...(ai ? { CHAT_GPT_TOKEN: 'test-openai-key', OPENAI_BASE_URL: ai.baseURL, OPENAI_MODEL: 'gpt-4o-mini', OPENAI_TIMEOUT_MS: '5000', OPENAI_MAX_RETRIES: '1', KNOWLEDGE_DIR: 'off' } : {}),
    ...overrides,
  });
  let svc: RunningService;
  try {
    svc = await startService(config, { timerPollMs: 100, outboxPollMs: 100 });
  } catch (error) {
    await Promise.all([ai?.close(), services.close()]);
    throw error;
  }
  return {
    svc,
    pageUrl: `${svc.url}/sandbox`,
    ai,
    services,
    async close() {
      await svc.stop();
      await ai?.close();
      await services.close();
    },
  };
}

/** A port nobody listens on now (the OS picks it; another process could take it before us, rarely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}
