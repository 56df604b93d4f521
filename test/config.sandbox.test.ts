import { loadConfig, SANDBOX_BOT_TOKEN, SANDBOX_OPERATOR_CHAT_ID } from '../src/config';
import { COMPOSE_DEFAULT_DB_PASSWORD, productionWarnings } from '../src/config.warnings';
import { configProblems as problems, validEnv as valid } from './support/config-env';

const databases = { DATABASE_URL: 'postgres://postgres@localhost:5432/app', REDIS_URL: 'redis://localhost:6379' };

describe('sandbox mode in the configuration', () => {
  it('is the default without BOT_TOKEN: nothing but the databases is required', () => {
    expect(problems({})).toEqual([expect.stringMatching(/^DATABASE_URL is not set/), expect.stringMatching(/^REDIS_URL is not set/)]);
    const config = loadConfig(databases);
    expect(config.sandbox).toEqual({ webUrl: 'http://127.0.0.1:8080', pageUrl: 'http://localhost:8080/sandbox', demoLlm: true });
    expect(config.telegram).toMatchObject({
      token: SANDBOX_BOT_TOKEN,
      apiRoot: 'http://127.0.0.1:8080/sandbox',
      mode: 'webhook',
      webhookUrl: 'http://127.0.0.1:8080/telegram/webhook',
      operatorChatId: SANDBOX_OPERATOR_CHAT_ID,
    });
    expect(config.telegram.webhookSecret).toMatch(/^[0-9a-f]{48}$/);
    expect(config.llm).toMatchObject({ baseURL: 'http://127.0.0.1:8080/sandbox/llm/v1', model: 'sandbox-demo' });
  });

  it('lets workers reach the web process that hosts the emulator (SANDBOX_WEB_URL), and keeps a configured LLM', () => {
    const config = loadConfig({ ...databases, SERVICE_ROLE: 'worker', SANDBOX_WEB_URL: 'http://app:8080/', CHAT_GPT_TOKEN: 'sk-real', OPENAI_MODEL: 'gpt-4o' });
    expect(config.telegram.apiRoot).toBe('http://app:8080/sandbox');
    expect(config.sandbox?.demoLlm).toBe(false);
    expect(config.llm).toMatchObject({ apiKey: 'sk-real', baseURL: 'https://api.openai.com/v1', model: 'gpt-4o' });
    // A local OpenAI-compatible server without a key is a configured LLM too.
    expect(loadConfig({ ...databases, OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }).sandbox?.demoLlm).toBe(false);
  });

  it('can be asked for by name even with a BOT_TOKEN, which then never leaves the service', () => {
    const config = loadConfig({ ...valid, TELEGRAM_MODE: 'sandbox' });
    expect(config.sandbox).toBeDefined();
    expect(config.telegram.token).toBe(SANDBOX_BOT_TOKEN);
    expect(config.telegram.operatorChatId).toBe(-1001);
  });

  it('refuses port 0, where the service could not find its own emulator', () => {
    expect(problems({ ...databases, WEB_SERVER_PORT: '0' })).toEqual([expect.stringMatching(/^WEB_SERVER_PORT is 0 in sandbox mode/)]);
    expect(problems({ ...databases, WEB_SERVER_PORT: '0', SANDBOX_WEB_URL: 'http://127.0.0.1:9999' })).toEqual([]);
  });

  it('leaves production as it was when BOT_TOKEN is set', () => {
    const config = loadConfig(valid);
    expect(config.sandbox).toBeUndefined();
    expect(config.telegram).toMatchObject({ token: '123:abc', apiRoot: 'https://api.telegram.org', mode: 'webhook', webhookSecret: 'a_secret-1', operatorChatId: -1001 });
    expect(config.llm).toMatchObject({ apiKey: 'sk-test', baseURL: 'https://api.openai.com/v1' });
    const { OPERATOR_CHAT_ID: _o, CHAT_GPT_TOKEN: _c, WEBHOOK_SECRET: _w, ...bare } = valid;
    expect(problems(bare)).toEqual([
      expect.stringMatching(/^OPERATOR_CHAT_ID is not set/),
      expect.stringMatching(/^CHAT_GPT_TOKEN is not set/),
      expect.stringMatching(/^WEBHOOK_SECRET is not set/),
    ]);
  });
});

describe('production warnings', () => {
  it("warn about compose's default database password and a missing ADMIN_TOKEN, without echoing secrets", () => {
    const config = loadConfig({ ...valid, DATABASE_URL: `postgres://support_bot:${COMPOSE_DEFAULT_DB_PASSWORD}@postgres:5432/support_bot` });
    const warnings = productionWarnings(config);
    expect(warnings).toEqual([expect.stringMatching(/^the database password is docker-compose.yml's default/), expect.stringMatching(/^ADMIN_TOKEN is not set/)]);
    expect(warnings.join('\n')).not.toContain(COMPOSE_DEFAULT_DB_PASSWORD);
  });

  it('are none for a production setup with its own password and an admin token, and none in the sandbox', () => {
    const production = loadConfig({ ...valid, DATABASE_URL: 'postgres://support_bot:Str0ng@postgres:5432/support_bot', ADMIN_TOKEN: 'x'.repeat(32) });
    expect(productionWarnings(production)).toEqual([]);
    const sandbox = loadConfig({ DATABASE_URL: `postgres://support_bot:${COMPOSE_DEFAULT_DB_PASSWORD}@postgres:5432/support_bot`, REDIS_URL: 'redis://redis:6379' });
    expect(productionWarnings(sandbox)).toEqual([]);
  });
});
