/**
 * Plumbing shared by the fake HTTP servers in `test/fakes/`: listening on a random
 * local port, reading and parsing request bodies, answering JSON, waiting on a
 * condition, and closing without leaving keep-alive sockets behind (telegraf and
 * the openai SDK both keep connections alive, which would otherwise hold Jest open).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

/** Reads the whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Answers `body` as JSON with `status`, unless the client has gone away. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** What a multipart part that carried a file is recorded as. */
export interface UploadedFile {
  filename: string;
  contentType: string | undefined;
  size: number;
}

/**
 * Parses a request body by its content type: JSON, `application/x-www-form-urlencoded`
 * (values stay strings, as sent) or `multipart/form-data` (text fields as strings,
 * files as {@link UploadedFile}). An empty body gives `{}`.
 *
 * @throws Error when the body claims to be JSON but is not, or is not an object.
 */
export function parseBody(contentType: string | undefined, body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
    return boundary === undefined ? {} : parseMultipart(body, boundary);
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  }
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  if (!isRecord(parsed)) throw new Error('the JSON body is not an object');
  return parsed;
}

function parseMultipart(body: Buffer, boundary: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString('latin1') === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // A part is "\r\n<headers>\r\n\r\n<content>\r\n" between two delimiters.
    const part = body.subarray(partStart, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      let content = part.subarray(headerEnd + 4);
      if (content.subarray(-2).toString('latin1') === '\r\n') content = content.subarray(0, -2);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      const partType = /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim();
      if (name !== undefined) {
        result[name] =
          filename !== undefined
            ? ({ filename, contentType: partType, size: content.length } satisfies UploadedFile)
            : content.toString('utf8');
      }
    }
    start = next;
  }
  return result;
}

/** True for plain objects (not arrays, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
