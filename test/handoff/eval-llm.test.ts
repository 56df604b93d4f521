import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenAI, type RecordedRequest } from '../fakes/fake-openai';

/**
 * A user measures their own model: `npm run eval:handoff -- --with-llm FILE` asks the LLM the
 * service is configured with (here the fake OpenAI server) about every line, with the
 * service's `transfer_to_human` tool, a few requests at a time, and prints rules only, LLM
 * only and both.
 */
const ROOT = join(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

function runEval(args: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['scripts/eval-handoff.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

function lastUserText(req: RecordedRequest): string {
  const messages: { role: string; content: string }[] = req.body.messages;
  return messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

describe('eval:handoff --with-llm scores the LLM layer against a labelled file', () => {
  let llm: FakeOpenAI;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    llm = await FakeOpenAI.start();
    dir = mkdtempSync(join(tmpdir(), 'eval-handoff-'));
    file = join(dir, 'lines.jsonl');
    const lines = [
      { text: 'позовите оператора', handoff: true, lang: 'ru' }, // rules and the model
      { text: 'I was charged twice for one billing period, fix it', handoff: true, lang: 'en' }, // the model only
      { text: 'где мой заказ?', handoff: false, lang: 'ru' }, // neither
      { text: 'refund please, the item broke', handoff: false, lang: 'en' }, // the model transfers: a false alarm of the LLM
      { text: 'the model fails on this one', handoff: false, lang: 'en' }, // a 400: left out of every row
      { text: 'как сменить пароль', handoff: false, lang: 'ru' },
    ];
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
  });

  afterAll(async () => {
    await llm.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints rules only, LLM only and both, with the same tool the service offers, a bounded number at a time', async () => {
    let inFlight = 0;
    let most = 0;
    llm.setResponder(async (req) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 80));
      inFlight -= 1;
      const text = lastUserText(req);
      if (text.includes('fails')) return { status: 400, message: 'bad request' };
      if (/оператор|billing|refund/.test(text)) return { toolCall: { name: 'transfer_to_human', arguments: { reason: 'user_request' } } };
      return { text: 'Сейчас помогу.' };
    });

    const env = { CHAT_GPT_TOKEN: 'test-key', OPENAI_BASE_URL: llm.baseURL, OPENAI_MAX_RETRIES: '0', SYSTEM_PROMPT_FILE: 'prompts/system.md' };
    const run = await runEval(['--with-llm', file, '--json', '--concurrency', '2'], env);
    expect(run).toMatchObject({ code: 0 });
    const result = JSON.parse(run.stdout);

    expect(result.llm).toMatchObject({ answered: 5, failed: 1 });
    expect(result.llm.rules.overall).toMatchObject({ tp: 1, fp: 0, fn: 1, tn: 3 });
    expect(result.llm.llm.overall).toMatchObject({ tp: 2, fp: 1, fn: 0, tn: 2 });
    expect(result.llm.both.overall).toMatchObject({ tp: 2, fp: 1, fn: 0, tn: 2 });
    expect(result.overall).toMatchObject({ tp: 1, fn: 1 }); // the rules' own figures cover every line

    expect(llm.requests).toHaveLength(6);
    for (const req of llm.requests) {
      expect(req.body.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(['transfer_to_human']);
      expect(req.body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    }
    const russian = llm.requests.find((req) => lastUserText(req) === 'где мой заказ?');
    expect(russian?.body.messages[0].content).toContain('(Russian)');
    expect(most).toBe(2);

    const table = await runEval(['--with-llm', file, '--concurrency', '3'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('rules only, LLM only (transfer_to_human) and both, on the 5 lines the LLM answered (it failed on 1, left out of every row)');
    expect(table.stdout).toMatch(/\n +llm +0\.667 +1\.000/); // overall: 2 of 3 transfers right, every request found
  }, 60_000);

  it('says what to set when the LLM is not configured', async () => {
    const run = await runEval(['--with-llm', file], { OPENAI_BASE_URL: llm.baseURL });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CHAT_GPT_TOKEN is not set');
    expect(run.stderr).not.toContain('BOT_TOKEN');
  });

  it('scores every shipped file on its own when given none', async () => {
    const run = await runEval(['--json'], {});
    expect(run.code).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout).files)).toEqual(['data/handoff.jsonl', 'data/handoff.holdout.jsonl', 'data/handoff.holdout-r2.jsonl']);
  });
});
