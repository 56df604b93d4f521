import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type Router from '@koa/router';
import type { Logger } from '../logger';
import { errorBoundary } from './errors.middleware';

/**
 * A Koa application: the error boundary first, then the routers. Unexpected errors are logged
 * here, once, without request bodies. Every error answer, 404 and 405 included, is JSON.
 */
export function createHttpApp(routers: Router[], log: Logger, middleware: Koa.Middleware[] = []): Koa {
  const app = new Koa();
  app.proxy = true;
  app.use(errorBoundary);
  for (const m of middleware) app.use(m);
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  app.on('error', (error: unknown, ctx?: Koa.Context) => {
    log.error({ err: error instanceof Error ? error.message : String(error), path: ctx?.path }, 'request failed');
  });
  return app;
}

/** What each listener serves; see {@link createHttpApps}. */
export interface HttpRouters {
  /** What Telegram reaches: the webhook and `/healthz`. */
  public: Router[];
  /** For your own network: the admin API, `/metrics`, `/readyz`. */
  admin: Router[];
  /** Middleware before the public routers, on raw requests (the sandbox's emulator, src/sandbox/sandbox.host.ts). */
  publicMiddleware?: Koa.Middleware[];
}

/**
 * One application per listener. Without `adminPort` (development, tests) one application serves
 * everything on the public port; with it (`ADMIN_PORT`) the public one serves only the webhook and
 * `/healthz`, and the admin API, `/metrics` and `/readyz` get an application of their own.
 */
export function createHttpApps(routers: HttpRouters, log: Logger, adminPort: number | undefined): { public: Koa; admin: Koa | null } {
  const middleware = routers.publicMiddleware ?? [];
  if (adminPort === undefined) return { public: createHttpApp([...routers.public, ...routers.admin], log, middleware), admin: null };
  return { public: createHttpApp(routers.public, log, middleware), admin: createHttpApp(routers.admin, log) };
}

/** Listens on `host:port` (0: any free port); resolves with the server and a URL to reach it (0.0.0.0 becomes 127.0.0.1). */
export async function listen(app: Koa, port: number, host: string): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
  return { server, url: `http://${shown}:${address.port}` };
}

/** Stops taking requests and resolves once the open ones are answered. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
