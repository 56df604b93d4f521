/**
 * Plumbing shared by the fake HTTP servers in `test/fakes/`: listening on a random
 * local port, reading and parsing request bodies, answering JSON, waiting on a
 * condition, and closing without leaving keep-alive sockets behind (telegraf and
 * the openai SDK both keep connections alive, which would otherwise hold Jest open).
 * Body parsing and JSON answers live in src/sandbox/http.body.ts (the emulator uses them).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { sendJson } from '../../src/sandbox/http.body';
import type { AddressInfo } from 'node:net';

export { isRecord, parseBody, readBody, sendJson, type UploadedFile } from '../../src/sandbox/http.body';

/** A request handler that may be async; errors it throws become a 500 answer. */
export type FakeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Starts `handler` on 127.0.0.1 on a free port chosen by the OS.
 *
 * @returns the server and its port, e.g. `const { server, port } = await listenLocal(h)`.
 */
export async function listenLocal(handler: FakeHandler): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 500, { fakeServerError: error instanceof Error ? error.message : String(error) });
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return { server, port };
}

/**
 * Stops accepting connections and destroys open ones (idle keep-alive sockets and
 * requests that are deliberately left hanging), then resolves once the server is closed.
 */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/** Resolves after `ms` milliseconds; `timers` lets the owner cancel it on close. */
export function delay(ms: number, timers: Set<NodeJS.Timeout>): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}

/**
 * A set of waiters woken on every change: `wait` resolves once `check` returns a value
 * other than `undefined`, and rejects with `describeTimeout()` after `timeoutMs`.
 */
export class Waiters {
  private readonly pending = new Set<{ wake: () => void; fail: (reason: string) => void }>();

  /** Re-runs every waiter's check; call after each recorded change. */
  notify(): void {
    for (const waiter of [...this.pending]) waiter.wake();
  }

  /** Rejects every pending waiter, e.g. when the fake closes. */
  rejectAll(reason: string): void {
    for (const waiter of [...this.pending]) waiter.fail(reason);
  }

  /** Waits until `check` gives a value; a `check` that throws rejects the wait. */
  wait<T>(check: () => T | undefined, timeoutMs: number, describeTimeout: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        wake: (): void => {
          let value: T | undefined;
          try {
            value = check();
          } catch (error) {
            settle();
            reject(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          if (value !== undefined) {
            settle();
            resolve(value);
          }
        },
        fail: (reason: string): void => {
          settle();
          reject(new Error(reason));
        },
      };
      const timer = setTimeout(() => waiter.fail(describeTimeout()), timeoutMs);
      const settle = (): void => {
        clearTimeout(timer);
        this.pending.delete(waiter);
      };
      this.pending.add(waiter);
      waiter.wake();
    });
  }
}
