/**
 * How the Bot API emulator refuses a call, and the parameter checks it shares between its
 * method areas: an {@link ApiRefusal} is answered as Telegram answers an error
 * (`{ ok: false, error_code, description, parameters? }` with that HTTP status), and the
 * helpers read parameters the way they arrive (JSON numbers, or strings from form bodies).
 */
import { isRecord, type UploadedFile } from './http.body';
import { renderFormatted } from './telegram.format';

/** A call's parameters as parsed from the request. */
export type Params = Record<string, unknown>;

/** Telegram's text limit (after entity parsing). */
export const MAX_TEXT_LENGTH = 4096;
/** Telegram's caption limit (after entity parsing). */
export const MAX_CAPTION_LENGTH = 1024;

/** A refusal answered as `{ ok: false, error_code, description, parameters? }`. */
export class ApiRefusal extends Error {
  constructor(
    readonly status: number,
    /** `null` answers without a `description` (the field is optional in the Bot API). */
    readonly description: string | null,
    readonly retryAfter?: number,
  ) {
    super(description ?? `error ${status}`);
  }

  /** The JSON body Telegram answers with. */
  body(): Record<string, unknown> {
    return {
      ok: false,
      error_code: this.status,
      ...(this.description === null ? {} : { description: this.description }),
      ...(this.retryAfter === undefined ? {} : { parameters: { retry_after: this.retryAfter } }),
    };
  }
}

/** 400 "Bad Request: <detail>". */
export const badRequest = (detail: string): ApiRefusal => new ApiRefusal(400, `Bad Request: ${detail}`);

/** An integer parameter, from a JSON number or a form string; undefined otherwise. */
export function intOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

/** A chat id as a number; form bodies send it as a string. `@username` ids are not supported. */
export function chatIdOf(value: unknown): number | undefined {
  return intOf(value);
}

/** A required chat id, refused like Telegram when empty or unknown. */
export function requireChat(value: unknown, name: string): number {
  if (value === undefined || value === '') throw badRequest(`${name} is empty`);
  const id = chatIdOf(value);
  if (id === undefined) throw badRequest('chat not found');
  return id;
}

/** A required integer parameter. */
export function requireInt(value: unknown, name: string): number {
  const n = intOf(value);
  if (n === undefined) throw badRequest(`${name} is empty`);
  return n;
}

/** A boolean parameter as JSON or form bodies spell it. */
export function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Parameters that are objects in JSON bodies arrive as JSON strings in form bodies. */
export function jsonParam(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** True for a file part of a multipart body. */
export function isUpload(value: unknown): value is UploadedFile {
  return isRecord(value) && typeof value.filename === 'string' && typeof value.size === 'number';
}

/** True when the new `reply_markup` parameter equals the message's markup. */
export function sameMarkup(old: unknown, next: unknown): boolean {
  return JSON.stringify(old ?? null) === JSON.stringify(jsonParam(next) ?? null);
}

/** Checks `text` or a caption like Telegram does and returns what the reader will see. */
export function renderChecked(raw: unknown, parseMode: unknown, kind: 'text' | 'caption'): string {
  const source = raw === undefined || raw === null ? '' : String(raw);
  const rendered = renderFormatted(source, parseMode);
  if (!rendered.ok) throw new ApiRefusal(400, rendered.description);
  const text = rendered.text;
  if (kind === 'text' && text.trim() === '') throw badRequest('message text is empty');
  if (kind === 'text' && text.length > MAX_TEXT_LENGTH) throw badRequest('message is too long');
  if (kind === 'caption' && text.length > MAX_CAPTION_LENGTH) throw badRequest('message caption is too long');
  return text;
}

/** Inline buttons: each needs a text, and `callback_data` must be 1–64 bytes. */
export function checkButtons(replyMarkup: unknown): void {
  const markup = jsonParam(replyMarkup);
  if (!isRecord(markup) || !Array.isArray(markup.inline_keyboard)) return;
  for (const row of markup.inline_keyboard) {
    if (!Array.isArray(row)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
    for (const button of row) {
      if (!isRecord(button) || typeof button.text !== 'string' || button.text === '') throw badRequest('BUTTON_TEXT_INVALID');
      const data = button.callback_data;
      if (data !== undefined && (typeof data !== 'string' || data === '' || Buffer.byteLength(data, 'utf8') > 64)) {
        throw badRequest('BUTTON_DATA_INVALID');
      }
    }
  }
}
