/** The largest `draft_id` used: positive and within a signed 32-bit integer, whatever the client. */
const MAX_DRAFT_ID = 2 ** 31 - 1;

/**
 * The `draft_id` of one answer, derived from something that names that answer durably (the
 * outbox row of its `askLlm` effect): non-zero, as the Bot API requires, and the same after a
 * restart, so an answer redone after a crash replaces its own half-written draft, and a
 * `stopped_message_generation` update (which carries the `draft_id`) can be matched to its answer.
 * Integers map to 1 … 2³¹−1 directly (distinct below 2³¹−1); strings through 32-bit FNV-1a.
 *
 * @example draftIdFor(effect.id) // 4812
 * @throws RangeError for a negative or fractional number
 */
export function draftIdFor(seed: number | bigint | string): number {
  if (typeof seed === 'string') return (fnv1a(seed) % MAX_DRAFT_ID) + 1;
  if (typeof seed === 'bigint') return Number(seed % BigInt(MAX_DRAFT_ID)) + 1;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`draftIdFor needs a non-negative integer such as an outbox row id (got ${String(seed)})`);
  }
  return (seed % MAX_DRAFT_ID) + 1;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
