import type { Middleware } from 'koa';

/**
 * The one error boundary, first in the chain. Errors meant for the client (4xx, or `expose`
 * set) keep their message and code; anything else becomes a generic "Internal error" and is
 * logged through `app.on('error')`.
 * Errors are JSON: `{"error": {"code": "...", "message": "..."}}`.
 */
export const errorBoundary: Middleware = async function errorBoundary(ctx, next) {
  try {
    await next();
  } catch (error) {
    const e = error as { status?: number; statusCode?: number; expose?: boolean; code?: unknown; message?: string; type?: string };
    const status = e.status ?? e.statusCode ?? 500;
    // Koa marks 4xx errors as exposed; a 5xx we raise on purpose (a 502 from Telegram) says so itself.
    const exposed = e.expose === true || (e.expose === undefined && status >= 400 && status < 500);
    ctx.status = status;
    ctx.body = {
      error: {
        code: typeof e.code === 'string' && exposed ? e.code : defaultCode(status, e.type),
        message: exposed ? (e.message ?? 'Bad request') : 'Internal error',
      },
    };
    if (!exposed) ctx.app.emit('error', error, ctx);
  }
};

function defaultCode(status: number, type?: string): string {
  if (type === 'entity.parse.failed') return 'MALFORMED_JSON';
  if (status === 400) return 'BAD_REQUEST';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 409) return 'CONFLICT';
  return 'INTERNAL';
}
