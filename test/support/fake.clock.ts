import type { Clock } from '../../src/core/clock';

/**
 * The service's clock for tests: it shows the time it was set to and moves only when the test
 * says, so a story can happen on a Friday at 20:00 in Moscow whatever the machine's own time is.
 * Timers (durable deadlines) fall due when the clock is moved past them.
 *
 * @example const clock = new FakeClock('2026-12-04T17:00:00Z'); startHarness(env, { clock }); clock.set('2026-12-07T06:00:00Z');
 */
export class FakeClock implements Clock {
  private time: number;

  constructor(at: string | number) {
    this.time = typeof at === 'number' ? at : Date.parse(at);
  }

  now(): number {
    return this.time;
  }

  /** Moves the clock to a moment (an ISO string or ms). */
  set(at: string | number): void {
    this.time = typeof at === 'number' ? at : Date.parse(at);
  }

  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.time += ms;
  }
}
