import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import type { Logger } from '../logger';
import { RedisSnapshotStore, RevisionConflictError, type SnapshotRecord } from '../adapters/redis/snapshot.store';
import { commitStep, markEffectDone, type DialogWrite, type StepCommit } from './step.commit';
import { DIALOG_MACHINE_VERSION, dialogMachine, type DialogStateName } from '../machines/dialog.machine';
import type {
  DialogContext,
  DialogEffect,
  DialogEvent,
  DialogSettings,
  Lang,
  TimerName,
} from '../machines/dialog.types';

type Snapshot = SnapshotFrom<typeof dialogMachine>;

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

/** A message to store with the transition, in the same database transaction. */
export interface MessageRecord {
  sender: 'user' | 'operator';
  telegramChatId: number;
  telegramMessageId: number;
  text?: string;
  media?: { kind: string; fileId?: string };
}

/** What caused an event, and what to store with it. */
export interface ApplyOptions {
  /** Who caused it: `user`, `operator:<telegram id>`, `llm`, `timer`, `admin`, `system`. */
  actor: string;
  user?: UserProfile;
  operator?: OperatorProfile;
  record?: MessageRecord;
  /** The inbox row whose event this is: marked applied in the same transaction. */
  inboxUpdateId?: number;
  /** The timer being delivered: consumed in the same transaction, or the event is dropped if it is gone. */
  timer?: TimerName;
  /** The language to start a new dialog in. */
  lang?: Lang;
  /** The outbox row whose result this event is: marked done in the same transaction, so the result is never lost. */
  outboxDoneId?: number;
}

/** Which dialog an event is for: the user's chat, and optionally one dialog number that must be current. */
export interface DialogTarget {
  chatId: number;
  dialogId?: number;
}

/** The outcome of one step. */
export interface ApplyResult {
  /** The dialog the event went to (null when there is none and the event cannot start one). */
  dialogId: number | null;
  /** False when the state does not accept the event (ignored and logged). */
  accepted: boolean;
  /** Top-level state after the step. */
  state: DialogStateName | null;
  /** Outbox rows this step wrote, in order. */
  outboxIds: number[];
  /** The lease holder of those rows: only this holder carries them out (until the lease runs out). */
  outboxOwner: string;
  /**
   * Those rows' effects as stored, when their lease began (ms, `performance.now()`) and the
   * snapshot committed with them: the holder starts them without reading them back, and steps
   * their follow-up events from that snapshot instead of reading Redis again.
   */
  outboxLease?: { effects: StoredEffect[]; since: number; snapshot: SnapshotRecord };
  /** The dialog row as the step committed it (what the effects work from). */
  dialog?: DialogRow;
  /** True when the snapshot came from PostgreSQL because Redis had none. */
  rebuilt: boolean;
}

/** A row of `dialogs`, as effects need it. */
export interface DialogRow {
  id: number;
  user_id: number;
  chat_id: number;
  state: DialogStateName;
  context: DialogContext;
  revision: number;
  topic_thread_id: number | null;
  ticket_message_id: number | null;
  created_at: Date;
}

/** A message an effect sent to the user, recorded in `messages` by the statement that marks the effect done. */
export interface SentRecord {
  sender: 'bot' | 'system';
  telegramMessageId: number;
  text: string;
}

/** Carries out one effect after commit; may answer with a follow-up event (an LLM answer, ticket posted…). */
export interface EffectRunner {
  /** @param sent where the runner lists the messages it sent to the user (only effects without a follow-up event send any) */
  run(effect: DialogEffect, dialog: DialogRow, sent: SentRecord[]): Promise<{ event: DialogEvent; actor: string } | null>;
}

/** An effect as the outbox stores it. */
type StoredEffect = { type: DialogEffect['type']; params: object };

/** Events that may open a new dialog when the chat has none. */
const STARTS_DIALOG = new Set<DialogEvent['type']>(['user.message', 'user.start', 'user.requestHuman', 'admin.handoff']);

/** Effects done inside the step's transaction (timers) or needing nothing at all; they never reach the outbox. */
const IN_TRANSACTION_EFFECTS = new Set<DialogEffect['type']>(['scheduleTimer', 'cancelTimer', 'keepForTicket']);

/** How long an outbox row is reserved for whoever holds it; renewed while an effect runs. */
const OUTBOX_LEASE_SECONDS = 300;
/** Attempts at an effect before it is given up (kept, with its last error, for the record). */
const OUTBOX_MAX_ATTEMPTS = 5;

/** A running effect's lease is renewed this often; rows of a fresh lease are started without re-claiming them for as long. */
const OUTBOX_RENEW_SECONDS = OUTBOX_LEASE_SECONDS / 3;

/** The snapshot in Redis no longer matches PostgreSQL (a crash between the two writes, or a concurrent step). */
class StaleSnapshotError extends Error {
  constructor() {
    super('the dialog changed under the step (a concurrent step, or a Redis snapshot behind PostgreSQL)');
    this.name = 'StaleSnapshotError';
  }
}

/** Attempts at a step whose dialog keeps changing under it, before the error is let through. */
const STEP_ATTEMPTS = 3;

/** Top-level state of a snapshot. */
export function topState(snapshot: Snapshot): DialogStateName {
  const v = snapshot.value;
  return (typeof v === 'string' ? v : Object.keys(v)[0]) as DialogStateName;
}

/** Dotted state path, e.g. `handoffRequested.posting`. */
export function statePath(snapshot: Snapshot): string {
  const path: string[] = [];
  let v: unknown = snapshot.value;
  while (v && typeof v === 'object') {
    const [key, inner] = Object.entries(v as Record<string, unknown>)[0] as [string, unknown];
    path.push(key);
    v = inner;
  }
  if (typeof v === 'string') path.push(v);
  return path.join('.');
}

/** Observers of committed steps (metrics, the inspector). */
export interface StepObserver {
  onStep(info: { dialogId: number; from: string | null; to: string; event: DialogEvent; effects: DialogEffect[]; snapshot: Snapshot }): void;
}

/**
 * Drives dialogs: loads the machine's snapshot, steps it with an event, commits the result to
 * PostgreSQL, caches it in Redis, then carries out the effects.
 *
 * A step is committed atomically with the dialog row's revision as its guard: the row is written
 * only if its revision is still the one the step was computed from, so steps of one dialog never
 * interleave, also across processes; the loser is redone from PostgreSQL. The common step is one
 * SQL statement ({@link applyFast}), the rest one transaction under an advisory lock on the chat
 * ({@link applyInTransaction}). Either writes the dialog row (state, context, revision), the
 * transition, the message, the timers and the outbox; effects run only after commit, and a crash
 * leaves them in the outbox for {@link DialogEngine.resumeOutbox}.
 */
export class DialogEngine {
  private constructor(
    private readonly db: Knex,
    private readonly snapshots: RedisSnapshotStore,
    private readonly settings: DialogSettings,
    private readonly log: Logger,
    private readonly runner: EffectRunner,
    private readonly observers: StepObserver[],
    private readonly instanceId: string,
  ) {}

  static create(deps: {
    db: Knex;
    snapshots: RedisSnapshotStore;
    settings: DialogSettings;
    log: Logger;
    runner: EffectRunner;
    observers?: StepObserver[];
    /** Names this process's leases; stable across restarts (see {@link releaseOwnLeases}). */
    instanceId?: string;
  }): DialogEngine {
    return new DialogEngine(
      deps.db,
      deps.snapshots,
      deps.settings,
      deps.log,
      deps.runner,
      deps.observers ?? [],
      deps.instanceId ?? `pid-${process.pid}`,
    );
  }

  /**
   * Applies the event and carries out everything it causes, follow-up events included
   * (a user message → askLlm → llm.reply → sendLlmReply). The result's state is the one the
   * dialog ends in.
   */
  async dispatch(target: DialogTarget, event: DialogEvent, options: ApplyOptions, known?: SnapshotRecord): Promise<ApplyResult> {
    const result = await this.apply(target, event, options, known);
    if (result.dialogId !== null && result.outboxIds.length > 0) {
      const last = await this.runOutbox(target.chatId, result.dialogId, result.outboxIds, result.outboxOwner, result.dialog, result.outboxLease);
      if (last?.accepted) return { ...result, state: last.state };
    }
    return result;
  }

  /**
   * One committed step, effects not yet carried out.
   * @param known the dialog's snapshot as this process last committed it, used instead of Redis
   *   (a revision that moved on since is caught like a stale Redis snapshot)
   */
  async apply(target: DialogTarget, event: DialogEvent, options: ApplyOptions, known?: SnapshotRecord): Promise<ApplyResult> {
    const cached = known ? { record: known, available: true } : await this.loadCached(target.chatId);
    let record = cached.record;
    for (let attempt = 1; ; attempt += 1) {
      try {
        const fast = attempt === 1 ? await this.applyFast(target, event, options, cached) : null;
        return fast ?? (await this.applyInTransaction(target, event, options, record));
      } catch (error) {
        if (!(error instanceof StaleSnapshotError) || attempt === STEP_ATTEMPTS) throw error;
        this.log.info({ chatId: target.chatId, attempt }, 'the dialog changed under the step; redone from PostgreSQL');
        // A snapshot read from Redis that was behind is dropped; one this process passed in
        // (`known`) was only its own guess, and Redis may well hold the newer one.
        if (attempt === 1 && !known) await this.snapshots.forget(target.chatId).catch(() => undefined);
        record = (await this.loadCached(target.chatId)).record;
      }
    }
  }

  /**
   * The common step, in one statement ({@link commitStep}): the event is accepted by the snapshot
   * Redis holds (or starts a new dialog in a chat Redis knows none open for), and needs nothing
   * read from PostgreSQL first. The write checks the revision (or, for a new dialog, that the chat
   * has no open dialog), so a snapshot behind PostgreSQL throws StaleSnapshotError and nothing is
   * written. Null when the step needs {@link applyInTransaction}: a timer to consume, an
   * operator's row, an event to ignore, Redis not answering.
   */
  private async applyFast(target: DialogTarget, event: DialogEvent, options: ApplyOptions, cached: CachedSnapshot): Promise<ApplyResult | null> {
    if (!cached.available || options.timer !== undefined || options.operator || (options.record && options.record.sender !== 'user')) return null;
    const { chatId } = target;
    const known = cached.record && cached.record.machineVersion === DIALOG_MACHINE_VERSION ? cached.record : null;
    const open = known ? resolveSnapshot(known.snapshot) : null;

    let snapshot: Snapshot;
    let write: DialogWrite;
    let revision: number;
    const transitions: StepCommit['transitions'] = [];
    if (known && open && open.status !== 'done') {
      if (target.dialogId !== undefined && target.dialogId !== known.dialogId) return null;
      if (!open.can(event)) return null;
      snapshot = open;
      revision = known.revision;
      write = { kind: 'update', id: known.dialogId, expectedRevision: revision };
    } else {
      if (target.dialogId !== undefined || !STARTS_DIALOG.has(event.type)) return null;
      const start = (dialogId: number) => initialTransition(dialogMachine, { dialogId, chatId, lang: options.lang ?? 'en', settings: this.settings })[0];
      if (!start(0).can(event)) return null; // an event a new dialog ignores: the transactional path records it
      const { rows } = await this.db.raw("SELECT nextval(pg_get_serial_sequence('dialogs', 'id')) AS id");
      const dialogId = Number(rows[0].id);
      snapshot = start(dialogId);
      revision = 0;
      write = { kind: 'insert', id: dialogId, chatId, user: options.user ?? { telegramId: chatId } };
      transitions.push({ from: null, to: statePath(snapshot), event: 'dialog.start', reason: null, layer: null, actor: options.actor });
    }

    const from = statePath(snapshot);
    const [next, actions] = transition(dialogMachine, snapshot, event);
    const effects = actions.filter((a) => !a.type.startsWith('xstate.')) as unknown as DialogEffect[];
    const to = statePath(next);
    if (to !== from) transitions.push(transitionRow(from, next, event, options.actor));

    const outboxOwner = `${this.instanceId}/${randomUUID()}`;
    const step = stepCommit(write, next, revision + 1, transitions, effects, outboxOwner, {
      message: options.record && {
        sender: options.record.sender,
        telegramChatId: options.record.telegramChatId,
        telegramMessageId: options.record.telegramMessageId,
        text: options.record.text ?? null,
        media: options.record.media ?? null,
      },
      inboxUpdateId: options.inboxUpdateId,
      outboxDoneId: options.outboxDoneId,
    });
    const leaseFrom = performance.now();
    const committed = await commitStep(this.db, step);
    if (!committed) throw new StaleSnapshotError();

    const dialog = toDialogRow(committed.row);
    const record = await this.afterCommit(chatId, cached.record?.revision ?? null, { dialogId: dialog.id, revision: revision + 1, from, effects, snapshot: next }, event);
    return {
      dialogId: dialog.id,
      accepted: true,
      state: topState(next),
      outboxIds: committed.outboxIds,
      outboxOwner,
      outboxLease: { effects: step.outbox.effects as StoredEffect[], since: leaseFrom, snapshot: record },
      dialog,
      rebuilt: false,
    };
  }

  /**
   * A step in a PostgreSQL transaction holding an advisory lock on the user's chat and the lock of
   * its open dialog's row, stepped from that row: the general path, for what {@link applyFast}
   * does not take. `cached` is what Redis held (the revision its compare-and-set expects).
   */
  private async applyInTransaction(target: DialogTarget, event: DialogEvent, options: ApplyOptions, cached: SnapshotRecord | null): Promise<ApplyResult> {
    const { chatId } = target;
    const out: { committed?: CommittedStep } = {};

    const result = await this.db.transaction(async (trx) => {
      await trx.raw("SELECT pg_advisory_xact_lock(hashtextextended('dialog:' || ?::text, 0))", [String(chatId)]);
      // The open dialog's row first, as the one-statement path locks it first: the two never wait
      // on each other's timers or outbox rows, and no one-statement step commits under this one.
      const open = await trx('dialogs').where({ chat_id: chatId }).whereNull('closed_at').forUpdate().first();
      if (options.outboxDoneId !== undefined) {
        await trx('outbox').where({ id: options.outboxDoneId }).update({ done_at: trx.fn.now(), attempts: trx.raw('attempts + 1') });
      }

      if (options.timer) {
        const consumed = await trx('dialog_timers')
          .where({ dialog_id: target.dialogId, name: options.timer })
          .andWhere('due_at', '<=', trx.fn.now())
          .delete();
        if (consumed === 0) return this.ignored(target.dialogId ?? null, 'timer already consumed or cancelled');
      }

      // The locked row is the truth here; Redis only tells whether it had to be rebuilt from it.
      let current = open ? fromRow(open) : null;
      const rebuilt =
        current !== null &&
        !(cached && cached.machineVersion === DIALOG_MACHINE_VERSION && cached.dialogId === current.dialogId && cached.revision === current.revision);
      if (current && current.snapshot.status === 'done') current = null;

      if (target.dialogId !== undefined && current?.dialogId !== target.dialogId) return this.ignored(target.dialogId, 'dialog is not open');

      let from: string;
      let snapshot: Snapshot;
      let dialogId: number;
      let revision: number;
      if (current) {
        ({ snapshot, dialogId, revision } = current);
        from = statePath(snapshot);
      } else {
        if (!STARTS_DIALOG.has(event.type)) return this.ignored(null, 'no open dialog');
        ({ snapshot, dialogId, revision } = await this.startDialog(trx, chatId, options));
        from = statePath(snapshot);
      }

      if (options.operator) await this.upsertOperator(trx, options.operator);
      if (options.record) await this.storeMessage(trx, dialogId, options.record, options.operator);
      if (options.inboxUpdateId !== undefined) {
        await trx('inbox_updates').where({ update_id: options.inboxUpdateId }).update({ applied_at: trx.fn.now(), dialog_id: dialogId });
      }

      if (!snapshot.can(event)) {
        if (!current) {
          // A new dialog's row needs its machine state, even when its first event is ignored.
          await commitStep(trx, stepCommit({ kind: 'update', id: dialogId, expectedRevision: revision }, snapshot, revision, [], [], '', {}));
        }
        this.log.info({ dialogId, state: statePath(snapshot), event: event.type }, 'event ignored: the state does not accept it');
        return { dialogId, accepted: false, state: topState(snapshot), outboxIds: [], outboxOwner: '', rebuilt } satisfies ApplyResult;
      }

      const [next, actions] = transition(dialogMachine, snapshot, event);
      const effects = actions.filter((a) => !a.type.startsWith('xstate.')) as unknown as DialogEffect[];
      const nextRevision = revision + 1;
      // The same write as the one-statement path's, inside this transaction; the message, the
      // inbox row and the outbox row whose result this is were written above.
      const transitions = statePath(next) !== from ? [transitionRow(from, next, event, options.actor)] : [];
      const outboxOwner = `${this.instanceId}/${randomUUID()}`;
      const committed = await commitStep(
        trx,
        stepCommit({ kind: 'update', id: dialogId, expectedRevision: revision }, next, nextRevision, transitions, effects, outboxOwner, {}),
      );
      if (!committed) throw new StaleSnapshotError();
      const dialogRow = toDialogRow(committed.row);
      const outboxIds = committed.outboxIds;

      const result: ApplyResult = { dialogId, accepted: true, state: topState(next), outboxIds, outboxOwner, rebuilt, dialog: dialogRow };
      out.committed = { dialogId, revision: nextRevision, from, effects, snapshot: next };
      return result;
    });

    if (out.committed) await this.afterCommit(chatId, cached?.revision ?? null, out.committed, event);
    return result;
  }

  /** Caches the committed snapshot in Redis (where it was at revision `expected`) and tells the observers. */
  private async afterCommit(chatId: number, expected: number | null, step: CommittedStep, event: DialogEvent): Promise<SnapshotRecord> {
    const record: SnapshotRecord = {
      dialogId: step.dialogId,
      machineVersion: DIALOG_MACHINE_VERSION,
      revision: step.revision,
      snapshot: dialogMachine.getPersistedSnapshot(step.snapshot),
    };
    await this.saveCached(chatId, record, expected);
    for (const observer of this.observers) {
      observer.onStep({ dialogId: step.dialogId, from: step.from, to: statePath(step.snapshot), event, effects: step.effects, snapshot: step.snapshot });
    }
    return record;
  }

  /** The cached snapshot (null when Redis has none); `available` false when Redis cannot be reached (PostgreSQL then serves). */
  private async loadCached(chatId: number): Promise<CachedSnapshot> {
    try {
      return { record: await this.snapshots.load(chatId), available: true };
    } catch (error) {
      this.log.warn({ chatId, err: error instanceof Error ? error.message : String(error) }, 'Redis unavailable; rebuilding the dialog from PostgreSQL');
      return { record: null, available: false };
    }
  }

  /** Caches the committed snapshot; a Redis failure here is logged, never thrown: PostgreSQL already holds the step. */
  private async saveCached(chatId: number, record: SnapshotRecord, expected: number | null): Promise<void> {
    try {
      await this.snapshots.save(chatId, record, expected);
    } catch (error) {
      const conflict = error instanceof RevisionConflictError;
      this.log.warn(
        { chatId, dialogId: record.dialogId, err: conflict ? 'revision conflict' : error instanceof Error ? error.message : String(error) },
        'could not cache the snapshot in Redis; the next step rebuilds it from PostgreSQL',
      );
      await this.snapshots.forget(chatId).catch(() => undefined);
    }
  }

  private ignored(dialogId: number | null, why: string): ApplyResult {
    this.log.debug({ dialogId, why }, 'event not applied');
    return { dialogId, accepted: false, state: null, outboxIds: [], outboxOwner: '', rebuilt: false };
  }

  private async startDialog(trx: Knex.Transaction, chatId: number, options: ApplyOptions) {
    const user = options.user ?? { telegramId: chatId };
    const [userRow] = await trx('users')
      .insert({
        telegram_id: user.telegramId,
        first_name: user.firstName ?? null,
        last_name: user.lastName ?? null,
        username: user.username ?? null,
        language_code: user.languageCode ?? null,
      })
      .onConflict('telegram_id')
      .merge({
        first_name: user.firstName ?? null,
        last_name: user.lastName ?? null,
        username: user.username ?? null,
        language_code: user.languageCode ?? null,
        updated_at: trx.fn.now(),
      })
      .returning('id');
    const [dialogRow] = await trx('dialogs')
      .insert({
        user_id: userRow.id,
        chat_id: chatId,
        state: 'botActive',
        state_value: JSON.stringify('botActive'),
        context: JSON.stringify({}),
        machine_version: DIALOG_MACHINE_VERSION,
        revision: 0,
      })
      .returning('id')
      .catch((error: unknown) => {
        // A one-statement step opened the chat's dialog since this step looked: redo the step.
        if ((error as { constraint?: string }).constraint === 'dialogs_open_chat_uniq') throw new StaleSnapshotError();
        throw error;
      });
    const dialogId = Number(dialogRow.id);
    const [snapshot] = initialTransition(dialogMachine, {
      dialogId,
      chatId,
      lang: options.lang ?? 'en',
      settings: this.settings,
    });
    await trx('dialog_transitions').insert({
      dialog_id: dialogId,
      from_state: null,
      to_state: 'botActive',
      event: 'dialog.start',
      actor: options.actor,
    });
    return { snapshot, dialogId, revision: 0 };
  }

  private async upsertOperator(trx: Knex.Transaction, operator: OperatorProfile) {
    await trx('operators')
      .insert({ telegram_id: operator.telegramId, name: operator.name, username: operator.username ?? null })
      .onConflict('telegram_id')
      .merge({ name: operator.name, username: operator.username ?? null, last_seen_at: trx.fn.now() });
  }

  private async storeMessage(trx: Knex.Transaction, dialogId: number, record: MessageRecord, operator?: OperatorProfile) {
    const operatorId = operator
      ? (await trx('operators').where({ telegram_id: operator.telegramId }).first('id'))?.id ?? null
      : null;
    await trx('messages').insert({
      dialog_id: dialogId,
      sender: record.sender,
      operator_id: operatorId,
      telegram_chat_id: record.telegramChatId,
      telegram_message_id: record.telegramMessageId,
      text: record.text ?? null,
      media: record.media ? JSON.stringify(record.media) : null,
    });
  }

  /**
   * Carries out a step's outbox rows, in order, as their lease holder `owner`, and applies their
   * follow-up events. A row whose result is an event is marked done in the transaction that
   * applies that event, so an LLM answer or a posted ticket cannot be lost between the two. The
   * first failure stops the run (later effects must not overtake it); the rows wait, with a
   * backoff, for {@link resumeOutbox}.
   */
  async runOutbox(
    chatId: number,
    dialogId: number,
    ids: number[],
    owner: string,
    committed?: DialogRow,
    lease?: ApplyResult['outboxLease'],
  ): Promise<ApplyResult | null> {
    let last: ApplyResult | null = null;
    // The row as the step committed it; effects that change it (a topic, a ticket) update it in place.
    const dialog = committed ?? (await this.loadDialogRow(dialogId));
    let known = lease?.snapshot;
    for (const [index, id] of ids.entries()) {
      // Rows this holder wrote a moment ago are its own: started as written while more than two
      // renewal periods of their first lease are left. Others are claimed again, which renews
      // the lease and reads what is stored.
      const fresh = lease && performance.now() - lease.since < OUTBOX_RENEW_SECONDS * 1000;
      const [row] = fresh
        ? [{ effect: lease.effects[index], attempts: 0 }]
        : await this.db('outbox')
            .where({ id, locked_by: owner })
            .whereNull('done_at')
            .update({ locked_until: this.db.raw(`now() + interval '${OUTBOX_LEASE_SECONDS} seconds'`) })
            .returning(['id', 'effect', 'attempts']);
      if (!row) break; // taken over by another holder after our lease ran out: it goes on from here
      const effect = row.effect as DialogEffect;
      const renew = setInterval(() => {
        void this.db('outbox')
          .where({ id, locked_by: owner })
          .update({ locked_until: this.db.raw(`now() + interval '${OUTBOX_LEASE_SECONDS} seconds'`) })
          .catch(() => undefined);
      }, OUTBOX_RENEW_SECONDS * 1000);
      let followUp: { event: DialogEvent; actor: string } | null;
      const sent: SentRecord[] = [];
      try {
        followUp = await this.runner.run(effect, dialog, sent);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const attempts = row.attempts + 1;
        this.log.error({ dialogId, effect: effect.type, attempts, err: message }, 'effect failed');
        await this.db('outbox')
          .where({ id })
          .update({
            attempts,
            last_error: message.slice(0, 500),
            done_at: attempts >= OUTBOX_MAX_ATTEMPTS ? this.db.fn.now() : null,
            locked_until: this.db.raw(`now() + (? * interval '1 second')`, [Math.min(300, 5 * 2 ** row.attempts)]),
          });
        if (attempts >= OUTBOX_MAX_ATTEMPTS) continue; // given up: the rest may go on
        break;
      } finally {
        clearInterval(renew);
      }
      const records = sent.map((m) => ({ ...m, dialogId, telegramChatId: dialog.chat_id }));
      if (!followUp) {
        await markEffectDone(this.db, id, row.attempts + 1, records);
        continue;
      }
      // The row is marked done with its follow-up event. No effect both sends to the user and
      // answers with an event; if one ever does, its messages are not recorded: say so.
      if (records.length > 0) this.log.error({ dialogId, effect: effect.type }, 'an effect with a follow-up event sent messages; they are not recorded');
      const result = await this.dispatch({ chatId, dialogId }, followUp.event, { actor: followUp.actor, outboxDoneId: id }, known);
      if (result.accepted) {
        last = result;
        // The follow-up's commit, unless its own effects stepped the dialog further (or it took the transactional path).
        known = result.outboxIds.length === 0 ? result.outboxLease?.snapshot : undefined;
      }
    }
    return last;
  }

  /**
   * Takes over a dialog's pending effects whose lease ran out (their holder crashed or gave up
   * for now) and carries them out, but only when nobody holds any of that dialog's effects, so
   * the order stays intact.
   */
  async resumeDialog(chatId: number, dialogId: number): Promise<void> {
    const owner = `${this.instanceId}/${randomUUID()}`;
    const claimed: Array<{ id: string }> = await this.db('outbox')
      .where({ dialog_id: dialogId })
      .whereNull('done_at')
      .whereNotExists(
        this.db('outbox as held')
          .where('held.dialog_id', dialogId)
          .whereNull('held.done_at')
          .andWhere('held.locked_until', '>=', this.db.fn.now()),
      )
      .update({ locked_until: this.db.raw(`now() + interval '${OUTBOX_LEASE_SECONDS} seconds'`), locked_by: owner })
      .returning('id');
    const ids = claimed.map((c) => Number(c.id)).sort((a, b) => a - b);
    if (ids.length) await this.runOutbox(chatId, dialogId, ids, owner);
  }

  /** Resumes every dialog with effects whose lease ran out (a crash, a failure waiting to be retried). Returns how many. */
  async resumeOutbox(limit = 50): Promise<number> {
    const rows: Array<{ dialog_id: string; chat_id: string }> = await this.db('outbox as o')
      .join('dialogs as d', 'd.id', 'o.dialog_id')
      .whereNull('o.done_at')
      .andWhere('o.locked_until', '<', this.db.fn.now())
      .distinct('o.dialog_id', 'd.chat_id')
      .limit(limit);
    for (const r of rows) await this.resumeDialog(Number(r.chat_id), Number(r.dialog_id));
    return rows.length;
  }

  /**
   * At start-up: leases this instance held before a crash or restart are void, so its unfinished
   * updates and effects are taken up at once instead of after the lease runs out.
   */
  async releaseOwnLeases(): Promise<{ updates: number; effects: number }> {
    const mine = `${this.instanceId.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
    const updates = await this.db('inbox_updates')
      .whereNull('processed_at')
      .andWhereRaw("locked_by LIKE ? ESCAPE '\\'", [mine])
      .update({ locked_until: null });
    const effects = await this.db('outbox')
      .whereNull('done_at')
      .andWhereRaw("locked_by LIKE ? ESCAPE '\\'", [mine])
      .update({ locked_until: this.db.raw("now() - interval '1 second'") });
    return { updates, effects };
  }

  /** The dialog row effects work from. */
  async loadDialogRow(dialogId: number): Promise<DialogRow> {
    const row = await this.db('dialogs').where({ id: dialogId }).first();
    if (!row) throw new Error(`dialog ${dialogId} does not exist`);
    return toDialogRow(row);
  }
}

/** What Redis answered for a chat. */
interface CachedSnapshot {
  record: SnapshotRecord | null;
  available: boolean;
}

/** A committed step, as Redis and the observers need it. */
interface CommittedStep {
  dialogId: number;
  revision: number;
  from: string | null;
  effects: DialogEffect[];
  snapshot: Snapshot;
}

/** The open dialog rebuilt from its row: state value plus context is the whole machine state. */
function fromRow(row: Record<string, unknown>): { dialogId: number; revision: number; snapshot: Snapshot } {
  const snapshot = dialogMachine.resolveState({ value: row.state_value as Snapshot['value'], context: row.context as DialogContext }) as Snapshot;
  return { dialogId: Number(row.id), revision: Number(row.revision), snapshot };
}

function resolveSnapshot(persisted: unknown): Snapshot {
  return dialogMachine.resolveState(persisted as Parameters<typeof dialogMachine.resolveState>[0]) as Snapshot;
}

function storedEffect(effect: DialogEffect): StoredEffect {
  return { type: effect.type, params: effect.params ?? {} };
}

/**
 * What a step writes, for {@link commitStep}: the dialog row from the snapshot `next`, the
 * transitions, the net change of each timer (the last effect on it wins) and the outbox of the
 * effects that leave the step.
 */
function stepCommit(
  dialog: DialogWrite,
  next: Snapshot,
  revision: number,
  transitions: StepCommit['transitions'],
  effects: DialogEffect[],
  outboxOwner: string,
  parts: Pick<StepCommit, 'message' | 'inboxUpdateId' | 'outboxDoneId'>,
): StepCommit {
  const timers = new Map<string, number | null>();
  for (const effect of effects) {
    if (effect.type === 'scheduleTimer') timers.set(effect.params.name, effect.params.delayMs);
    else if (effect.type === 'cancelTimer') timers.set(effect.params.name, null);
  }
  const ctx = next.context;
  return {
    dialog,
    state: topState(next),
    stateValue: next.value,
    context: ctx,
    revision,
    machineVersion: DIALOG_MACHINE_VERSION,
    handoffReason: ctx.handoff?.reason ?? null,
    handoffLayer: ctx.handoff?.layer ?? null,
    closed: next.status === 'done',
    transitions,
    ...parts,
    timers: [...timers].map(([name, delayMs]) => ({ name, delayMs })),
    outbox: { owner: outboxOwner, leaseSeconds: OUTBOX_LEASE_SECONDS, effects: effects.filter((e) => !IN_TRANSACTION_EFFECTS.has(e.type)).map(storedEffect) },
  };
}

/** The `dialog_transitions` row of a step from `from` to `next`: a handoff's reason and layer, a closing's reason. */
function transitionRow(from: string, next: Snapshot, event: DialogEvent, actor: string): StepCommit['transitions'][number] {
  const to = statePath(next);
  const handoff = next.context.handoff;
  const intoHandoff = topState(next) === 'handoffRequested' && !from.startsWith('handoffRequested');
  return {
    from,
    to,
    event: event.type,
    reason: intoHandoff ? handoff?.reason ?? null : to === 'closed' ? next.context.closeReason ?? null : null,
    layer: intoHandoff ? handoff?.layer ?? null : null,
    actor,
  };
}

function toDialogRow(row: Record<string, unknown>): DialogRow {
  return {
    id: Number(row.id),
    user_id: Number(row.user_id),
    chat_id: Number(row.chat_id),
    state: row.state as DialogStateName,
    context: row.context as DialogContext,
    revision: Number(row.revision),
    topic_thread_id: (row.topic_thread_id as number | null) ?? null,
    ticket_message_id: row.ticket_message_id === null || row.ticket_message_id === undefined ? null : Number(row.ticket_message_id),
    created_at: row.created_at as Date,
  };
}
