import fs from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { jsonBody } from '../http/json-body.middleware';
import { storableString } from '../telegram/storable.json';
import type { SandboxPage } from './sandbox.page';

/** Where the page's files are: next to this module, in the sources and in the build (`npm run build` copies them). */
export const SANDBOX_PAGE_DIR = path.join(__dirname, 'page');

/** The page's files, by the name the browser asks for, and their types. Nothing else is served. */
const PAGE_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'sandbox.css': 'text/css; charset=utf-8',
  'sandbox.js': 'text/javascript; charset=utf-8',
  'render.js': 'text/javascript; charset=utf-8',
};

/** The long poll waits at most this long for a change before answering the screen as it is. */
const LONG_POLL_MS = 25_000;

const positiveInt = z
  .string({ error: 'must be a positive decimal integer such as 1001' })
  .regex(/^[1-9][0-9]{0,15}$/, { error: 'must be a positive decimal integer such as 1001' })
  .transform(Number);
const text = z.string({ error: 'is required: the message to send' }).trim().min(1, { error: 'must not be empty' }).max(4096, { error: 'is over 4096 characters, Telegram\'s limit' }).transform(storableString).pipe(z.string().min(1));
const messageBody = z.object({ text }).strict();
const operatorMessageBody = z.object({ text, threadId: z.number().int().positive().optional() }).strict();
const callbackBody = z.object({
  messageId: z.number({ error: 'must be the id of the message carrying the button' }).int().positive(),
  data: z.string({ error: 'must be the button\'s callback data' }).min(1).max(64),
}).strict();
const stopBody = z.object({ draftId: z.number({ error: 'must be the id of the draft the bot is writing' }).int().positive() }).strict();
const newUserBody = z.object({
  firstName: z.string({ error: 'is required: the user\'s first name' }).trim().min(1).max(64),
  lang: z.enum(['ru', 'en'], { error: 'must be "ru" or "en"' }),
}).strict();
const stateQuery = z.object({ since: z.string().regex(/^\d{1,15}$/, { error: 'must be a version number such as 12' }).transform(Number).optional() });

/** Which LLM answers in the sandbox, for the page. */
export type SandboxLlmInfo =
  | { kind: 'demo'; label: string }
  | { kind: 'configured'; model: string; host: string };

/** What `GET /sandbox/api/info` answers (src/sandbox/sandbox.host.ts fills it in). */
export interface SandboxInfo {
  mode: 'sandbox';
  llm: SandboxLlmInfo;
  operatorChatId: number;
  operators: Array<{ id: number; name: string }>;
  bot: { id: number; username: string };
  /** Always false: the emulator's chats are lost when the web process restarts. */
  persistent: false;
}

/** The value, or a 400 naming the first problem: `text: must not be empty`. */
function parse<T>(schema: z.ZodType<T>, value: unknown, what = 'body'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.join('.') || what;
  throw Object.assign(new Error(`${where}: ${issue?.message ?? 'invalid'}`), { status: 400, expose: true, code: 'VALIDATION_FAILED' });
}

/**
 * The sandbox page at `/sandbox` and the sandbox's one JSON API under `/sandbox/api` (README
 * "Sandbox"): which LLM answers (`GET info`), the screen (`GET state?since=<version>`, a long
 * poll), and what the page's people do: a new user (`POST users`), a user writes, presses a button
 * or Stop under a draft, an operator writes in a topic or presses Take. Everything they do goes to
 * the service through the Bot API emulator as a Telegram update; the route holds no dialog logic.
 * Served only in sandbox mode, where there is no real user to protect: no authentication.
 *
 * @example
 * const router = sandboxRouter({ page: host.page, info: () => host.info() });
 */
export function sandboxRouter(deps: { page: SandboxPage; info: () => SandboxInfo; pageDir?: string }): Router {
  const { page, info } = deps;
  const pageDir = deps.pageDir ?? SANDBOX_PAGE_DIR;
  const router = new Router({ prefix: '/sandbox' });
  const body = jsonBody('64kb');

  const serve = async (ctx: Context, name: string) => {
    ctx.type = PAGE_FILES[name] ?? 'application/octet-stream';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = await fs.promises.readFile(path.join(pageDir, name));
  };
  router.get('/', (ctx) => serve(ctx, 'index.html'));
  router.get('/:file', async (ctx, next) => {
    const name = ctx.params.file ?? '';
    if (!(name in PAGE_FILES)) return next();
    await serve(ctx, name);
  });

  router.get('/api/info', (ctx) => {
    ctx.body = info();
  });
  router.get('/api/state', async (ctx) => {
    const { since } = parse(stateQuery, ctx.query, 'query');
    const state = since === undefined ? page.screen() : await page.changedSince(since, LONG_POLL_MS);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = state;
  });
  router.post('/api/users', body, (ctx) => {
    const { firstName, lang } = parse(newUserBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = page.addUser(firstName, lang);
  });

  /**
   * A person's action, `POST /api/<users|operators>/:id/<action>`: the id and the body checked,
   * the action queued for the bot as a Telegram update (202: on its way, as Telegram delivers it),
   * and what was done echoed back.
   */
  const act = <T>(route: string, schema: z.ZodType<T>, run: (id: number, input: T) => void, echo: (input: T) => object) =>
    router.post(route, body, (ctx) => {
      const id = parse(positiveInt, ctx.params.id, 'id');
      const input = parse(schema, ctx.request.body);
      run(id, input);
      ctx.status = 202;
      ctx.body = echo(input);
    });
  const sent = (input: { text: string }) => ({ sent: input.text });
  const pressed = (input: { data: string }) => ({ pressed: input.data });
  act('/api/users/:id/messages', messageBody, (id, m) => page.userSays(id, m.text), sent);
  act('/api/users/:id/callback', callbackBody, (id, b) => page.userPresses(id, b.messageId, b.data), pressed);
  act('/api/users/:id/stop', stopBody, (id, s) => page.userStops(id, s.draftId), (s) => ({ stopped: s.draftId }));
  act('/api/operators/:id/messages', operatorMessageBody, (id, m) => page.operatorSays(id, m.text, m.threadId), sent);
  act('/api/operators/:id/callback', callbackBody, (id, b) => page.operatorPresses(id, b.messageId, b.data), pressed);
  return router;
}
