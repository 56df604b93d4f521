/**
 * The ceiling for ingest on this machine: a bare Koa server (koa + @koa/bodyparser only) that
 * parses the JSON body and answers 200, with no secret check, no validation and no storage.
 * The benchmark loads it exactly as it loads the service's webhook; the ratio of the two is the
 * share of the machine's HTTP capacity the webhook keeps.
 *
 * Usage (by hand): `npx tsx bench/bare-koa.ts` prints `BARE_URL=<url>`.
 */
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveIpc } from './lib/children';

async function main(): Promise<void> {
  const app = new Koa();
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '1mb', encoding: 'utf-8' }));
  app.use(async function answer(ctx) {
    ctx.body = { ok: true, seen: typeof ctx.request.body === 'object' };
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  process.stdout.write(`BARE_URL=${url}\n`);
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  serveIpc({});
  process.send?.({ type: 'ready', url, pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/bare-koa.ts failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
