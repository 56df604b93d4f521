import { randomUUID } from 'node:crypto';
import { initialTransition, transition } from 'xstate';
import type { Logger } from '../logger';
import { RevisionConflictError, type RedisSnapshotStore, type SnapshotRecord } from '../adapters/redis/snapshot.store';
import { effectsOf } from '../machines/dialog.effects';
import { DIALOG_MACHINE_VERSION, dialogMachine, type DialogStateName } from '../machines/dialog.machine';
import type { DialogContext, DialogEvent, DialogSettings, Lang, TimerName } from '../machines/dialog.types';
import type { DialogRecord, DialogStore } from '../store/dialog.store';
import type { MessagePair } from '../store/pair.store';
import { OUTBOX_LEASE_SECONDS } from '../store/outbox.store';
import type { DialogWrite, StepCommit } from '../store/step.commit';
import { systemClock, type Clock } from './clock';
import type { Effect } from './effect.types';
import { buildStep, isClosed, statePath, topState, transitionRow, type Snapshot } from './step.build';

/** The Telegram user behind a private chat, stored in `users`. */
export interface UserProfile {
  telegramId: number;
  firstName?: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
}

/** An operator acting on a dialog, stored in `operators`. */
export interface OperatorProfile {
  telegramId: number;
  name: string;
  username?: string;
}

/** A message to store with the step, in the same statement (a bot's answer has no Telegram id yet). */
export interface MessageRecord {
  sender: 'user' | 'operator' | 'bot' | 'note';
  telegramChatId: number;
  telegramMessageId?: number;
  text?: string;
  media?: { kind: string; fileId?: string; group?: string };
  /** For a bot's answer: the user message (Telegram id) it answers. */
  inReplyTo?: number;
}

/** What caused an event, and what to store with it. */
export interface StepOptions {
  /** Who caused it: `user`, `operator:<telegram id>`, `llm`, `timer`, `admin`, `system`. */
  actor: string;
  user?: UserProfile;
  operator?: OperatorProfile;
  record?: MessageRecord;
  /** The inbox row whose event this is: marked processed by the step's statement. */
  inboxUpdateId?: number;
  /** The timer being delivered: the step is written only while it is due, and consumes it. */
  timer?: TimerName;
  /** The language to start a new dialog in. */
  lang?: Lang;
  /** The outbox row whose result this event is: marked done by the step's statement, so the result is never lost. */
  outboxDoneId?: number;
  /** Copies in the operators' chat the effect behind this event made. */
  links?: Array<{ chatId: number; messageId: number }>;
  /** Relayed messages and the copies the effect behind this event made of them. */
  pairs?: MessagePair[];
  /** Acknowledgements of the input (a callback answer…), queued before the machine's effects, also when the machine ignores the event. */
  receipts?: Effect[];
  /** Queued instead of `receipts` when the event is not applied (an old button: "this choice is no longer open"). */
  ignoredReceipts?: Effect[];
}

/** Which dialog an event is for: the user's chat, and optionally one dialog number that must be open. */
export interface DialogTarget {
  chatId: number;
  dialogId?: number;
  /**
   * `/reopen`: dialog `dialogId` is closed and the event may open it again. It is read by its
   * number from PostgreSQL (not as the chat's open dialog), and its step is written only while
   * the chat has no other open dialog; otherwise the event is not applied.
   */
  reopens?: boolean;
}

/** An outbox row a step queued, with its effect, that the committing process may start at once. */
export interface StartedEffect {
  id: number;
  dialogId: number;
  effect: Effect;
  kind: 'ordered' | 'parallel';
}

/** The outcome of one step. */
export interface StepResult {
  /** The dialog the event went to (null when there is none and the event cannot start one). */
  dialogId: number | null;
  /** False when the state does not accept the event (nothing of it is written but its receipts). */
  accepted: boolean;
  /** Top-level state after the step. */
  state: DialogStateName | null;
  /** Rows leased to `owner` at commit: the runner starts them without claiming them again. */
  started: StartedEffect[];
  /** True when other rows were queued that a runner must claim (behind earlier effects of the dialog). */
  queuedBehind: boolean;
  owner: string;
  dialog?: DialogRecord;
}

/** Observers of committed steps (metrics, the inspector). */
export interface StepObserver {
  onStep(info: { dialogId: number; from: string | null; to: string; event: DialogEvent; effects: Effect[]; snapshot: Snapshot }): void;
}

/** Events that may open a new dialog when the chat has none. */
const STARTS_DIALOG = new Set<DialogEvent['type']>(['user.message', 'user.start', 'user.requestHuman', 'admin.handoff']);

/** Attempts at a step whose dialog keeps changing under it, before the error is let through (the inbox then retries the update). */
const STEP_ATTEMPTS = 10;

/** The dialog changed under the step (a concurrent step, or a Redis snapshot behind PostgreSQL). */
export class StaleStepError extends Error {
  constructor() {
    super('the dialog changed under the step (a concurrent step, or a Redis snapshot behind PostgreSQL)');
    this.name = 'StaleStepError';
  }
}

/** The dialog a step starts from, and where it was read. */
interface Loaded {
  current: { dialogId: number; revision: number; snapshot: Snapshot } | null;
  source: 'redis' | 'postgres';
  /** The revision Redis holds (its compare-and-set expects it). */
  cachedRevision: number | null;
}

/**
 * Steps dialogs: loads the machine's snapshot (Redis, or the dialog's row in PostgreSQL), steps
 * it with XState's pure `transition()`, and commits the result with the store's one statement,
 * guarded by the dialog row's revision; then caches the snapshot in Redis.
 *
 * Nothing here carries out an effect: the step queues them in the outbox, and the
 * {@link OutboxRunner} runs them. A step whose dialog moved on is redone from PostgreSQL, so
 * steps of one dialog never interleave, also across processes.
 */
export class DialogEngine {
  private constructor(
    private readonly store: DialogStore,
    private readonly snapshots: RedisSnapshotStore,
    private readonly settings: DialogSettings,
    private readonly log: Logger,
    private readonly observers: StepObserver[],
    private readonly instanceId: string,
    private readonly clock: Clock,
  ) {}

  static create(deps: {
    store: DialogStore;
    snapshots: RedisSnapshotStore;
    settings: DialogSettings;
    log: Logger;
    observers?: StepObserver[];
    /** Names this process's leases; stable across restarts. */
    instanceId?: string;
    /** Stamps every event with the step's time (`stepAt`) and times the timers; default the real clock. */
    clock?: Clock;
  }): DialogEngine {
    return new DialogEngine(deps.store, deps.snapshots, deps.settings, deps.log, deps.observers ?? [], deps.instanceId ?? `pid-${process.pid}`, deps.clock ?? systemClock);
  }

  /** Observers added after construction (the outbox runner, which is built from the engine). */
  observe(observer: StepObserver): void {
    this.observers.push(observer);
  }

  /**
   * Applies one event to the target's dialog and commits the step. The machine sees the event
   * stamped with the step's time by the clock (`stepAt`, unless the caller set it): the machine
   * never reads a clock of its own.
   */
  async step(target: DialogTarget, unstamped: DialogEvent, options: StepOptions): Promise<StepResult> {
    const event: DialogEvent = { ...unstamped, stepAt: unstamped.stepAt ?? this.clock.now() };
    let loaded = target.reopens ? await this.loadClosed(target) : await this.loadCached(target.chatId);
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.tryStep(target, event, options, loaded);
      if (outcome !== 'stale') return outcome;
      if (attempt === STEP_ATTEMPTS) throw new StaleStepError();
      // Another step of the dialog got there first: redo from its row, after a short random pause
      // so that steps racing for one dialog do not keep colliding.
      const forgotten = loaded.source === 'redis' && (await this.snapshots.forget(target.chatId).then(() => true, () => false));
      if (attempt > 1) await new Promise((r) => setTimeout(r, Math.random() * 4 * attempt));
      loaded = target.reopens ? await this.loadClosed(target) : await this.loadFromPostgres(target.chatId, forgotten ? null : loaded.cachedRevision);
    }
  }

  /** One try: 'stale' when what it started from was behind, or when an ignore must be confirmed by PostgreSQL. */
  private async tryStep(target: DialogTarget, event: DialogEvent, options: StepOptions, loaded: Loaded): Promise<StepResult | 'stale'> {
    const owner = `${this.instanceId}/${randomUUID()}`;
    let current = loaded.current;
    if (target.dialogId !== undefined && current?.dialogId !== target.dialogId) {
      if (loaded.source === 'redis') return 'stale';
      return this.ignored(target.dialogId, event, options, owner, 'dialog is not open');
    }

    let write: DialogWrite;
    const transitions: StepCommit['transitions'] = [];
    if (current) {
      if (!current.snapshot.can(event)) {
        // Redis may be behind PostgreSQL: only the dialog's row may refuse an event.
        if (loaded.source === 'redis') return 'stale';
        return this.ignored(current.dialogId, event, options, owner, `${statePath(current.snapshot)} does not accept it`);
      }
      write = { kind: 'update', id: current.dialogId, expectedRevision: current.revision, dueTimer: options.timer, reopens: target.reopens };
    } else {
      if (!STARTS_DIALOG.has(event.type)) return this.ignored(null, event, options, owner, 'no open dialog');
      const dialogId = await this.store.nextDialogId();
      const snapshot = initialTransition(dialogMachine, { dialogId, chatId: target.chatId, lang: options.lang ?? 'en', settings: this.settings })[0];
      current = { dialogId, revision: 0, snapshot };
      write = { kind: 'insert', id: dialogId, chatId: target.chatId, user: options.user ?? { telegramId: target.chatId } };
      transitions.push({ from: null, to: statePath(snapshot), event: 'dialog.start', reason: null, layer: null, actor: options.actor });
    }

    const from = statePath(current.snapshot);
    const [next, actions] = transition(dialogMachine, current.snapshot, event);
    const effects: Effect[] = effectsOf(actions);
    if (statePath(next) !== from) transitions.push(transitionRow(from, next, event, options.actor));
    const step = buildStep({
      write,
      next,
      revision: current.revision + 1,
      transitions,
      effects,
      receipts: options.receipts ?? [],
      owner,
      leaseSeconds: OUTBOX_LEASE_SECONDS,
      now: event.stepAt,
      parts: {
        message: options.record && {
          sender: options.record.sender,
          telegramChatId: options.record.telegramChatId,
          telegramMessageId: options.record.telegramMessageId ?? null,
          text: options.record.text ?? null,
          media: options.record.media ?? null,
          inReplyTo: options.record.inReplyTo,
        },
        operator: options.operator && { telegramId: options.operator.telegramId, name: options.operator.name, username: options.operator.username ?? null },
        inboxUpdateId: options.inboxUpdateId,
        outboxDoneId: options.outboxDoneId,
        links: options.links,
        pairs: options.pairs,
      },
    });
    const committed = await this.store.commit(step);
    if (!committed) {
      // A reopening not written: a colleague reopened the dialog first, or its chat has another open dialog now.
      if (target.reopens) return this.ignored(current.dialogId, event, options, owner, 'not reopened: the dialog changed, or its chat has another open dialog');
      // A timer that is no longer due was moved or cancelled by the step that came first.
      if (options.timer !== undefined && loaded.source === 'postgres') return this.ignored(current.dialogId, event, options, owner, 'timer no longer due');
      return 'stale';
    }

    const dialogId = committed.dialog.id;
    await this.cache(target.chatId, loaded.cachedRevision, { dialogId, machineVersion: DIALOG_MACHINE_VERSION, revision: current.revision + 1, snapshot: dialogMachine.getPersistedSnapshot(next) });
    for (const observer of this.observers) observer.onStep({ dialogId, from, to: statePath(next), event, effects, snapshot: next });
    const queued = step.outbox.effects.map((e) => e.effect as Effect);
    const started = committed.outbox.flatMap((row, i) =>
      row.leased ? [{ id: row.id, dialogId, effect: queued[i] as Effect, kind: step.outbox.effects[i]?.kind ?? 'ordered' }] : [],
    );
    return { dialogId, accepted: true, state: topState(next), started, queuedBehind: started.length < committed.outbox.length, owner, dialog: committed.dialog };
  }

  /** The event is not applied; its receipts are still queued, and its update marked processed. */
  private async ignored(dialogId: number | null, event: DialogEvent, options: StepOptions, owner: string, why: string): Promise<StepResult> {
    this.log.info({ dialogId, event: event.type, why }, 'event not applied');
    const receipts = options.ignoredReceipts ?? options.receipts ?? [];
    const ids = await this.store.commitReplies({ dialogId, inboxUpdateId: options.inboxUpdateId, effects: receipts.map((effect) => ({ kind: 'parallel', effect })) });
    return { dialogId, accepted: false, state: null, started: [], queuedBehind: ids.length > 0, owner };
  }

  /** The chat's snapshot from Redis; from PostgreSQL when Redis has none of this machine version or cannot be reached. */
  private async loadCached(chatId: number): Promise<Loaded> {
    let record: SnapshotRecord | null;
    try {
      record = await this.snapshots.load(chatId);
    } catch (error) {
      this.log.warn({ chatId, err: error instanceof Error ? error.message : String(error) }, 'Redis unavailable; the dialog is read from PostgreSQL');
      return this.loadFromPostgres(chatId, null);
    }
    if (!record) return { current: null, source: 'redis', cachedRevision: null };
    if (record.machineVersion !== DIALOG_MACHINE_VERSION) return this.loadFromPostgres(chatId, record.revision);
    const snapshot = dialogMachine.resolveState(record.snapshot as Parameters<typeof dialogMachine.resolveState>[0]) as Snapshot;
    const current = isClosed(snapshot) ? null : { dialogId: record.dialogId, revision: record.revision, snapshot };
    return { current, source: 'redis', cachedRevision: record.revision };
  }

  /**
   * A dialog by number, as `/reopen` needs it (closed, so not the chat's open dialog), from its
   * row; Redis's revision for the chat is read for the compare-and-set of the cache.
   */
  private async loadClosed(target: DialogTarget): Promise<Loaded> {
    const row = target.dialogId === undefined ? null : await this.store.dialog(target.dialogId);
    const cachedRevision = await this.snapshots.load(target.chatId).then((r) => r?.revision ?? null, () => null);
    if (!row || row.chatId !== target.chatId) return { current: null, source: 'postgres', cachedRevision };
    const snapshot = dialogMachine.resolveState({ value: row.stateValue as Snapshot['value'], context: row.context as DialogContext }) as Snapshot;
    return { current: { dialogId: row.id, revision: row.revision, snapshot }, source: 'postgres', cachedRevision };
  }

  private async loadFromPostgres(chatId: number, cachedRevision: number | null): Promise<Loaded> {
    const row = await this.store.openDialogOfChat(chatId);
    if (!row) return { current: null, source: 'postgres', cachedRevision };
    const snapshot = dialogMachine.resolveState({ value: row.stateValue as Snapshot['value'], context: row.context as DialogContext }) as Snapshot;
    return { current: { dialogId: row.id, revision: row.revision, snapshot }, source: 'postgres', cachedRevision };
  }

  /** Caches the committed snapshot; a Redis failure is logged, never thrown: PostgreSQL holds the step. */
  private async cache(chatId: number, expected: number | null, record: SnapshotRecord): Promise<void> {
    try {
      await this.snapshots.save(chatId, record, expected);
    } catch (error) {
      const conflict = error instanceof RevisionConflictError;
      this.log.warn(
        { chatId, dialogId: record.dialogId, err: conflict ? 'revision conflict' : error instanceof Error ? error.message : String(error) },
        'could not cache the snapshot in Redis; the next step reads the dialog from PostgreSQL',
      );
      await this.snapshots.forget(chatId).catch(() => undefined);
    }
  }
}
