import Router from '@koa/router';

/** A dependency the service needs to do its work. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/**
 * `GET /healthz`: the process is up. `GET /readyz`: every dependency answers within 2 s
 * (PostgreSQL, Redis), else 503 with which one failed. Both on one listener.
 */
export function healthRouter(checks: ReadinessCheck[]): Router {
  return addReadyz(livenessRouter(), checks);
}

/** `GET /healthz` alone: the process is up. The public listener serves it (the image's HEALTHCHECK asks it). */
export function livenessRouter(): Router {
  const router = new Router();
  router.get('/healthz', function healthz(ctx) {
    ctx.body = { status: 'ok' };
  });
  return router;
}

/** `GET /readyz` alone: PostgreSQL and Redis answer. With ADMIN_PORT it is on the admin listener. */
export function readinessRouter(checks: ReadinessCheck[]): Router {
  return addReadyz(new Router(), checks);
}

function addReadyz(router: Router, checks: ReadinessCheck[]): Router {
  router.get('/readyz', async function readyz(ctx) {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), 2000);
          return [name, 'ok'] as const;
        } catch {
          return [name, 'down'] as const;
        }
      }),
    );
    const ready = results.every(([, status]) => status === 'ok');
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) };
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), ms);
    }),
  ]);
}
