import Koa from 'koa';
import type Router from '@koa/router';
import type { Logger } from '../logger';
import { errorBoundary } from './errors.middleware';

/**
 * The Koa application: the error boundary first, then the routers. Unexpected errors are logged
 * here, once, without request bodies.
 */
export function createHttpApp(routers: Router[], log: Logger): Koa {
  const app = new Koa();
  app.proxy = true;
  app.use(errorBoundary);
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  app.on('error', (error: unknown, ctx?: Koa.Context) => {
    log.error({ err: error instanceof Error ? error.message : String(error), path: ctx?.path }, 'request failed');
  });
  return app;
}
