import { ConfigError, loadConfig } from '../src/config';
import { configProblems as problems, validEnv as valid } from './support/config-env';


describe('configuration', () => {
  it('lists every missing variable at once, each with how to fix it', () => {
    // Webhook mode named: without BOT_TOKEN and TELEGRAM_MODE the service starts in sandbox mode (test/config.sandbox.test.ts).
    const list = problems({ TELEGRAM_MODE: 'webhook' });
    expect(list).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^BOT_TOKEN is not set: add the token @BotFather gave you/),
        expect.stringMatching(/^OPERATOR_CHAT_ID is not set: add the operators' group id/),
        expect.stringMatching(/^DATABASE_URL is not set/),
        expect.stringMatching(/^REDIS_URL is not set/),
        expect.stringMatching(/^CHAT_GPT_TOKEN is not set: add your OpenAI key as CHAT_GPT_TOKEN \(or OPENAI_API_KEY\)/),
        expect.stringMatching(/^WEBHOOK_SECRET is not set: webhook mode needs a secret/),
      ]),
    );
    expect(list).toHaveLength(6);
  });

  it('treats empty strings as unset and never echoes values', () => {
    const error = (() => {
      try {
        loadConfig({ ...valid, BOT_TOKEN: '', TELEGRAM_MODE: 'webhook', WEBHOOK_SECRET: 'has spaces and a s3cr3t!' });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain('BOT_TOKEN is not set');
    expect(error.message).toContain('WEBHOOK_SECRET must be 1-256 characters');
    expect(error.message).not.toContain('s3cr3t');
  });

  it('accepts OPENAI_API_KEY instead of CHAT_GPT_TOKEN, and polling mode without a secret', () => {
    const { CHAT_GPT_TOKEN: _, WEBHOOK_SECRET: __, ...rest } = valid;
    const config = loadConfig({ ...rest, OPENAI_API_KEY: 'sk-other', TELEGRAM_MODE: 'polling' });
    expect(config.llm.apiKey).toBe('sk-other');
    expect(config.telegram.mode).toBe('polling');
  });

  it('fills defaults and builds the webhook URL from BASE_WEBHOOK_URL and WEBHOOK_PATH', () => {
    const config = loadConfig({ ...valid, BASE_WEBHOOK_URL: 'https://bot.example.com/' });
    expect(config.telegram).toMatchObject({
      apiRoot: 'https://api.telegram.org',
      webhookPath: '/telegram/webhook',
      webhookUrl: 'https://bot.example.com/telegram/webhook',
      operatorChatId: -1001,
    });
    expect(config.llm).toMatchObject({ baseURL: 'https://api.openai.com/v1', model: 'gpt-4o-mini', maxRetries: 2 });
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(config.handoff).toEqual({ operatorWaitMs: 300_000, idleCloseMs: 1_800_000, llmFailuresBeforeOffer: 2, mergeWindowMs: 1500 });
    expect([config.llmConcurrency, config.sendConcurrency]).toEqual([256, 32]);
    expect(config.role).toBe('all');
  });

  it('takes SERVICE_ROLE web or worker, and names the variable for anything else', () => {
    expect(loadConfig({ ...valid, SERVICE_ROLE: 'worker' }).role).toBe('worker');
    expect(problems({ ...valid, SERVICE_ROLE: 'both' })).toEqual([expect.stringMatching(/^SERVICE_ROLE must be all, web or worker/)]);
  });

  it('rejects malformed values with the variable named', () => {
    expect(problems({ ...valid, OPERATOR_CHAT_ID: 'ops', WEB_SERVER_PORT: 'eighty', OPENAI_BASE_URL: 'not a url', TELEGRAM_MODE: 'push' })).toEqual([
      expect.stringMatching(/^TELEGRAM_MODE /),
      expect.stringMatching(/^WEB_SERVER_PORT /),
      expect.stringMatching(/^OPERATOR_CHAT_ID /),
      expect.stringMatching(/^OPENAI_BASE_URL /),
    ]);
  });
});
