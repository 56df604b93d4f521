import { randomUUID } from 'node:crypto';
import { TelegramApiError } from '../adapters/telegram/telegram.errors';
import type { Logger } from '../logger';
import type { DialogRecord, DialogStore } from '../store/dialog.store';
import { OUTBOX_LEASE_SECONDS, type OutboxRow, type OutboxStore } from '../store/outbox.store';
import { backoff, retryWhileAway } from './backoff';
import type { DialogEngine, StepResult } from './dialog.engine';
import type { Effect, EffectType } from './effect.types';
import type { EffectHandler, EffectHandlers, EffectOutcome } from './effects/effect.handlers';

/** Effects whose refusal with 403 means the user blocked the bot (the dialog then closes). */
const USER_SIDE = new Set<EffectType>(['notifyUser', 'askConfirmation', 'sendLlmReply', 'relayToUser', 'relayAlbumToUser', 'sendSupportText']);

/** How long a finished effect's record (its "done", its follow-up step) is retried in this process while PostgreSQL is away. */
const FINISH_RETRY_MS = 120_000;

/** An answer is retried this long after its first failure (Telegram keeps undelivered updates as long). */
const RETRY_FOR_MS = 24 * 3600_000;

/** Observes what became of effects (metrics). */
export interface OutboxObserver {
  effectFailed?(type: string, outcome: 'retry' | 'given_up'): void;
}

/** A row to run, with what is known of it already. */
interface Job {
  row: OutboxRow;
  owner: string;
  dialog?: DialogRecord;
}

/**
 * Carries out the outbox, apart from the inbox: a step queues its effects and its worker is free
 * at once. Two pools: `ordered` effects (what a dialog sends, one at a time per dialog, in the
 * order the machine decided) and `parallel` ones (the LLM, bounded by `LLM_CONCURRENCY`).
 *
 * A result an effect brings back (`llm.reply`, `ticket.posted`) is applied as a step of its own
 * (the store's revision guard serialises it with the dialog's other steps) and marks the effect
 * done in that step's statement; its new effects are started here, not recursively. A failure
 * leaves the row claimable again after a backoff (capped at a minute, for a day); a crash, after
 * its 15-second lease. Only a refusal that retrying cannot change gives an effect up at once.
 */
export class OutboxRunner {
  private readonly running = new Map<number, string>(); // row id → lease owner
  private readonly busy = { ordered: 0, parallel: 0 };
  private readonly tasks = new Set<Promise<void>>();
  private readonly owner: string;
  private pumping = false;
  private pumpAgain = false;
  private stopped = true;
  private poller: NodeJS.Timeout | null = null;
  private renewer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly deps: {
      outbox: OutboxStore;
      store: DialogStore;
      engine: DialogEngine;
      handlers: EffectHandlers;
      log: Logger;
      instanceId: string;
      /** The operators' chat, where the copies an effect made (its links) live. */
      operatorChatId: number;
      /** Ordered effects at once (sends to Telegram, each a few ms). */
      sendConcurrency: number;
      /** Parallel effects at once: LLM calls, each seconds long. */
      llmConcurrency: number;
      pollMs: number;
      observer?: OutboxObserver;
    },
  ) {
    this.owner = `${deps.instanceId}/outbox-${randomUUID().slice(0, 8)}`;
  }

  static create(deps: OutboxRunner['deps']): OutboxRunner {
    return new OutboxRunner(deps);
  }

  start(): void {
    this.stopped = false;
    this.poller = setInterval(() => this.poke(), this.deps.pollMs);
    this.renewer = setInterval(() => void this.renewLeases(), (OUTBOX_LEASE_SECONDS * 1000) / 3);
    this.poke();
  }

  /** Stops claiming and waits (at most `graceMs`) for the effects in hand. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    if (this.renewer) clearInterval(this.renewer);
    // Work in hand finishes, with what it leads to (an LLM answer's reply), within the grace period.
    const deadline = Date.now() + graceMs;
    while (this.tasks.size > 0 && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all([...this.tasks]), new Promise((r) => (timer = setTimeout(r, deadline - Date.now())))]);
      clearTimeout(timer);
    }
  }

  /** Effects running now (for tests and the stop). */
  get active(): number {
    return this.tasks.size;
  }

  /** There may be work to claim (a step queued some behind others, or a retry is due). */
  poke(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    setImmediate(() => void this.pump());
  }

  /**
   * Starts what a step in this process queued and leased to it, and pokes for the rest. The
   * promise settles (never rejects) once the step's ordered effects are finished: the admin API
   * answers after the user has been written to; nothing else waits for it.
   */
  accept(result: StepResult): Promise<void> {
    if (result.queuedBehind) this.poke();
    const chain: Job[] = [];
    for (const s of result.started) {
      const job: Job = { row: { id: s.id, dialogId: s.dialogId, kind: s.kind, effect: s.effect, attempts: 0, firstFailedAt: null }, owner: result.owner, dialog: result.dialog };
      this.running.set(s.id, result.owner);
      if (s.kind === 'parallel') this.spawn('parallel', () => this.execute(job).then(() => undefined));
      else chain.push(job);
    }
    // One step's ordered effects run in their order, one after the other.
    return chain.length ? this.spawn('ordered', () => this.runChain(chain)) : Promise.resolve();
  }

  private async runChain(chain: Job[]): Promise<void> {
    for (const [i, job] of chain.entries()) {
      if (!(await this.execute(job))) {
        const rest = chain.slice(i + 1).map((j) => j.row.id);
        for (const id of rest) this.running.delete(id);
        await this.deps.outbox.release(job.owner, rest).catch(() => undefined); // else their lease runs out
        break;
      }
    }
    this.poke(); // the dialog's next effects, queued behind these
  }

  private spawn(pool: 'ordered' | 'parallel', work: () => Promise<void>): Promise<void> {
    this.busy[pool] += 1;
    const task = work()
      .catch((error: unknown) => this.deps.log.error({ err: error instanceof Error ? error.message : String(error) }, 'outbox task failed'))
      .finally(() => {
        this.busy[pool] -= 1;
        this.tasks.delete(task);
      });
    this.tasks.add(task);
    return task;
  }

  private async pump(): Promise<void> {
    try {
      do {
        this.pumpAgain = false;
        for (const kind of ['ordered', 'parallel'] as const) {
          const free = (kind === 'ordered' ? this.deps.sendConcurrency : this.deps.llmConcurrency) - this.busy[kind];
          if (free <= 0 || this.stopped) continue;
          const rows = await this.deps.outbox.claim(this.owner, kind, Math.min(free, 50), [...this.running.keys()]);
          for (const row of rows) {
            this.running.set(row.id, this.owner);
            this.spawn(kind, async () => {
              await this.execute({ row, owner: this.owner });
              if (kind === 'ordered') this.poke();
            });
          }
          if (rows.length === Math.min(free, 50)) this.pumpAgain = true;
        }
      } while (this.pumpAgain && !this.stopped);
    } catch (error) {
      this.deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'outbox claim failed; retrying on the next poll');
    } finally {
      this.pumping = false;
    }
  }

  /** Runs one row; true when it is finished (done, or given up). */
  private async execute(job: Job): Promise<boolean> {
    const { row } = job;
    const effect = row.effect as Effect;
    try {
      const dialog = job.dialog ?? (row.dialogId === null ? null : await this.deps.store.dialog(row.dialogId));
      let outcome: EffectOutcome;
      try {
        const handler = this.deps.handlers[effect.type] as EffectHandler<typeof effect.type>;
        outcome = await handler(effect as never, dialog);
      } catch (error) {
        if (!(error instanceof TelegramApiError && error.kind === 'blocked' && USER_SIDE.has(effect.type) && dialog)) throw error;
        this.deps.log.info({ dialogId: dialog.id }, 'the user blocked the bot; closing the dialog');
        outcome = { followUp: { event: { type: 'user.blocked' }, actor: 'system' } };
      }
      await this.finishRetrying(job, dialog, outcome);
      return true;
    } catch (error) {
      return this.failed(job, error);
    } finally {
      this.running.delete(row.id);
    }
  }

  /**
   * {@link finish}, tried again while PostgreSQL is away (up to {@link FINISH_RETRY_MS}): the
   * effect is done (a message sent, an answer written) and only its record is missing, so it is
   * kept here rather than done again once the lease runs out. Past that, the error goes on and
   * the row is redone after its lease.
   */
  private async finishRetrying(job: Job, dialog: DialogRecord | null, outcome: EffectOutcome): Promise<void> {
    await retryWhileAway(() => this.finish(job, dialog, outcome), {
      forMs: FINISH_RETRY_MS,
      stopped: () => this.stopped,
      onFirstFailure: (error) => this.deps.log.warn({ dialogId: job.row.dialogId, err: error instanceof Error ? error.message : String(error) }, 'could not record an effect\'s result; retrying'),
    });
  }

  /** Records what the effect did: with its follow-up step, or with its own "done". */
  private async finish(job: Job, dialog: DialogRecord | null, outcome: EffectOutcome): Promise<void> {
    const links = (outcome.links ?? []).map((messageId) => ({ chatId: this.deps.operatorChatId, messageId }));
    if (outcome.followUp && dialog) {
      const result = await this.deps.engine.step(
        { chatId: dialog.chatId, dialogId: dialog.id },
        outcome.followUp.event,
        {
          actor: outcome.followUp.actor,
          outboxDoneId: job.row.id,
          links,
          pairs: outcome.pairs,
          record: outcome.followUp.record && { ...outcome.followUp.record, telegramChatId: dialog.chatId },
        },
      );
      if (result.accepted) {
        void this.accept(result);
        return;
      }
    }
    const sent = (outcome.sent ?? []).map((m) => ({ ...m, dialogId: dialog?.id ?? 0, telegramChatId: dialog?.chatId ?? 0 }));
    await this.deps.outbox.done(
      job.row.id,
      dialog ? sent : [],
      dialog ? links.map((l) => ({ ...l, dialogId: dialog.id })) : [],
      dialog && outcome.pairs ? { dialogId: dialog.id, pairs: outcome.pairs } : undefined,
    );
  }

  /** A failed run: retried after a backoff, or given up (recorded and counted). False: the dialog's later effects wait. */
  private async failed(job: Job, error: unknown): Promise<boolean> {
    const { row } = job;
    const message = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof TelegramApiError && !['server', 'network', 'rate_limited'].includes(error.kind);
    const tooLong = row.firstFailedAt !== null && Date.now() - row.firstFailedAt.getTime() > RETRY_FOR_MS;
    const giveUp = permanent || tooLong;
    const retryAfterMs = error instanceof TelegramApiError && error.retryAfter ? error.retryAfter * 1000 : backoff(row.attempts + 1);
    this.deps.log[giveUp ? 'error' : 'warn'](
      { dialogId: row.dialogId, effect: row.effect.type, attempts: row.attempts + 1, err: message, outcome: giveUp ? 'given_up' : 'retry' },
      giveUp ? 'effect given up' : 'effect failed; retrying later',
    );
    this.deps.observer?.effectFailed?.(row.effect.type, giveUp ? 'given_up' : 'retry');
    // An answer the user never got is told to the operators.
    const notice =
      USER_SIDE.has(row.effect.type as EffectType) && row.dialogId !== null
        ? { type: 'replyToOperator', params: { key: 'deliveryFailed', place: {}, n: row.dialogId } }
        : undefined;
    // While PostgreSQL is away the failure cannot be recorded: try again for a minute, then free
    // the row at once (the outage was not the effect's fault); past that its lease runs out.
    await retryWhileAway(
      (attempt) => (giveUp ? this.deps.outbox.giveUp(row.id, message, notice) : this.deps.outbox.retryLater(row.id, message, attempt > 1 ? 0 : retryAfterMs)),
      {
        forMs: 60_000,
        stopped: () => this.stopped,
        onFirstFailure: (writeError) => this.deps.log.warn({ err: writeError instanceof Error ? writeError.message : String(writeError) }, 'could not record an effect\'s failure; retrying'),
      },
    ).catch(() => undefined);
    return giveUp;
  }

  private async renewLeases(): Promise<void> {
    const byOwner = new Map<string, number[]>();
    for (const [id, owner] of this.running) byOwner.set(owner, [...(byOwner.get(owner) ?? []), id]);
    for (const [owner, ids] of byOwner) await this.deps.outbox.renew(owner, ids).catch(() => undefined);
  }
}
