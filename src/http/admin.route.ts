import Router from '@koa/router';
import { z } from 'zod';
import type { DialogEngine } from '../core/dialog.engine';
import type { OutboxRunner } from '../core/outbox.runner';
import { DIALOG_STATES } from '../machines/dialog.machine';
import type { DialogEvent } from '../machines/dialog.types';
import type { AdminStore } from '../store/admin.store';
import type { BanStore } from '../store/ban.store';
import type { DialogStore } from '../store/dialog.store';
import type { HistoryStore } from '../store/history.store';
import type { StatsStore } from '../store/stats.store';
import { systemClock, type Clock } from '../core/clock';
import type { KnowledgeBase } from '../knowledge';
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
const knowledgeQuery = z.object({ lang: z.enum(['ru', 'en']).optional() }).strict();
const reindexBody = z.object({ force: z.boolean().default(false) }).strict();
const messageBody = z.object({ text: z.string().trim().min(1).max(4096).transform(storableString).pipe(z.string().min(1)) }).strict();

/** A calendar day in UTC, `YYYY-MM-DD`, that exists (no 2026-02-30). */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date written YYYY-MM-DD, such as 2026-12-01' })
  .refine((v) => {
    const ms = Date.parse(`${v}T00:00:00Z`);
    return Number.isFinite(ms) && new Date(ms).toISOString().startsWith(v);
  }, { error: 'is not a date of the calendar' });
const statsQuery = z.object({ from: day.optional(), to: day.optional() }).strict();
/** The default range of `GET /api/stats`, and the longest one asked for. */
const STATS_DEFAULT_DAYS = 30;
const STATS_MAX_DAYS = 366;
const DAY_MS = 86_400_000;

/**
 * The days `GET /api/stats` covers, both included (UTC): the last 30 days by default; `from` alone
 * runs to today, `to` alone starts 29 days before it. 400 when `from` is after `to` or the range
 * is over 366 days.
 */
function statsRange(q: { from?: string; to?: string }, now: number): { from: string; to: string; start: Date; end: Date } {
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const to = q.to ?? iso(now);
  const from = q.from ?? iso(Date.parse(to) - (STATS_DEFAULT_DAYS - 1) * DAY_MS);
  const badRange = (message: string) => Object.assign(new Error(message), { status: 400, expose: true, code: 'VALIDATION_FAILED' });
  if (from > to) throw badRange(`from (${from}) is after to (${to}): give from <= to, e.g. ?from=2026-11-01&to=2026-11-30`);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days > STATS_MAX_DAYS) throw badRange(`the range is ${days} days: ask for ${STATS_MAX_DAYS} days at most`);
  return { from, to, start: new Date(`${from}T00:00:00Z`), end: new Date(Date.parse(to) + DAY_MS) };
}

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
export function adminRouter(deps: {
  admin: AdminStore;
  dialogs: DialogStore;
  engine: DialogEngine;
  runner: OutboxRunner;
  /** The knowledge base (null when KNOWLEDGE_DIR=off: its routes answer 404). */
  knowledge?: KnowledgeBase | null;
  adminToken?: string;
  /** The users' dialogs (`GET /api/users/:telegramId/dialogs`, as `/history` shows them). */
  history?: HistoryStore;
  /** The bans (`/ban`): listed and lifted here. */
  bans?: BanStore;
  /** The support figures (`GET /api/stats`). */
  stats?: StatsStore;
  /** Where "today" comes from (`GET /api/stats`' default range); the service's clock, the real one by default. */
  clock?: Clock;
}): Router {
  const { admin, dialogs, engine, runner } = deps;
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
    ctx.body = { dialogs: await admin.dialogs(q) };
  });

  router.get('/dialogs/:id', async function showDialog(ctx) {
    const id = parse(idParam, ctx.params.id);
    const found = await admin.dialog(id);
    if (!found) ctx.throw(404, `dialog ${id} does not exist`, { code: 'DIALOG_NOT_FOUND' });
    ctx.body = found;
  });

  /**
   * Sends an event to an open dialog and waits (a few seconds at most) for what it sends; 404
   * when there is no such dialog, 409 when it is closed or its state refuses the event.
   */
  async function act(id: number, event: DialogEvent) {
    const dialog = await dialogs.dialog(id);
    if (!dialog) throw Object.assign(new Error(`dialog ${id} does not exist`), { status: 404, expose: true, code: 'DIALOG_NOT_FOUND' });
    const open = await dialogs.openDialog(id);
    if (!open) throw Object.assign(new Error(`dialog ${id} is closed`), { status: 409, expose: true, code: 'DIALOG_CLOSED' });
    const result = await engine.step({ chatId: open.chatId, dialogId: id }, event, { actor: 'admin' });
    if (!result.accepted) {
      throw Object.assign(new Error(`dialog ${id} cannot do that in its current state`), { status: 409, expose: true, code: 'INVALID_IN_STATE' });
    }
    await Promise.race([runner.accept(result), new Promise((r) => setTimeout(r, 5000).unref())]);
    // The state the dialog is in once what the event set going is done (a posted ticket, say).
    return { id, state: (await dialogs.dialog(id))?.state ?? result.state };
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
    const dialog = await act(id, { type: 'admin.message', text: body.text });
    ctx.status = 201;
    ctx.body = { message: { dialogId: dialog.id, queued: true } };
  });

  /** The knowledge base, or 404 when there is none. */
  function knowledgeBase(): KnowledgeBase {
    if (!deps.knowledge) throw Object.assign(new Error('there is no knowledge base: KNOWLEDGE_DIR is off'), { status: 404, expose: true, code: 'KNOWLEDGE_OFF' });
    return deps.knowledge;
  }

  router.get('/knowledge', async function listKnowledge(ctx) {
    const q = parse(knowledgeQuery, ctx.query);
    const entries = await knowledgeBase().listEntries(q.lang ? { lang: q.lang } : {});
    ctx.body = { entries: entries.map((e) => ({ id: e.id, file: e.file, heading: e.heading, lang: e.lang, tags: e.tags, text: e.body, indexedAt: e.indexedAt })) };
  });

  router.post('/knowledge/reindex', async function reindexKnowledge(ctx) {
    const body = parse(reindexBody, ctx.request.body ?? {});
    ctx.body = { index: await knowledgeBase().reindex({ force: body.force }) };
  });

  router.get('/updates/set-aside', async function listSetAside(ctx) {
    const q = parse(pageQuery, ctx.query);
    ctx.body = { updates: await admin.setAside(q) };
  });

  router.get('/rejected-updates', async function listRejected(ctx) {
    const q = parse(pageQuery, ctx.query);
    ctx.body = { rejectedUpdates: await admin.rejectedUpdates(q) };
  });

  router.get('/users/:telegramId/dialogs', async function userDialogs(ctx) {
    const telegramId = parse(idParam, ctx.params.telegramId);
    const q = parse(pageQuery, ctx.query);
    if (!deps.history) throw Object.assign(new Error('history is not available here'), { status: 404, expose: true, code: 'HISTORY_OFF' });
    ctx.body = { dialogs: await deps.history.dialogsOfUser(telegramId, q) };
  });

  router.get('/stats', async function supportStats(ctx) {
    const range = statsRange(parse(statsQuery, ctx.query), (deps.clock ?? systemClock).now());
    if (!deps.stats) throw Object.assign(new Error('stats are not available here'), { status: 404, expose: true, code: 'STATS_OFF' });
    ctx.body = { from: range.from, to: range.to, ...(await deps.stats.stats(range.start, range.end)) };
  });

  /** The bans, or 404 when the router was built without them. */
  function banStore(): BanStore {
    if (!deps.bans) throw Object.assign(new Error('bans are not available here'), { status: 404, expose: true, code: 'BANS_OFF' });
    return deps.bans;
  }

  router.get('/bans', async function listBans(ctx) {
    ctx.body = { bans: await banStore().list() };
  });

  router.delete('/bans/:userId', async function liftBan(ctx) {
    const userId = parse(idParam, ctx.params.userId);
    const lifted = await banStore().lift({ userId });
    if (lifted === null) ctx.throw(404, `user ${userId} is not banned`, { code: 'BAN_NOT_FOUND' });
    ctx.body = { lifted };
  });

  return router;
}
