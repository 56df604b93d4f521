import type { Knex } from 'knex';
import type { Logger } from '../logger';
import type { TimerName } from '../machines/dialog.types';
import type { DialogEngine } from './dialog.engine';

/**
 * Delivers due dialog timers as `timer.*` events.
 *
 * Deadlines are rows in `dialog_timers` (absolute `due_at`), written in the same transaction as
 * the transition that set them, so a restart loses none. A timer row is deleted in the same
 * transaction that applies its event, under the dialog's lock, so two pollers (or a poller racing
 * a restart) deliver it once.
 */
export class TimerPoller {
  private handle: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  private constructor(
    private readonly db: Knex,
    private readonly engine: DialogEngine,
    private readonly log: Logger,
  ) {}

  static create(deps: { db: Knex; engine: DialogEngine; log: Logger }): TimerPoller {
    return new TimerPoller(deps.db, deps.engine, deps.log);
  }

  /** Delivers every timer due now (at most `limit`); returns how many were applied. */
  async deliverDue(limit = 100): Promise<number> {
    const due: Array<{ dialog_id: string; name: TimerName; chat_id: string }> = await this.db('dialog_timers as t')
      .join('dialogs as d', 'd.id', 't.dialog_id')
      .where('t.due_at', '<=', this.db.fn.now())
      .orderBy('t.due_at')
      .limit(limit)
      .select('t.dialog_id', 't.name', 'd.chat_id');
    let applied = 0;
    for (const timer of due) {
      try {
        const result = await this.engine.dispatch(
          { chatId: Number(timer.chat_id), dialogId: Number(timer.dialog_id) },
          { type: `timer.${timer.name}` },
          { actor: 'timer', timer: timer.name },
        );
        if (result.accepted) applied += 1;
      } catch (error) {
        this.log.error({ dialogId: Number(timer.dialog_id), timer: timer.name, err: error instanceof Error ? error.message : String(error) }, 'timer delivery failed');
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
