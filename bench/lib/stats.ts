/** A figure with its unit, as bench/results.json stores every number. */
export interface Figure {
  value: number | null;
  unit: string;
}

/** `{ value, unit }`, rounded to `digits` decimals (null stays null: not measured). */
export function fig(value: number | null, unit: string, digits = 2): Figure {
  if (value === null || !Number.isFinite(value)) return { value: value === null ? null : value, unit };
  const k = 10 ** digits;
  return { value: Math.round(value * k) / k, unit };
}

/**
 * The p-th percentile (0–100) of `values` by the nearest-rank method; Infinity entries (answers
 * that never came) count as larger than any other. Null for an empty list.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/** p50, p90, p99 and max of a list of milliseconds. */
export function latencySummary(values: readonly number[]): { p50: Figure; p90: Figure; p99: Figure; max: Figure; samples: number } {
  return {
    p50: fig(percentile(values, 50), 'ms'),
    p90: fig(percentile(values, 90), 'ms'),
    p99: fig(percentile(values, 99), 'ms'),
    max: fig(percentile(values, 100), 'ms'),
    samples: values.length,
  };
}

/** Milliseconds since the epoch with sub-millisecond resolution (same clock across processes). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
