/**
 * The service's clock: where every "now" that decides something comes from (the time a step is
 * taken, timers' deadlines, working hours). Injected through the service's options so that tests
 * set the time of day (a Friday 20:00 in Moscow) instead of depending on the machine's own.
 *
 * @example startService(config, { clock: { now: () => Date.parse('2026-12-04T17:00:00Z') } })
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The real clock (`Date.now`), the default everywhere. */
export const systemClock: Clock = { now: () => Date.now() };
