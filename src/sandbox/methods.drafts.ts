/**
 * The emulator's `sendMessageDraft` (Bot API 9.3; `can_stop` and `keep_on_stop` since 10.3):
 * only in private chats, `draft_id` non-zero, `text` 0–4096 characters after entity parsing
 * ('' shows "Thinking…"). It honours the world's draft refusal and per-chat flood limit
 * ({@link EmulatorWorld.draftRefusal}, {@link EmulatorWorld.draftLimit}) and keeps the last
 * accepted draft per chat for the page ({@link EmulatorWorld.draftIn}).
 */
import { ApiRefusal, badRequest, intOf, MAX_TEXT_LENGTH, type Params } from './api.refusal';
import type { EmulatorWorld } from './emulator.world';
import type { MethodHandler } from './methods.messages';
import { renderFormatted } from './telegram.format';

/** The draft method over `world`. */
export function draftMethods(world: EmulatorWorld): Record<string, MethodHandler> {
  return { sendMessageDraft: (params) => sendMessageDraft(world, params) };
}

function sendMessageDraft(world: EmulatorWorld, params: Params): true {
  if (world.draftRefusal === 'method_not_found') throw new ApiRefusal(404, 'Not Found: method not found');
  const chatId = world.guardSend(params);
  if (world.draftRefusal === 'peer_invalid' || chatId < 0) throw badRequest('TEXTDRAFT_PEER_INVALID');
  const draftId = intOf(params.draft_id);
  // The emulator's wording: the Bot API documents the rule ("must be non-zero"), not its error text.
  if (draftId === undefined || draftId === 0) throw badRequest('draft_id must be non-zero');
  const text = params.text === undefined ? '' : String(params.text);
  const rendered = renderFormatted(text, params.parse_mode);
  if (!rendered.ok) throw new ApiRefusal(400, rendered.description);
  if (rendered.text.length > MAX_TEXT_LENGTH) throw badRequest('message is too long');
  takeDraftToken(world, chatId);
  const thread = intOf(params.message_thread_id);
  world.drafts.set(chatId, {
    at: Date.now(),
    draftId,
    text,
    ...(typeof params.parse_mode === 'string' ? { parseMode: params.parse_mode } : {}),
    ...(thread === undefined ? {} : { threadId: thread }),
  });
  return true;
}

/** The flood limit: takes a token from the chat's bucket or throws 429. */
function takeDraftToken(world: EmulatorWorld, chatId: number): void {
  const limit = world.draftLimit;
  if (limit === undefined) return;
  const burst = Math.max(1, limit.burst ?? 1);
  const now = Date.now();
  const bucket = world.draftBuckets.get(chatId) ?? { tokens: burst, at: now };
  bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / limit.minIntervalMs);
  bucket.at = now;
  world.draftBuckets.set(chatId, bucket);
  if (bucket.tokens < 1) {
    const retryAfter = limit.retryAfter ?? 1;
    throw new ApiRefusal(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);
  }
  bucket.tokens -= 1;
}
