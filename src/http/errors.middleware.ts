import type { Middleware } from 'koa';

/**
 * The one error boundary, first in the chain. Errors meant for the client (4xx, or `expose`
 * set) keep their message and code; anything else becomes a generic "Internal error" and is
 * logged through `app.on('error')`. An answer left without a body (no route: 404; a route
 * without that method: 405 with `Allow`; 501) gets the same shape, so every error is JSON:
 * `{"error": {"code": "...", "message": "..."}}`.
 */
export const errorBoundary: Middleware = async function errorBoundary(ctx, next) {
  try {
    await next();
    if (ctx.status >= 400 && (ctx.body === undefined || ctx.body === null)) {
      const status = ctx.status;
      ctx.body = { error: { code: defaultCode(status), message: defaultMessage(status, ctx.method, ctx.response.get('Allow')) } };
      ctx.status = status; // setting a body would otherwise turn a 404 into a 200
    }
  } catch (error) {
    const e = error as { status?: number; statusCode?: number; expose?: boolean; code?: unknown; message?: string; type?: string };
    const raw = e.status ?? e.statusCode ?? 500;
    const status = Number.isInteger(raw) && raw >= 400 && raw <= 599 ? raw : 500;
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

const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  501: 'NOT_IMPLEMENTED',
};

function defaultCode(status: number, type?: string): string {
  if (type === 'entity.parse.failed') return 'MALFORMED_JSON';
  return CODES[status] ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL');
}

function defaultMessage(status: number, method: string, allow: string): string {
  if (status === 404) return 'no such path';
  if (status === 405) return `${method} is not allowed here${allow ? `; allowed: ${allow}` : ''}`;
  if (status === 501) return `this server does not serve the method ${method}`;
  return 'request failed';
}
