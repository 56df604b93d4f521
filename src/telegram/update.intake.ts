import { InboxRowRefused, type Inbox } from '../store/inbox.store';
import { laneOf } from './update.types';
import type { Logger } from '../logger';
import { checkUpdate, type UpdateKind } from './update.schema';

/**
 * What became of one incoming update. `not_an_update`: the body has no usable update_id, so it is
 * not from Telegram and there is nothing to key it by: counted, not stored (the webhook answers 400).
 */
export type IntakeOutcome = 'stored' | 'duplicate' | 'ignored' | 'rejected' | 'not_an_update';

/** Observes incoming updates (metrics): every update once, with its outcome. */
export interface IntakeObserver {
  received(kind: string, outcome: 'stored' | 'duplicate' | 'ignored'): void;
  /** An update turned away: it never reaches a worker. `reason` is a small fixed set. */
  rejected(kind: UpdateKind, reason: string): void;
}

/**
 * The one way an update from Telegram gets in, for the webhook and for polling alike: checked by
 * {@link checkUpdate}, then stored in the inbox under its lane (or ignored: a kind the service
 * does not handle), or, when it does not fit or PostgreSQL refuses its row, kept once in
 * `rejected_updates` and counted. Either way Telegram is told "done" and stops redelivering it.
 */
export class UpdateIntake {
  private constructor(
    private readonly deps: {
      inbox: Inbox;
      operatorChatId: number;
      /** Called after an update was newly stored (wakes a worker). */
      onStored: () => void;
      log: Logger;
      observer?: IntakeObserver;
    },
  ) {}

  static create(deps: UpdateIntake['deps']): UpdateIntake {
    return new UpdateIntake(deps);
  }

  /**
   * Takes one parsed JSON body. Resolves with the outcome; rejects only when the database cannot
   * store anything (then the webhook answers 500 and Telegram tries again later, which is right).
   */
  async admit(body: unknown): Promise<IntakeOutcome> {
    const parsed = checkUpdate(body);
    if (!parsed.ok && parsed.reason === 'not_an_update') {
      this.deps.observer?.rejected(parsed.kind, parsed.reason);
      return 'not_an_update';
    }
    if (!parsed.ok) {
      await this.setAside({ updateId: parsed.updateId, kind: parsed.kind, reason: parsed.reason, detail: parsed.detail, payload: parsed.payload });
      return 'rejected';
    }
    const { update, kind } = parsed;
    const lane = laneOf(update, this.deps.operatorChatId);
    if (lane === null) {
      this.deps.observer?.received(kind, 'ignored');
      return 'ignored';
    }
    let stored: boolean;
    try {
      stored = await this.deps.inbox.store(update, lane);
    } catch (error) {
      if (!(error instanceof InboxRowRefused)) throw error;
      // Keep what can be kept: the row itself was refused, so not its payload.
      await this.setAside({ updateId: update.update_id, kind, reason: 'unstorable', detail: error.message, payload: null });
      return 'rejected';
    }
    this.deps.observer?.received(kind, stored ? 'stored' : 'duplicate');
    if (stored) this.deps.onStored();
    return stored ? 'stored' : 'duplicate';
  }

  private async setAside(entry: Parameters<Inbox['reject']>[0] & { kind: UpdateKind }): Promise<void> {
    const isNew = await this.deps.inbox.reject(entry);
    // A redelivery of an update already set aside is counted once.
    if (isNew) {
      this.deps.observer?.rejected(entry.kind, entry.reason);
      this.deps.log.warn({ updateId: entry.updateId, kind: entry.kind, reason: entry.reason, detail: entry.detail }, 'update rejected: acknowledged and set aside');
    }
  }
}
