import type { Knex } from 'knex';
import type { TimerName } from '../machines/dialog.types';
import { NOW } from './step.commit';

/** A dialog timer that is due. */
export interface DueTimer {
  dialogId: number;
  chatId: number;
  name: TimerName;
}

/**
 * Reads due dialog timers. Timers are written (set, moved, cancelled, consumed) only by a step's
 * own statement ({@link commitStep}), so a restart neither loses nor repeats one.
 */
export class TimerStore {
  private constructor(private readonly db: Knex) {}

  static create(db: Knex): TimerStore {
    return new TimerStore(db);
  }

  /** Timers due at `now` (ms, the service's clock; the database's when unset), oldest first. */
  async due(limit: number, now?: number): Promise<DueTimer[]> {
    const rows: Array<{ dialog_id: string; name: TimerName; chat_id: string }> = await this.db('dialog_timers as t')
      .join('dialogs as d', 'd.id', 't.dialog_id')
      .whereRaw(`t.due_at <= ${NOW}`, [now ?? null])
      .orderBy('t.due_at')
      .limit(limit)
      .select('t.dialog_id', 't.name', 'd.chat_id');
    return rows.map((r) => ({ dialogId: Number(r.dialog_id), chatId: Number(r.chat_id), name: r.name }));
  }
}
