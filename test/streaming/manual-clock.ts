/**
 * A clock for the draft streamer's tests: time moves only when the test says so, and timers run
 * in order of their due time, with pending promise callbacks (a port's answers) run in between.
 */
import type { Clock } from '../../src/streaming/draft.streamer';

/** Lets every pending promise callback run (setImmediate comes after the microtask queue). */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A {@link Clock} moved by {@link ManualClock.advance}; starts at 0. */
export class ManualClock implements Clock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId;
    this.nextId += 1;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.timers.delete(handle);
  }

  /** Timers still set. */
  pending(): number {
    return this.timers.size;
  }

  /** Moves time on by `ms`, running each timer that falls due at its due time. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.timers) {
        if (entry[1].at <= end && (next === undefined || entry[1].at < next[1].at)) next = entry;
      }
      if (next === undefined) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
    }
    this.time = end;
    await settle();
  }
}
