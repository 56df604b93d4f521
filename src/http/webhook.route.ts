import Router from '@koa/router';
import type { UpdateIntake } from '../telegram/update.intake';
import { jsonBody, secretsMatch } from './json-body.middleware';

export { updateKind } from '../telegram/update.schema';

/**
 * `POST <WEBHOOK_PATH>`: Telegram delivers updates here.
 *
 * Checks the secret header (401), parses at most 1 MB of JSON (400 malformed, 413 too large,
 * 415 not JSON) and hands the body to the {@link UpdateIntake}, which stores it idempotently, then
 * answers 200 at once: processing happens in the inbox workers, never on the webhook's path. An
 * update that does not fit the schema, or that PostgreSQL refuses, is also answered 200 (so
 * Telegram stops redelivering it), set aside and counted; a kind the service does not handle gets
 * 200 and is dropped. A body without an update_id is not a Telegram update: 400 NOT_AN_UPDATE.
 */
export function webhookRouter(deps: { path: string; secret?: string; intake: UpdateIntake }): Router {
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
      const outcome = await deps.intake.admit(ctx.request.body);
      if (outcome === 'not_an_update') return ctx.throw(400, 'not a Telegram update: update_id is missing', { code: 'NOT_AN_UPDATE' });
      ctx.body = outcome === 'ignored' ? { ok: true, ignored: true } : outcome === 'rejected' ? { ok: true, rejected: true } : { ok: true };
    },
  );
  return router;
}
