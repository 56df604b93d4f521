import pino from 'pino';
import { RedisSnapshotStore } from '../../src/adapters/redis/snapshot.store';
import { DialogEngine, type DialogTarget, type StepOptions, type StepResult } from '../../src/core/dialog.engine';
import type { Effect, EffectType } from '../../src/core/effect.types';
import type { EffectHandlers, EffectOutcome } from '../../src/core/effects/effect.handlers';
import { OutboxRunner } from '../../src/core/outbox.runner';
import { TimerPoller } from '../../src/core/timer.poller';
import type { DialogEvent, DialogSettings } from '../../src/machines/dialog.types';
import { DialogStore } from '../../src/store/dialog.store';
import { OutboxStore } from '../../src/store/outbox.store';
import { TimerStore } from '../../src/store/timer.store';
import type { TestServices } from '../support/services';

export const log = pino({ level: 'silent' });
export const settings: DialogSettings = { operatorWaitMs: 60_000, idleCloseMs: 600_000, llmFailuresBeforeOffer: 2, mergeWindowMs: 1500 };

/**
 * Effect handlers that record every effect and answer the ones with a result the way the real
 * adapters do when all goes well (the LLM answers, the ticket is posted). The real engine, store
 * and outbox runner run around them, against the real PostgreSQL and Redis.
 */
export class Recorder {
  readonly effects: Array<{ dialogId: number | null; effect: Effect }> = [];
  /** Whether posting a ticket succeeds (the real handler answers ticket.posted or ticket.failed). */
  ticketPosts = true;
  readonly handlers: EffectHandlers;

  constructor() {
    const record = (effect: Effect, dialogId: number | null): EffectOutcome => {
      this.effects.push({ dialogId, effect });
      if (effect.type === 'askLlm') {
        const event: DialogEvent = { type: 'llm.reply', requestId: effect.params.requestId, text: 'An answer', cannotHelp: false, at: Date.now() };
        return { followUp: { event, actor: 'llm', record: { sender: 'bot', text: 'An answer' } } };
      }
      if (effect.type === 'postTicket') {
        const event: DialogEvent = this.ticketPosts ? { type: 'ticket.posted', messageId: 500 + this.effects.length, threadId: null } : { type: 'ticket.failed' };
        return { followUp: { event, actor: 'system' } };
      }
      return {};
    };
    this.handlers = new Proxy({} as EffectHandlers, {
      get: (_, type: EffectType) => async (effect: Effect, dialog: { id: number } | null) => record({ ...effect, type } as Effect, dialog?.id ?? null),
    });
  }

  /** Effect names seen so far, like `notifyUser:switching`. */
  names(): string[] {
    return this.effects.map(({ effect }) => {
      const p = effect.params as { key?: string } | undefined;
      return p && p.key ? `${effect.type}:${p.key}` : effect.type;
    });
  }
}

/** One process's core: engine, outbox runner (started) and recording handlers. */
export interface Core {
  engine: DialogEngine;
  runner: OutboxRunner;
  recorder: Recorder;
  snapshots: RedisSnapshotStore;
  /** Steps the event and carries out everything it leads to; the state is the one the dialog ends in. */
  dispatch(target: DialogTarget, event: DialogEvent, options: StepOptions): Promise<StepResult>;
  /** Steps the event only: its effects stay in the outbox, leased to nobody running (what a crash leaves). */
  apply(target: DialogTarget, event: DialogEvent, options: StepOptions): Promise<StepResult>;
  poller(): TimerPoller;
  stop(): Promise<void>;
}

const cores: Core[] = [];

/** Builds a core over the test services; `stopCores()` in afterEach stops them all. */
export function newCore(services: TestServices, overrides: Partial<DialogSettings> = {}, snapshots = RedisSnapshotStore.create(services.redis)): Core {
  const recorder = new Recorder();
  const store = DialogStore.create(services.db);
  const engine = DialogEngine.create({ store, snapshots, settings: { ...settings, ...overrides }, log, instanceId: `test-${cores.length}` });
  const runner = OutboxRunner.create({
    outbox: OutboxStore.create(services.db),
    store,
    engine,
    handlers: recorder.handlers,
    log,
    instanceId: `test-${cores.length}`,
    operatorChatId: -100,
    sendConcurrency: 8,
    llmConcurrency: 8,
    pollMs: 50,
  });
  runner.start();
  const settle = async () => {
    for (let quiet = 0; quiet < 3; ) {
      await new Promise((r) => setTimeout(r, 15));
      const [row] = await services.db('outbox').whereNull('done_at').andWhere((q) => q.whereNull('locked_until').orWhere('locked_until', '<', services.db.fn.now()).orWhereNotNull('locked_by')).count<Array<{ n: string }>>('* as n');
      quiet = Number(row?.n) === 0 && runner.active === 0 ? quiet + 1 : 0;
    }
  };
  const core: Core = {
    engine,
    runner,
    recorder,
    snapshots,
    async dispatch(target, event, options) {
      const result = await engine.step(target, event, options);
      await runner.accept(result);
      await settle();
      if (result.dialogId === null) return result;
      const now = await store.dialog(result.dialogId);
      return { ...result, state: (now?.state as StepResult['state']) ?? result.state };
    },
    apply: (target, event, options) => engine.step(target, event, options),
    poller: () => TimerPoller.create({ timers: TimerStore.create(services.db), engine, log, onStep: (r) => void runner.accept(r).then(settle) }),
    stop: () => runner.stop(1000),
  };
  cores.push(core);
  return core;
}

/** Stops every core built since the last call. */
export async function stopCores(): Promise<void> {
  await Promise.all(cores.splice(0).map((c) => c.stop()));
}
