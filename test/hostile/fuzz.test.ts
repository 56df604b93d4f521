/**
 * Fuzzing the real webhook and inbox (fixed seed, a few thousand generated bodies, all with the
 * right secret): broken, malformed and unusual updates mixed with good ones and posted in bursts,
 * so that good and bad share the inbox's INSERT batches. Must hold: no answer is 5xx, every good
 * update is acknowledged and stored (none failed by a bad one in its batch), no stored update
 * fails in a worker, the workers are idle afterwards, and a fresh chat is still answered.
 */
import { SECRET, startHarness, WEBHOOK_PATH, type Harness } from '../e2e/harness';

const SEED = 20261201;
const BODIES = 3000;
const BURST = 60;

/** mulberry32: a small seeded PRNG, so a failure replays exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Body {
  text: string;
  /** Built exactly as Telegram sends it: must be stored and answered. */
  good: boolean;
  updateId: number | null;
}

function generator(seed: number) {
  const random = prng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  let nextUpdateId = 1_000_000;
  let nextGoodUser = 700_000;
  let messageId = 1;

  const oddValues: Json[] = [null, true, 0, -1, 1.5, 1e20, -(2 ** 60), '', 'x', '12', [], {}, [1, [2, [3]]], { a: { b: 'c' } }, 'a'.repeat(300)];
  const oddStrings = ['\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '\ud83d\ude00', '\u202e', '\uffff', '\\u0000', '%00', '<b>', "'; DROP TABLE", '\r\n'];
  const kinds = ['edited_message', 'poll', 'channel_post', 'message_reaction', 'made_up_kind', '__proto__', 'constructor', ''];

  const user = (id: number): { [key: string]: Json } => ({ id, is_bot: false, first_name: `User ${id}`, language_code: pick(['en', 'ru', 'de']) });
  const textUpdate = (userId: number, text: string): { [key: string]: Json } => ({
    update_id: nextUpdateId++,
    message: { message_id: messageId++, date: 1_764_000_000, chat: { id: userId, type: 'private', first_name: 'U' }, from: user(userId), text },
  });
  const callbackUpdate = (userId: number): { [key: string]: Json } => ({
    update_id: nextUpdateId++,
    callback_query: {
      id: `cb-${nextUpdateId}`,
      from: user(userId),
      chat_instance: '1',
      data: pick(['talk_to_human', 'confirm_yes', 'nonsense', '']),
      message: { message_id: messageId++, date: 0, chat: { id: userId, type: 'private' } },
    },
  });
  const memberUpdate = (userId: number): { [key: string]: Json } => ({
    update_id: nextUpdateId++,
    my_chat_member: { chat: { id: userId, type: 'private' }, from: user(userId), date: 1, old_chat_member: { status: 'member' }, new_chat_member: { status: pick(['kicked', 'member', 'left']) } },
  });

  /** Every [parent, key] inside a value, for mutations at a random place. */
  const places = (value: Json, out: Array<[Json[] | { [key: string]: Json }, string | number]> = []) => {
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        out.push([value, Array.isArray(value) ? Number(k) : k]);
        places(v, out);
      }
    }
    return out;
  };
  const set = (parent: Json[] | { [key: string]: Json }, key: string | number, v: Json) => {
    (parent as Record<string | number, Json>)[key] = v;
  };
  const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  return function next(): Body {
    const roll = random();
    if (roll < 0.1) {
      // A good update from a chat of its own.
      const update = textUpdate(nextGoodUser++, `question ${nextUpdateId}`);
      return { text: JSON.stringify(update), good: true, updateId: update.update_id as number };
    }
    const poolUser = 800_000 + int(150);
    const base = pick([textUpdate, textUpdate, callbackUpdate, memberUpdate])(poolUser, `text ${nextUpdateId}`);
    const updateId = base.update_id as number;
    const spots = places(base).filter(([, k]) => k !== 'update_id');
    const [parent, key] = pick(spots);
    const mutation = int(10);
    switch (mutation) {
      case 0: // a strange string where a string or a key is
        if (typeof (parent as Record<string, Json>)[key] === 'string') set(parent, key, `${(parent as Record<string, string>)[key]}${pick(oddStrings)}`);
        else if (!Array.isArray(parent)) set(parent, `k${pick(oddStrings)}`, pick(oddStrings));
        break;
      case 1: // a field removed
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
        break;
      case 2: // a field of the wrong type, or out of range
      case 3:
        set(parent, key, pick(oddValues));
        break;
      case 4: // deep nesting, now and then very deep
        return { text: JSON.stringify(base).replace(/}$/, `,"extra":${nested(random() < 0.1 ? 5000 : 20 + int(60))}}`), good: false, updateId };
      case 5: // a kind of update the service does not handle, or one no Bot API defines
        return { text: JSON.stringify({ update_id: updateId, [pick(kinds)]: pick(oddValues) }), good: false, updateId };
      case 6: // update_id broken: not a Telegram update
        set(base, 'update_id', pick(oddValues));
        return { text: JSON.stringify(base), good: false, updateId: null };
      case 7: // a long string
        set(parent, key, 'y'.repeat(20_000 + int(40_000)));
        break;
      case 8: // not an object at all, or not JSON
        return { text: pick(['[]', '1', '"update"', 'null', '{"update_id":1,', `{"update_id":${updateId},"message":{"text":"\\ud800\\u0000"}}`]), good: false, updateId: null };
      default: // a group chat the bot is not serving, or a bot as sender
        if (base.message && typeof base.message === 'object' && !Array.isArray(base.message)) {
          set(base.message, 'chat', { id: -(1_000_000 + int(1000)), type: pick(['group', 'supergroup', 'channel']) });
        }
    }
    return { text: JSON.stringify(base), good: false, updateId };
  };
}

let h: Harness;
afterAll(() => h?.close());

it(`${BODIES} generated bodies (seed ${SEED}): no 5xx, good updates never failed by bad ones, workers idle after, a fresh chat answered`, async () => {
  h = await startHarness({ WORKER_CONCURRENCY: '8' });
  const next = generator(SEED);
  const bodies = Array.from({ length: BODIES }, next);
  const statuses = new Map<number, number>(); // index → status
  const started = Date.now();
  for (let i = 0; i < bodies.length; i += BURST) {
    const burst = bodies.slice(i, i + BURST);
    const answers = await Promise.all(
      burst.map((body) =>
        fetch(h.svc.url + WEBHOOK_PATH, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: body.text,
        }).then(async (res) => (await res.arrayBuffer(), res.status)),
      ),
    );
    answers.forEach((status, j) => statuses.set(i + j, status));
  }
  const posting = Date.now() - started;

  const byStatus: Record<string, number> = {};
  for (const status of statuses.values()) byStatus[status] = (byStatus[status] ?? 0) + 1;
  expect([...statuses.entries()].filter(([, status]) => status >= 500).map(([i]) => bodies[i]!.text.slice(0, 200))).toEqual([]);

  const good = bodies.filter((b) => b.good);
  expect(good.length).toBeGreaterThan(BODIES * 0.05);
  expect(bodies.flatMap((b, i) => (b.good && statuses.get(i) !== 200 ? [`${statuses.get(i)} ${b.text}`] : []))).toEqual([]);
  const storedGood = await h.services.db('inbox_updates').whereIn('update_id', good.map((b) => b.updateId as number)).count<{ n: string }[]>('* as n');
  expect(Number(storedGood[0]!.n)).toBe(good.length);

  await h.settled(25_000);
  const failedInWorker = await h.services.db('inbox_updates').whereNotNull('last_error').select('update_id', 'last_error');
  expect(failedInWorker).toEqual([]);

  const fresh = { id: 999_001, first_name: 'Fresh', language_code: 'en' };
  expect(await h.post(h.updates.text(fresh, 'still there?'))).toBe(200);
  await h.tg.waitFor(() => h.tg.textsTo(fresh.id).length === 1, 5000);
  expect(h.tg.textsTo(fresh.id)).toEqual(['Ответ: still there?']);

  const [rejected] = await h.services.db('rejected_updates').count<{ n: string }[]>('* as n');
  const [stored] = await h.services.db('inbox_updates').count<{ n: string }[]>('* as n');
  // The figures, for the report: how the bodies were answered and where they went.
  process.stdout.write(
    `fuzz: ${BODIES} bodies in ${posting} ms, statuses ${JSON.stringify(byStatus)}, good ${good.length}, stored ${stored!.n}, rejected ${rejected!.n}, all settled after ${Date.now() - started} ms\n`,
  );
}, 60_000);
