import Router from '@koa/router';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { TelegramClient } from '../adapters/telegram/telegram.client';
import { TelegramApiError } from '../adapters/telegram/telegram.errors';
import type { DialogEngine } from '../core/dialog.engine';
import { DIALOG_STATES } from '../machines/dialog.machine';
import { escapeHtml } from '../text';
import { jsonBody, secretsMatch } from './json-body.middleware';
import { storableString } from '../telegram/storable.json';
import { openApiDocument } from './openapi';

/**
 * A positive decimal integer as written in a path or a query: digits only, no sign, no leading
 * zero, no `0x10`, `1e3`, `16.0` or spaces (which `Number()` would all accept), at most a safe integer.
 */
const positiveId = z
  .string({ error: 'must be a positive decimal integer such as 12' })
  .regex(/^[1-9][0-9]{0,15}$/, { error: 'must be a positive decimal integer such as 12' })
  .transform(Number)
  .refine(Number.isSafeInteger, { error: 'is too large' });
const listQuery = z.object({
  state: z.enum(DIALOG_STATES).optional(),
  limit: positiveId.pipe(z.number().max(200)).default(50),
  before: positiveId.optional(),
});
const pageQuery = listQuery.omit({ state: true }).strict();
const idParam = positiveId;
const handoffBody = z.object({ reason: z.string().regex(/^[a-z0-9_]{1,40}$/).default('manual') }).strict();
// A NUL or a lone surrogate would make PostgreSQL refuse the message row after Telegram took it.
const messageBody = z.object({ text: z.string().trim().min(1).max(4096).transform(storableString).pipe(z.string().min(1)) }).strict();

/** 400 with the first validation problem, in words. */
function invalid(error: z.ZodError): never {
  const issue = error.issues[0];
  const where = issue?.path.join('.') || 'input';
  throw Object.assign(new Error(`${where}: ${issue?.message ?? 'invalid'}`), { status: 400, expose: true, code: 'VALIDATION_FAILED' });
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) invalid(result.error);
  return result.data;
}

/**
 * The admin API under `/api`, for the people who run the service: list dialogs, read one with
 * its messages and transitions, hand one to the operators, close one, write to a user as an
 * operator. `Authorization: Bearer $ADMIN_TOKEN` on every call (401 otherwise; without
 * ADMIN_TOKEN the API is off). Errors are JSON with a stable `code`. `/api/openapi.json` describes it.
 */
export function adminRouter(deps: { db: Knex; engine: DialogEngine; telegram: TelegramClient; adminToken?: string }): Router {
  const { db, engine, telegram } = deps;
  const router = new Router({ prefix: '/api' });

  router.use(async function requireAdminToken(ctx, next) {
    if (ctx.path === '/api/openapi.json') return next();
    const token = deps.adminToken;
    if (!token) return ctx.throw(401, 'the admin API is off: set ADMIN_TOKEN to enable it', { code: 'ADMIN_API_DISABLED' });
    if (!secretsMatch(/^Bearer\s+(.+)$/i.exec(ctx.get('Authorization'))?.[1], token)) {
      ctx.set('WWW-Authenticate', 'Bearer');
      ctx.throw(401, 'missing or wrong bearer token', { code: 'UNAUTHORIZED' });
    }
    await next();
  });
  router.use(jsonBody('64kb'));

  router.get('/openapi.json', function openapi(ctx) {
    ctx.body = openApiDocument;
  });

  router.get('/dialogs', async function listDialogs(ctx) {
    const q = parse(listQuery, ctx.query);
    const query = db('dialogs as d')
      .join('users as u', 'u.id', 'd.user_id')
      .orderBy('d.id', 'desc')
      .limit(q.limit)
      .select('d.id', 'd.chat_id', 'd.state', 'd.handoff_reason', 'd.handoff_layer', 'd.created_at', 'd.updated_at', 'd.closed_at', 'u.first_name', 'u.username', 'u.language_code');
    if (q.state) query.where('d.state', q.state);
    if (q.before) query.where('d.id', '<', q.before);
    const rows = await query;
    ctx.body = { dialogs: rows.map(dialogJson) };
  });

  router.get('/dialogs/:id', async function showDialog(ctx) {
    const id = parse(idParam, ctx.params.id);
    const row = await db('dialogs as d').join('users as u', 'u.id', 'd.user_id').where('d.id', id).first('d.*', 'u.first_name', 'u.username', 'u.language_code');
    if (!row) ctx.throw(404, `dialog ${id} does not exist`, { code: 'DIALOG_NOT_FOUND' });
    const [messages, transitions] = await Promise.all([
      db('messages').where({ dialog_id: id }).orderBy('id').select('id', 'sender', 'text', 'media', 'telegram_message_id', 'created_at'),
      db('dialog_transitions').where({ dialog_id: id }).orderBy('id').select('from_state', 'to_state', 'event', 'reason', 'layer', 'actor', 'created_at'),
    ]);
    ctx.body = {
      dialog: { ...dialogJson(row), stateValue: row.state_value, operator: row.context?.operator ?? null },
      messages: messages.map((m) => ({ ...m, id: Number(m.id), telegram_message_id: m.telegram_message_id === null ? null : Number(m.telegram_message_id) })),
      transitions,
    };
  });

  /** Sends an event to an open dialog; 404 when there is none, 409 when its state refuses the event. */
  async function act(id: number, event: Parameters<DialogEngine['dispatch']>[1]) {
    const row = await db('dialogs').where({ id }).first('chat_id', 'closed_at');
    if (!row) throw Object.assign(new Error(`dialog ${id} does not exist`), { status: 404, expose: true, code: 'DIALOG_NOT_FOUND' });
    if (row.closed_at) throw Object.assign(new Error(`dialog ${id} is closed`), { status: 409, expose: true, code: 'DIALOG_CLOSED' });
    const result = await engine.dispatch({ chatId: Number(row.chat_id), dialogId: id }, event, { actor: 'admin' });
    if (!result.accepted) {
      throw Object.assign(new Error(`dialog ${id} cannot do that in its current state`), { status: 409, expose: true, code: 'INVALID_IN_STATE' });
    }
    return { id, state: result.state };
  }

  router.post('/dialogs/:id/handoff', async function handOff(ctx) {
    const id = parse(idParam, ctx.params.id);
    const body = parse(handoffBody, ctx.request.body ?? {});
    ctx.body = { dialog: await act(id, { type: 'admin.handoff', reason: body.reason }) };
  });

  router.post('/dialogs/:id/close', async function closeDialog(ctx) {
    const id = parse(idParam, ctx.params.id);
    ctx.body = { dialog: await act(id, { type: 'admin.close' }) };
  });

  router.post('/dialogs/:id/messages', async function writeToUser(ctx) {
    const id = parse(idParam, ctx.params.id);
    const body = parse(messageBody, ctx.request.body ?? {});
    const row = await db('dialogs').where({ id }).first('chat_id', 'closed_at');
    if (!row) ctx.throw(404, `dialog ${id} does not exist`, { code: 'DIALOG_NOT_FOUND' });
    if (row.closed_at) ctx.throw(409, `dialog ${id} is closed`, { code: 'DIALOG_CLOSED' });
    const sent = await telegram.sendHtml(Number(row.chat_id), escapeHtml(body.text)).catch((error: unknown) => {
      const blocked = error instanceof TelegramApiError && error.kind === 'blocked';
      return ctx.throw(502, blocked ? 'the user blocked the bot' : 'Telegram did not accept the message', {
        code: blocked ? 'USER_BLOCKED_BOT' : 'TELEGRAM_FAILED',
        expose: true,
      });
    });
    const [message] = await db('messages')
      .insert({ dialog_id: id, sender: 'operator', telegram_chat_id: row.chat_id, telegram_message_id: sent.message_id, text: body.text })
      .returning('id');
    ctx.status = 201;
    ctx.body = { message: { id: Number(message.id), telegramMessageId: sent.message_id } };
  });

  router.get('/rejected-updates', async function listRejected(ctx) {
    const q = parse(pageQuery, ctx.query);
    const query = db('rejected_updates').orderBy('id', 'desc').limit(q.limit).select('id', 'update_id', 'kind', 'reason', 'detail', 'received_at');
    if (q.before) query.where('id', '<', q.before);
    const rows = await query;
    ctx.body = {
      rejectedUpdates: rows.map((r) => ({
        id: Number(r.id),
        updateId: r.update_id === null ? null : Number(r.update_id),
        kind: r.kind,
        reason: r.reason,
        detail: r.detail,
        receivedAt: r.received_at,
      })),
    };
  });

  return router;
}

function dialogJson(row: Record<string, unknown>) {
  return {
    id: Number(row.id),
    chatId: Number(row.chat_id),
    state: row.state,
    handoffReason: row.handoff_reason ?? null,
    handoffLayer: row.handoff_layer ?? null,
    user: { firstName: row.first_name ?? null, username: row.username ?? null, languageCode: row.language_code ?? null },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at ?? null,
  };
}
