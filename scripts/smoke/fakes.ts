/**
 * The outside world for `scripts/container-smoke.sh`: a fake Telegram Bot API and a fake OpenAI
 * server (the ones from `test/fakes/`) on loopback ports, and the user who writes to the bot.
 *
 * The smoke script runs the compiled service as the image would and talks to this helper over
 * stdin/stdout, one JSON object per line:
 *
 * - on start it prints `{"event":"ready","telegramApiRoot":…,"openaiBaseURL":…}`;
 * - `{"cmd":"converse","appUrl":…,"webhookPath":…,"secret":…}` on stdin: posts one update without
 *   the secret (expects 401), then a user's text message with it (expects 200), waits up to
 *   {@link ANSWER_TIMEOUT_MS} for the bot's sendMessage to that user, and prints
 *   `{"event":"result","ok":…,"checks":[…]}`;
 * - end of stdin (or SIGTERM) closes both fakes and exits. The fakes stay up until then, so the
 *   service can still reach "Telegram" while it shuts down.
 *
 * Diagnostics go to stderr; stdout carries only the protocol.
 *
 * @example npx tsx scripts/smoke/fakes.ts --token 123456:SMOKE
 */
import readline from 'node:readline';
import { FakeOpenAI } from '../../test/fakes/fake-openai';
import { FakeTelegram } from '../../test/fakes/fake-telegram';
import { UpdateFactory, type TgUserLike } from '../../test/fakes/updates';

/** How long the user waits for the bot's answer, end to end (webhook → inbox → LLM → Telegram). */
const ANSWER_TIMEOUT_MS = 20_000;

/** The user of the smoke test and what they write; the fake LLM echoes it as "Ответ: …". */
const SMOKE_USER: TgUserLike = { id: 1001, first_name: 'Ivan', language_code: 'ru' };
const SMOKE_TEXT = 'Привет';
const EXPECTED_ANSWER = `Ответ: ${SMOKE_TEXT}`;

/** One thing the conversation proved (or did not). */
interface SmokeCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

interface ConverseCommand {
  cmd: 'converse';
  appUrl: string;
  webhookPath: string;
  secret: string;
}

function print(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function tokenFromArgs(argv: string[]): string {
  const i = argv.indexOf('--token');
  const token = i >= 0 ? argv[i + 1] : undefined;
  if (token === undefined || token === '') throw new Error('usage: tsx scripts/smoke/fakes.ts --token <bot token the service uses>');
  return token;
}

async function postUpdate(url: string, update: object, secret: string | null): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(update), signal: AbortSignal.timeout(5000) });
  await res.arrayBuffer();
  return res.status;
}

/** A user writes to the bot through the webhook, as Telegram would deliver it, and waits for the answer. */
async function converse(tg: FakeTelegram, ai: FakeOpenAI, command: ConverseCommand): Promise<SmokeCheck[]> {
  const checks: SmokeCheck[] = [];
  const url = command.appUrl.replace(/\/+$/, '') + command.webhookPath;
  const updates = new UpdateFactory(1, tg);

  const forged = await postUpdate(url, updates.text(SMOKE_USER, 'without the secret'), null);
  checks.push({ name: 'an update without the secret header is refused with 401', ok: forged === 401, detail: `got ${forged}` });

  const started = Date.now();
  const status = await postUpdate(url, updates.text(SMOKE_USER, SMOKE_TEXT), command.secret);
  checks.push({ name: 'the webhook accepts an update with the secret: 200', ok: status === 200, detail: `got ${status}` });
  if (status !== 200) return checks;

  try {
    await tg.waitFor(() => tg.textsTo(SMOKE_USER.id).includes(EXPECTED_ANSWER), ANSWER_TIMEOUT_MS);
    checks.push({
      name: `the user got the LLM's answer "${EXPECTED_ANSWER}" by sendMessage`,
      ok: true,
      detail: `${Date.now() - started} ms after the webhook`,
    });
  } catch (error) {
    checks.push({
      name: `the user got the LLM's answer "${EXPECTED_ANSWER}" by sendMessage`,
      ok: false,
      detail: `${error instanceof Error ? error.message : String(error)}; texts to the user: ${JSON.stringify(tg.textsTo(SMOKE_USER.id))}`,
    });
    return checks;
  }

  const system = ai.requests[0]?.body?.messages?.[0];
  checks.push({
    name: 'the LLM was asked with the system prompt from prompts/ (found relative to the working directory)',
    ok: system?.role === 'system' && typeof system.content === 'string' && system.content.trim().length > 0,
    detail: `${ai.requests.length} LLM request(s)`,
  });
  return checks;
}

async function main(): Promise<void> {
  const token = tokenFromArgs(process.argv.slice(2));
  const tg = await FakeTelegram.start({ token });
  const ai = await FakeOpenAI.start();
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= Promise.all([tg.close(), ai.close()]).then(() => undefined));
  process.once('SIGTERM', () => void close().then(() => process.exit(0)));

  print({ event: 'ready', telegramApiRoot: tg.apiRoot, openaiBaseURL: ai.baseURL });

  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const command = JSON.parse(line) as Partial<ConverseCommand>;
    if (command.cmd !== 'converse' || !command.appUrl || !command.webhookPath || !command.secret) {
      print({ event: 'error', message: `unknown command: ${line}` });
      continue;
    }
    try {
      const checks = await converse(tg, ai, command as ConverseCommand);
      print({ event: 'result', ok: checks.every((c) => c.ok), checks });
    } catch (error) {
      print({ event: 'result', ok: false, checks: [{ name: 'converse', ok: false, detail: String(error) }] });
    }
  }
  await close();
}

main().catch((error: unknown) => {
  process.stderr.write(`smoke fakes failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
