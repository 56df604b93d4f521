/**
 * Makes a parsed JSON value safe to store in PostgreSQL's `jsonb` and safe to walk.
 *
 * `jsonb` refuses two things JavaScript strings may hold: NUL (`\u0000`) and lone UTF-16
 * surrogates (`\ud800` without its pair), in values and in keys alike, and one such string makes
 * the whole INSERT fail. A value nested thousands of levels deep overflows the stack of every
 * recursive walker (serialisers, validators). Both come only from hostile or broken senders, so
 * they are bounded here, once, before anything else looks at the value.
 */

/** How deep a stored update may nest. Real Telegram updates stay under 12 (a reply's quoted message's entities). */
export const MAX_JSON_DEPTH = 32;

/** Why a value cannot be stored, in words for `rejected_updates.reason`. */
export type NotStorable = { reason: 'too_deep'; detail: string };

/** The result of {@link storableJson}: the cleaned value, or why there is none. */
export type Storable<T> = { ok: true; value: T; changed: boolean } | ({ ok: false } & NotStorable);

/**
 * How deep `value` nests (a scalar is 0, `[]` is 1), measured without recursion, stopping as soon
 * as `limit` is passed: a 5,000-deep array costs `limit` steps, not a stack overflow.
 */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop() as { value: unknown; depth: number };
    if (v === null || typeof v !== 'object') continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: here });
    }
  }
  return deepest;
}

/** A high surrogate without a low one after it, or a low one without a high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A string `jsonb` accepts: NUL removed, lone surrogates replaced by U+FFFD (what `toWellFormed()` does). */
export function storableString(text: string): string {
  const withoutNul = text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
  return withoutNul.replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * Copies a parsed JSON value with every string (keys too) made storable by {@link storableString},
 * or says why it cannot be stored (deeper than `maxDepth`). `changed` tells whether anything
 * was altered, so a log or a metric can say so.
 *
 * @example storableJson({ text: 'a\u0000b' }) // { ok: true, value: { text: 'ab' }, changed: true }
 */
export function storableJson<T>(value: T, maxDepth = MAX_JSON_DEPTH): Storable<T> {
  const depth = jsonDepth(value, maxDepth);
  if (depth > maxDepth) return { ok: false, reason: 'too_deep', detail: `nested deeper than ${maxDepth} levels` };
  let changed = false;
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const s = storableString(v);
      if (s !== v) changed = true;
      return s;
    }
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(clean);
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(v)) {
      const k = storableString(key);
      if (k !== key) changed = true;
      out[k] = clean(child);
    }
    return out;
  };
  // Recursion is safe here: the depth was bounded above.
  return { ok: true, value: clean(value) as T, changed };
}
