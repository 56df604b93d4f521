import type { Redis } from 'ioredis';

/** What Redis keeps for a user chat: the current dialog's persisted machine snapshot. */
export interface SnapshotRecord {
  dialogId: number;
  machineVersion: number;
  /** Increases by one with every committed transition; equals `dialogs.revision` in PostgreSQL. */
  revision: number;
  snapshot: unknown;
}

/** Two writers raced for the same dialog: the second must reload and try again. */
export class RevisionConflictError extends Error {
  readonly code = 'REVISION_CONFLICT';
  constructor(readonly chatId: number, readonly expected: number | null) {
    super(`dialog snapshot of chat ${chatId} changed under us (expected revision ${expected ?? 'none'})`);
    this.name = 'RevisionConflictError';
  }
}

// KEYS[1] = key; ARGV = expected revision ('' = key must be absent), new revision, JSON, TTL seconds.
const COMPARE_AND_SET = `
local current = redis.call('HGET', KEYS[1], 'rev')
if (ARGV[1] == '' and current) or (ARGV[1] ~= '' and current ~= ARGV[1]) then
  return 0
end
redis.call('HSET', KEYS[1], 'rev', ARGV[2], 'data', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
`;

/**
 * The short-term store: "who answers this chat now", as the dialog machine's persisted snapshot.
 *
 * Writes are compare-and-set on the revision, so two writers can never silently overwrite each
 * other. Keys expire after `ttlSeconds` of no change (default 7 days): PostgreSQL keeps the
 * long-term record, and a missing snapshot is rebuilt from it.
 */
export class RedisSnapshotStore {
  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  /** @param prefix key prefix, default `dialog:` */
  static create(redis: Redis, options: { prefix?: string; ttlSeconds?: number } = {}): RedisSnapshotStore {
    return new RedisSnapshotStore(redis, options.prefix ?? 'dialog:', options.ttlSeconds ?? 7 * 24 * 3600);
  }

  private key(chatId: number): string {
    return `${this.prefix}${chatId}`;
  }

  /** The chat's snapshot, or null when Redis has none (never written, expired or lost). */
  async load(chatId: number): Promise<SnapshotRecord | null> {
    const data = await this.redis.hget(this.key(chatId), 'data');
    return data === null ? null : (JSON.parse(data) as SnapshotRecord);
  }

  /**
   * Stores `record` if Redis still holds revision `expected` (null: no snapshot at all).
   * @throws RevisionConflictError when another writer got there first.
   */
  async save(chatId: number, record: SnapshotRecord, expected: number | null): Promise<void> {
    const ok = await this.redis.eval(
      COMPARE_AND_SET,
      1,
      this.key(chatId),
      expected === null ? '' : String(expected),
      String(record.revision),
      JSON.stringify(record),
      String(this.ttlSeconds),
    );
    if (ok !== 1) throw new RevisionConflictError(chatId, expected);
  }

  /** Forgets the chat's snapshot; the next load rebuilds it from PostgreSQL. */
  async forget(chatId: number): Promise<void> {
    await this.redis.del(this.key(chatId));
  }
}
