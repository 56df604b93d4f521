import Router from '@koa/router';
import { z } from 'zod';
import type { Logger } from '../logger';
import type { Inbox } from '../store/inbox.store';
import { laneOf, type TgUpdate } from '../telegram/update.types';
import { jsonBody, secretsMatch } from './json-body.middleware';

/** Telegram's shape of an update, as far as the webhook checks it; the rest is kept as sent. */
const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

/** Observes the webhook (metrics). */
export interface WebhookObserver {
  received(kind: string, outcome: 'stored' | 'duplicate' | 'ignored'): void;
}

/** The kind of an update: its first field other than update_id (message, callback_query…). */
export function updateKind(update: Record<string, unknown>): string {
  return Object.keys(update).find((k) => k !== 'update_id') ?? 'empty';
}

/**
 * `POST <WEBHOOK_PATH>`: Telegram delivers updates here.
 *
 * Checks the secret header (401), parses at most 1 MB of JSON (400 malformed, 413 too large,
 * 415 not JSON), stores the update idempotently and answers 200 at once: processing happens in
 * the inbox workers, never on the webhook's path. Kinds the service does not handle get 200 and
 * are dropped.
 */
export function webhookRouter(deps: {
  path: string;
  secret?: string;
  inbox: Inbox;
  operatorChatId: number;
  onStored: () => void;
  log: Logger;
  observer?: WebhookObserver;
}): Router {
  const router = new Router();
  router.post(
    deps.path,
    async function checkSecret(ctx, next) {
      if (deps.secret !== undefined && !secretsMatch(ctx.get('X-Telegram-Bot-Api-Secret-Token') || undefined, deps.secret)) {
        ctx.throw(401, 'wrong or missing secret token', { code: 'UNAUTHORIZED' });
      }
      if (!ctx.is('application/json')) ctx.throw(415, 'expected application/json', { code: 'UNSUPPORTED_MEDIA_TYPE' });
      await next();
    },
    jsonBody('1mb'),
    async function storeUpdate(ctx) {
      const parsed = updateSchema.safeParse(ctx.request.body);
      if (!parsed.success) return ctx.throw(400, 'not a Telegram update: update_id is missing', { code: 'NOT_AN_UPDATE' });
      const update = parsed.data as unknown as TgUpdate;
      const kind = updateKind(parsed.data);
      const lane = laneOf(update, deps.operatorChatId);
      if (lane === null) {
        deps.observer?.received(kind, 'ignored');
        ctx.body = { ok: true, ignored: true };
        return;
      }
      const stored = await deps.inbox.store(update, lane);
      deps.observer?.received(kind, stored ? 'stored' : 'duplicate');
      if (stored) deps.onStored();
      ctx.body = { ok: true };
    },
  );
  return router;
}
