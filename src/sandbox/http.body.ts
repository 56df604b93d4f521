/**
 * HTTP body plumbing of the Bot API emulator: reading a request body, parsing it the ways the
 * Bot API accepts (JSON, urlencoded form, multipart with files) and answering JSON, on plain
 * `node:http` requests, so the emulator runs inside the service's Koa app or on a port of its own.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

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
