import { Redis } from 'ioredis';
import { RedisSnapshotStore, RevisionConflictError } from '../../src/adapters/redis/snapshot.store';
import { DIALOG_MACHINE_VERSION } from '../../src/machines/dialog.machine';
import type { DialogEvent, DialogSettings } from '../../src/machines/dialog.types';
import { openTestServices } from '../support/services';
import { newCore, stopCores } from './core-harness';

const services = openTestServices();
const CHAT = 4242;
const user = { telegramId: CHAT, firstName: 'Ivan', languageCode: 'ru' };

/** One process's engine and outbox runner, with effects recorded (`runner.names()`). */
function newEngine(overrides: Partial<DialogSettings> = {}, snapshots?: RedisSnapshotStore) {
  const core = newCore(services, overrides, snapshots);
  return { engine: core, runner: core.recorder, snapshots: core.snapshots, core };
}

let messageId = 100;
// Each question ten seconds after the one before: no two are one burst.
let clock = 1_700_000_000_000;
const userSays = (text: string): DialogEvent => ({ type: 'user.message', messageId: ++messageId, text, signal: null, at: (clock += 10_000) });
const asUser = (text: string) => ({
  actor: 'user',
  user,
  lang: 'ru' as const,
  record: { sender: 'user' as const, telegramChatId: CHAT, telegramMessageId: messageId + 1, text },
});
const anna = { telegramId: 501, name: 'Anna' };

beforeEach(() => services.reset());
afterEach(() => stopCores());
afterAll(() => services.close());

describe('dialog persistence', () => {
  it('a first message creates the user, the dialog, its messages and transitions, and a Redis snapshot', async () => {
    const { engine, runner, snapshots } = newEngine();
    const result = await engine.dispatch({ chatId: CHAT }, userSays('Привет'), asUser('Привет'));

    expect(result).toMatchObject({ accepted: true, state: 'botActive' });
    expect(runner.names()).toEqual(['askLlm', 'sendLlmReply']);
    const dialog = await services.db('dialogs').first();
    expect(dialog).toMatchObject({ chat_id: String(CHAT), state: 'botActive', revision: 2 });
    expect(await services.db('users').first()).toMatchObject({ telegram_id: String(CHAT), first_name: 'Ivan', language_code: 'ru' });
    expect(await services.db('messages').orderBy('id').select('sender', 'text')).toEqual([{ sender: 'user', text: 'Привет' }, { sender: 'bot', text: 'An answer' }]);
    expect(await services.db('dialog_transitions').select('from_state', 'to_state', 'event')).toEqual([
      { from_state: null, to_state: 'botActive', event: 'dialog.start' },
    ]);
    expect(await services.db('outbox').whereNull('done_at').count('* as n')).toEqual([{ n: '0' }]);
    const cached = await snapshots.load(CHAT);
    expect(cached).toMatchObject({ dialogId: Number(dialog.id), revision: 2, machineVersion: DIALOG_MACHINE_VERSION });
  });

  it('writes every state change with its event, reason, layer and actor', async () => {
    const { engine } = newEngine();
    await engine.dispatch(
      { chatId: CHAT },
      { type: 'user.message', messageId: 1, text: 'оператора!', signal: { layer: 'rules', confidence: 'high', reason: 'rules.request_human' }, at: clock },
      asUser('оператора!'),
    );
    const dialogId = Number((await services.db('dialogs').first()).id);
    await engine.dispatch({ chatId: CHAT, dialogId }, { type: 'operator.take', operatorId: 501, operatorName: 'Anna', place: {} }, { actor: 'operator:501', operator: anna });
    await engine.dispatch({ chatId: CHAT, dialogId }, { type: 'operator.close', operatorId: 501, place: {} }, { actor: 'operator:501', operator: anna });

    const rows = await services.db('dialog_transitions').orderBy('id').select('from_state', 'to_state', 'event', 'reason', 'layer', 'actor');
    expect(rows).toEqual([
      { from_state: null, to_state: 'botActive', event: 'dialog.start', reason: null, layer: null, actor: 'user' },
      { from_state: 'botActive', to_state: 'handoffRequested.posting', event: 'user.message', reason: 'rules.request_human', layer: 'rules', actor: 'user' },
      { from_state: 'handoffRequested.posting', to_state: 'awaitingOperator', event: 'ticket.posted', reason: null, layer: null, actor: 'system' },
      { from_state: 'awaitingOperator', to_state: 'operatorActive', event: 'operator.take', reason: null, layer: null, actor: 'operator:501' },
      { from_state: 'operatorActive', to_state: 'closed', event: 'operator.close', reason: 'operator', layer: null, actor: 'operator:501' },
    ]);
    const dialog = await services.db('dialogs').first();
    expect(dialog.closed_at).not.toBeNull();
    expect(dialog.handoff_reason).toBe('rules.request_human');
    expect(await services.db('dialog_timers').count('* as n')).toEqual([{ n: '0' }]);
  });

  it('the next message after a close starts a new dialog in botActive', async () => {
    const { engine } = newEngine();
    await engine.dispatch({ chatId: CHAT }, { type: 'user.requestHuman' }, { actor: 'user', user });
    const first = Number((await services.db('dialogs').first()).id);
    await engine.dispatch({ chatId: CHAT, dialogId: first }, { type: 'operator.close', operatorId: 501, place: {} }, { actor: 'operator:501', operator: anna });
    const result = await engine.dispatch({ chatId: CHAT }, userSays('снова я'), asUser('снова я'));
    expect(result.dialogId).not.toBe(first);
    expect(result.state).toBe('botActive');
    expect(await services.db('dialogs').orderBy('id').pluck('state')).toEqual(['closed', 'botActive']);
  });

  it('an event for a closed dialog number is ignored', async () => {
    const { engine, runner } = newEngine();
    await engine.dispatch({ chatId: CHAT }, { type: 'user.requestHuman' }, { actor: 'user', user });
    await engine.dispatch({ chatId: CHAT, dialogId: 1 }, { type: 'operator.close', operatorId: 501, place: {} }, { actor: 'operator:501' });
    const before = runner.effects.length;
    const result = await engine.dispatch({ chatId: CHAT, dialogId: 1 }, { type: 'operator.take', operatorId: 501, operatorName: 'Anna', place: {} }, { actor: 'operator:501' });
    expect(result.accepted).toBe(false);
    expect(runner.effects.length).toBe(before);
  });
});

describe('steps of one dialog at the same moment', () => {
  it('are all applied, one after another, from separate processes: none is lost or applied twice', async () => {
    const first = newEngine();
    await first.engine.apply({ chatId: CHAT }, userSays('Привет'), asUser('Привет'));
    const processes = [newEngine(), newEngine(), newEngine(), newEngine()];
    const texts = Array.from({ length: 12 }, (_, i) => `вопрос ${i}`);
    const results = await Promise.all(
      texts.map((text, i) => processes[i % processes.length]!.engine.apply({ chatId: CHAT }, userSays(text), asUser(text))),
    );

    expect(results.every((r) => r.accepted)).toBe(true);
    const dialogs = await services.db('dialogs').select('id', 'revision');
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0].revision).toBe(1 + texts.length);
    expect((await services.db('messages').select('text')).map((m) => m.text).sort()).toEqual(['Привет', ...texts].sort());
    // The first question asked the LLM; the rest wait for its answer (queued in the machine, not dropped).
    expect(await services.db('outbox').count('* as n')).toEqual([{ n: '1' }]);
    const dialog = await services.db('dialogs').first();
    expect(dialog.context.pendingLlmRequest).not.toBeNull();
    expect(dialog.context.queuedMessageId).not.toBeNull();
    // The snapshot Redis holds is the last committed one, or none.
    const cached = await first.snapshots.load(CHAT);
    if (cached) expect(cached.revision).toBe(1 + texts.length);
  });

  it('a first message arriving twice at once opens one dialog, holding both', async () => {
    const [a, b] = [newEngine(), newEngine()];
    await Promise.all([
      a.engine.apply({ chatId: CHAT }, userSays('Здравствуйте'), asUser('Здравствуйте')),
      b.engine.apply({ chatId: CHAT }, userSays('Есть кто?'), asUser('Есть кто?')),
    ]);

    expect(await services.db('dialogs').count('* as n')).toEqual([{ n: '1' }]);
    expect(await services.db('users').count('* as n')).toEqual([{ n: '1' }]);
    expect((await services.db('messages').select('text')).map((m) => m.text).sort()).toEqual(['Есть кто?', 'Здравствуйте']);
    expect(await services.db('dialog_transitions').select('to_state', 'event')).toEqual([{ to_state: 'botActive', event: 'dialog.start' }]);
  });
});

describe('a timer and a message of one dialog at the same moment', () => {
  it('both steps complete: the timer consumed once, no step lost', async () => {
    const chats = Array.from({ length: 12 }, (_, i) => 7000 + i);
    const setup = newEngine();
    for (const chat of chats) {
      const who = { telegramId: chat, firstName: 'U', languageCode: 'ru' };
      const result = await setup.engine.dispatch({ chatId: chat }, { type: 'user.requestHuman' }, { actor: 'user', user: who });
      await setup.engine.dispatch(
        { chatId: chat, dialogId: result.dialogId! },
        { type: 'operator.take', operatorId: 501, operatorName: 'Anna', place: {} },
        { actor: 'operator:501', operator: anna },
      );
    }
    const dialogs = await services.db('dialogs').select('id', 'chat_id');
    for (let round = 0; round < 3; round += 1) {
      await services.db('dialog_timers').where({ name: 'idle' }).update({ due_at: services.db.raw("now() - interval '1 second'") });
      const [timers, messages] = [newEngine(), newEngine()];
      const outcomes = await Promise.allSettled(
        dialogs.flatMap((d) => {
          const chat = Number(d.chat_id);
          const text = `ещё вопрос ${round}`;
          return [
            timers.engine.apply({ chatId: chat, dialogId: Number(d.id) }, { type: 'timer.idle' }, { actor: 'timer', timer: 'idle' }),
            messages.engine.apply({ chatId: chat }, userSays(text), {
              actor: 'user',
              record: { sender: 'user' as const, telegramChatId: chat, telegramMessageId: messageId, text },
            }),
          ];
        }),
      );
      expect(outcomes.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
      // Every message was stored; each dialog was closed by its timer at most once.
      expect(await services.db('messages').where('text', `ещё вопрос ${round}`).count('* as n')).toEqual([{ n: String(dialogs.length) }]);
    }
    const closes = await services.db('dialog_transitions').where({ event: 'timer.idle' }).groupBy('dialog_id').select('dialog_id').count<Array<{ n: string }>>('* as n');
    expect(closes.every((c) => Number(c.n) === 1)).toBe(true);
  });
});

describe('the Redis snapshot store', () => {
  it('refuses a write based on a stale revision, so two writers cannot overwrite each other', async () => {
    const { snapshots } = newEngine();
    await snapshots.save(CHAT, { dialogId: 1, machineVersion: 1, revision: 1, snapshot: { a: 1 } }, null);
    await snapshots.save(CHAT, { dialogId: 1, machineVersion: 1, revision: 2, snapshot: { a: 2 } }, 1);
    await expect(snapshots.save(CHAT, { dialogId: 1, machineVersion: 1, revision: 2, snapshot: { a: 'lost update' } }, 1)).rejects.toBeInstanceOf(
      RevisionConflictError,
    );
    await expect(snapshots.save(CHAT, { dialogId: 1, machineVersion: 1, revision: 1, snapshot: {} }, null)).rejects.toBeInstanceOf(RevisionConflictError);
    expect(await snapshots.load(CHAT)).toMatchObject({ revision: 2, snapshot: { a: 2 } });
  });

  it('of two concurrent writers from the same revision exactly one wins', async () => {
    const { snapshots } = newEngine();
    await snapshots.save(CHAT, { dialogId: 1, machineVersion: 1, revision: 1, snapshot: {} }, null);
    const outcomes = await Promise.allSettled(
      [1, 2].map((writer) => snapshots.save(CHAT, { dialogId: 1, machineVersion: 1, revision: 2, snapshot: { writer } }, 1)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
  });
});

describe('losing Redis', () => {
  async function intoOperatorConversation() {
    const { engine, runner } = newEngine();
    await engine.dispatch({ chatId: CHAT }, { type: 'user.requestHuman' }, { actor: 'user', user });
    await engine.dispatch({ chatId: CHAT, dialogId: 1 }, { type: 'operator.take', operatorId: 501, operatorName: 'Anna', place: {} }, { actor: 'operator:501', operator: anna });
    return { engine, runner, snapshots: engine.snapshots };
  }

  it('a flushed Redis is rebuilt from PostgreSQL and the operator conversation goes on', async () => {
    const { engine, runner, snapshots } = await intoOperatorConversation();
    await services.redis.flushdb();

    const result = await engine.dispatch({ chatId: CHAT }, userSays('вы тут?'), asUser('вы тут?'));
    expect(result).toMatchObject({ accepted: true, state: 'operatorActive' });
    expect(runner.names().at(-1)).toBe('relayToOperators');
    expect(await snapshots.load(CHAT)).toMatchObject({ revision: (await services.db('dialogs').first()).revision });
    const reply = await engine.dispatch(
      { chatId: CHAT, dialogId: 1 },
      { type: 'operator.message', operatorId: 501, operatorName: 'Anna', fromChatId: -100, messageId: 9 },
      { actor: 'operator:501' },
    );
    expect(reply).toMatchObject({ accepted: true, state: 'operatorActive' });
    expect(runner.names().at(-1)).toBe('relayToUser');
  });

  it('a snapshot left behind by a crash between the PostgreSQL commit and the Redis write is detected and rebuilt', async () => {
    const { engine, runner } = await intoOperatorConversation();
    const { snapshots } = newEngine();
    const stale = await snapshots.load(CHAT);
    await engine.dispatch({ chatId: CHAT }, userSays('первое'), asUser('первое'));
    // Put the older snapshot back, as if the last Redis write had never happened.
    await services.redis.del(`dialog:${CHAT}`);
    await snapshots.save(CHAT, stale!, null);

    const result = await engine.dispatch({ chatId: CHAT }, userSays('второе'), asUser('второе'));
    expect(result).toMatchObject({ accepted: true, state: 'operatorActive' });
    expect(runner.names().filter((n) => n === 'relayToOperators')).toHaveLength(2);
    expect((await services.db('dialogs').first()).revision).toBe((await snapshots.load(CHAT))!.revision);
  });

  it('a snapshot from another machine version is not trusted', async () => {
    const { engine } = await intoOperatorConversation();
    const { snapshots } = newEngine();
    const current = await snapshots.load(CHAT);
    await services.redis.del(`dialog:${CHAT}`);
    await snapshots.save(CHAT, { ...current!, machineVersion: 0, snapshot: { value: 'nonsense' } }, null);
    const result = await engine.dispatch({ chatId: CHAT }, userSays('ау'), asUser('ау'));
    expect(result).toMatchObject({ accepted: true, state: 'operatorActive' });
    expect(await snapshots.load(CHAT)).toMatchObject({ machineVersion: DIALOG_MACHINE_VERSION });
  });
});

describe('a Redis snapshot that fell behind', () => {
  it('is not trusted: a timer due in the real state still fires, and the operator can close', async () => {
    const { engine, runner, snapshots } = newEngine({ operatorWaitMs: 50 });
    await engine.apply({ chatId: CHAT }, { type: 'user.requestHuman' }, { actor: 'user', user });
    const posting = await snapshots.load(CHAT);
    await engine.dispatch({ chatId: CHAT, dialogId: 1 }, { type: 'ticket.posted', messageId: 77, threadId: null }, { actor: 'system' });
    // The last Redis write "never happened": Redis still says handoffRequested.posting.
    await services.redis.del(`dialog:${CHAT}`);
    await snapshots.save(CHAT, posting!, null);

    await new Promise((r) => setTimeout(r, 80));
    expect(await engine.poller().deliverDue()).toBe(1);
    await engine.dispatch({ chatId: CHAT, dialogId: 1 }, { type: 'admin.message', text: 'settle' }, { actor: 'admin' });
    expect(runner.names()).toContain('notifyUser:stillWaiting');
    const close = await engine.dispatch({ chatId: CHAT, dialogId: 1 }, { type: 'operator.close', operatorId: 501, place: {} }, { actor: 'operator:501' });
    expect(close).toMatchObject({ accepted: true, state: 'closed' });
  });
});

describe('Redis down', () => {
  it('dialogs go on from PostgreSQL alone', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const { engine, runner } = newEngine({}, RedisSnapshotStore.create(dead));
    const first = await engine.dispatch({ chatId: CHAT }, userSays('раз'), asUser('раз'));
    const second = await engine.dispatch({ chatId: CHAT }, userSays('два'), asUser('два'));
    expect([first.state, second.state]).toEqual(['botActive', 'botActive']);
    expect(await services.db('messages').where({ sender: 'bot' }).count('* as n')).toEqual([{ n: '2' }]);
    expect(runner.names()).toEqual(['askLlm', 'sendLlmReply', 'askLlm', 'sendLlmReply']);
    dead.disconnect();
  });

  it('a process without Redis and one with it, opening the same chats at once: one dialog each, nothing lost', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    dead.on('error', () => undefined);
    const blind = newEngine({}, RedisSnapshotStore.create(dead)).engine;
    const { engine } = newEngine();
    const chats = Array.from({ length: 10 }, (_, i) => 8000 + i);
    const say = (chat: number, text: string) =>
      ({ actor: 'user', user: { telegramId: chat }, record: { sender: 'user' as const, telegramChatId: chat, telegramMessageId: ++messageId, text } });
    await Promise.all(chats.flatMap((chat) => [blind.apply({ chatId: chat }, userSays('без Redis'), say(chat, 'без Redis')), engine.apply({ chatId: chat }, userSays('с Redis'), say(chat, 'с Redis'))]));

    const perChat = await services.db('dialogs').groupBy('chat_id').select('chat_id').count<{ n: string }[]>('* as n');
    expect(perChat.map((r) => Number(r.n))).toEqual(chats.map(() => 1));
    expect(await services.db('messages').count('* as n')).toEqual([{ n: String(2 * chats.length) }]);
    dead.disconnect();
  });
});

describe('timers across a restart', () => {
  it('an operator-wait deadline set before a restart fires once after it', async () => {
    const before = newEngine({ operatorWaitMs: 200 });
    await before.engine.dispatch({ chatId: CHAT }, { type: 'user.requestHuman' }, { actor: 'user', user });
    const timer = await services.db('dialog_timers').first();
    expect(timer).toMatchObject({ name: 'operatorWait' });

    // "Restart": a new engine and two pollers with nothing in memory from before.
    const after = newEngine({ operatorWaitMs: 200 });
    const pollers = [1, 2].map(() => after.engine.poller());
    expect(await pollers[0]!.deliverDue()).toBe(0); // not due yet
    await new Promise((r) => setTimeout(r, 250));
    const delivered = await Promise.all(pollers.map((p) => p.deliverDue()));

    expect(delivered.reduce((a, b) => a + b, 0)).toBe(1);
    await after.engine.dispatch({ chatId: CHAT, dialogId: 1 }, { type: 'admin.message', text: 'settle' }, { actor: 'admin' });
    expect(after.runner.names().slice(0, 2)).toEqual(['notifyUser:stillWaiting', 'notifyOperators:reminder']);
    const next = await services.db('dialog_timers').first();
    expect(next.due_at.getTime()).toBeGreaterThan(timer.due_at.getTime()); // re-armed for the next reminder
  });

  it('a ticket that cannot be posted is retried later, and the user is told meanwhile', async () => {
    const { engine, runner } = newEngine();
    runner.ticketPosts = false;
    await engine.dispatch({ chatId: CHAT }, { type: 'user.requestHuman' }, { actor: 'user', user });
    expect(runner.names()).toEqual(['notifyUser:switching', 'postTicket', 'notifyUser:ticketDelayed']);
    const retry = await services.db('dialog_timers').where({ name: 'ticketRetry' }).first();
    expect(retry.due_at.getTime()).toBeGreaterThan(Date.now() + 20_000);

    runner.ticketPosts = true;
    await services.db('dialog_timers').update({ due_at: services.db.raw("now() - interval '1 second'") }); // time passes
    expect(await engine.poller().deliverDue()).toBe(1);
    await engine.dispatch({ chatId: CHAT, dialogId: 1 }, { type: 'admin.message', text: 'settle' }, { actor: 'admin' });
    expect(runner.names().slice(3, 4)).toEqual(['postTicket']);
    expect((await services.db('dialogs').first()).state).toBe('awaitingOperator');
  });

  it('a cancelled timer never fires', async () => {
    const { engine, runner } = newEngine({ operatorWaitMs: 50 });
    await engine.dispatch({ chatId: CHAT }, { type: 'user.requestHuman' }, { actor: 'user', user });
    await engine.dispatch({ chatId: CHAT, dialogId: 1 }, { type: 'operator.take', operatorId: 501, operatorName: 'Anna', place: {} }, { actor: 'operator:501', operator: anna });
    await new Promise((r) => setTimeout(r, 80));
    const poller = engine.poller();
    expect(await poller.deliverDue()).toBe(0);
    expect(runner.names()).not.toContain('notifyUser:stillWaiting');
  });
});

describe('effects after a crash', () => {
  it('effects held by a live process are not taken over, so nothing is sent twice', async () => {
    const live = newEngine();
    const result = await live.engine.apply({ chatId: CHAT }, { type: 'user.requestHuman' }, { actor: 'user', user });
    expect(result.started.map((s) => s.effect.type)).toEqual(['notifyUser', 'postTicket']);
    const other = newEngine();
    other.core.runner.poke();
    await new Promise((r) => setTimeout(r, 200)); // several of its polls
    expect(other.runner.names()).toEqual([]);
    await live.engine.runner.accept(result);
    await live.engine.dispatch({ chatId: CHAT, dialogId: 1 }, { type: 'admin.message', text: 'settle' }, { actor: 'admin' });
    expect(live.runner.names().slice(0, 2)).toEqual(['notifyUser:switching', 'postTicket']);
    expect(other.runner.names()).toEqual([]);
  });

  it('effects committed but not carried out are taken up once their lease runs out', async () => {
    const crashed = newEngine();
    // Apply without carrying out the effects: what a crash right after commit leaves behind.
    await crashed.engine.apply({ chatId: CHAT }, { type: 'user.requestHuman' }, { actor: 'user', user });
    await crashed.engine.stop();
    await services.db('outbox').update({ locked_until: services.db.raw("now() - interval '1 second'") });

    const restarted = newEngine();
    const deadline = Date.now() + 5000;
    while ((await services.db('dialogs').first()).state !== 'awaitingOperator' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // The posted ticket's step then asks for its brief.
    while (restarted.runner.names().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(restarted.runner.names()).toEqual(['notifyUser:switching', 'postTicket', 'writeBrief']);
    expect((await services.db('dialogs').first()).state).toBe('awaitingOperator');
  });
});
