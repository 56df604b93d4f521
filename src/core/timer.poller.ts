import type { Logger } from '../logger';
import { systemClock, type Clock } from './clock';
import type { TimerStore } from '../store/timer.store';
import type { DialogEngine, StepResult } from './dialog.engine';

/**
 * Delivers due dialog timers as `timer.*` events.
 *
 * Deadlines are rows in `dialog_timers` (absolute `due_at`), written in the same transaction as
 * the transition that set them, so a restart loses none. A timer is consumed by the statement that
 * commits its event, and that statement is written only while the timer is still due, so two
 * pollers (or a poller racing a restart) deliver it once.
 */
export class TimerPoller {
  private handle: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  private constructor(
    private readonly timers: TimerStore,
    private readonly engine: DialogEngine,
    private readonly log: Logger,
    private readonly onStep: (result: StepResult) => void,
    private readonly clock: Clock,
  ) {}

  /**
   * @param onStep gets every committed step (the outbox runner starts its effects).
   * @param clock says what "due" means (default the real one; the engine's steps use the same).
   */
  static create(deps: { timers: TimerStore; engine: DialogEngine; log: Logger; onStep: (result: StepResult) => void; clock?: Clock }): TimerPoller {
    return new TimerPoller(deps.timers, deps.engine, deps.log, deps.onStep, deps.clock ?? systemClock);
  }

  /** Delivers every timer due now by the clock (at most `limit`); returns how many were applied. */
  async deliverDue(limit = 100): Promise<number> {
    const due = await this.timers.due(limit, this.clock.now());
    let applied = 0;
    for (const timer of due) {
      try {
        const result = await this.engine.step({ chatId: timer.chatId, dialogId: timer.dialogId }, { type: `timer.${timer.name}` }, { actor: 'timer', timer: timer.name });
        this.onStep(result);
        if (result.accepted) applied += 1;
      } catch (error) {
        this.log.error({ dialogId: timer.dialogId, timer: timer.name, err: error instanceof Error ? error.message : String(error) }, 'timer delivery failed');
      }
    }
    return applied;
  }

  /** Polls every `intervalMs` (default 1 s). */
  start(intervalMs = 1000): void {
    const tick = () => {
      this.running = this.deliverDue()
        .catch((error: unknown) => this.log.error({ err: String(error) }, 'timer poll failed'))
        .finally(() => {
          if (this.handle) this.handle = setTimeout(tick, intervalMs);
        });
    };
    this.handle = setTimeout(tick, intervalMs);
  }

  /** Stops polling and waits for the delivery in hand. */
  async stop(): Promise<void> {
    if (this.handle) clearTimeout(this.handle);
    this.handle = null;
    await this.running;
  }
}
