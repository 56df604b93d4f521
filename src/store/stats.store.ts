import type { Knex } from 'knex';

/** How many ratings of each score, `"1"` to `"5"`. */
export type ScoreDistribution = Record<'1' | '2' | '3' | '4' | '5', number>;

/** Ratings of one operator (or of everyone) over the range. */
export interface RatingSummary {
  count: number;
  /** The mean score, null without ratings. */
  average: number | null;
  distribution: ScoreDistribution;
}

/** One operator's ratings. `operatorId` is the Telegram id (null: a dialog closed with nobody named). */
export interface OperatorRatings extends RatingSummary {
  operatorId: number | null;
  operatorName: string | null;
}

/** A duration's median over the events counted (seconds; null when there were none). */
export interface MedianFigure {
  count: number;
  medianSeconds: number | null;
}

/** The support figures of a date range, as `GET /api/stats` returns them. */
export interface SupportStats {
  /** Dialogs handed to the operators (entries into `handoffRequested`). */
  handoffs: number;
  /** From the handoff (or a `/release` back to the queue) to the `/take`, for the takes in the range. */
  waitBeforeTake: MedianFigure;
  /** From the `/take` to the operator's `/close`, for the closes in the range. */
  handling: MedianFigure;
  ratings: RatingSummary & { byOperator: OperatorRatings[] };
}

/** A transition that puts a dialog in the operators' queue: a handoff, or a `/release` back to it. */
const INTO_QUEUE = `((q.to_state LIKE 'handoffRequested%' AND (q.from_state IS NULL OR q.from_state NOT LIKE 'handoffRequested%'))
  OR (q.to_state = 'awaitingOperator' AND q.from_state = 'operatorActive'))`;
/** An entry into `operatorActive` (a take). */
const TAKE = (t: string) => `(${t}.to_state = 'operatorActive' AND ${t}.from_state IS DISTINCT FROM 'operatorActive')`;

/**
 * The support figures behind `GET /api/stats`, read from the transitions every step records and
 * from the ratings. Each figure counts the events that happened in the range `[from, to)`:
 * handoffs by their time, waits by the take that ended them, handling times by the close, ratings
 * by the press. Medians are PostgreSQL's `percentile_cont(0.5)` (the mean of the two middle values
 * for an even count).
 */
export class StatsStore {
  private constructor(private readonly db: Knex) {}

  static create(db: Knex): StatsStore {
    return new StatsStore(db);
  }

  /** The figures for `[from, to)`. */
  async stats(from: Date, to: Date): Promise<SupportStats> {
    const range = [from.toISOString(), to.toISOString()];
    const [flow, ratings] = await Promise.all([
      this.db.raw(
        `WITH waits AS (
           SELECT extract(epoch FROM t.created_at - q.created_at)::float8 AS s FROM dialog_transitions t
           CROSS JOIN LATERAL (SELECT q.created_at FROM dialog_transitions q WHERE q.dialog_id = t.dialog_id AND q.id < t.id AND ${INTO_QUEUE}
             ORDER BY q.id DESC LIMIT 1) q
           WHERE ${TAKE('t')} AND t.created_at >= ?::timestamptz AND t.created_at < ?::timestamptz),
         handling AS (
           SELECT extract(epoch FROM t.created_at - k.created_at)::float8 AS s FROM dialog_transitions t
           CROSS JOIN LATERAL (SELECT k.created_at FROM dialog_transitions k WHERE k.dialog_id = t.dialog_id AND k.id < t.id AND ${TAKE('k')}
             ORDER BY k.id DESC LIMIT 1) k
           WHERE t.to_state = 'closed' AND t.event = 'operator.close' AND t.created_at >= ?::timestamptz AND t.created_at < ?::timestamptz)
         SELECT
           (SELECT count(*) FROM dialog_transitions q WHERE ${INTO_QUEUE} AND q.to_state LIKE 'handoffRequested%'
              AND q.created_at >= ?::timestamptz AND q.created_at < ?::timestamptz)::int AS handoffs,
           (SELECT count(*) FROM waits)::int AS takes,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s) FROM waits) AS median_wait,
           (SELECT count(*) FROM handling)::int AS closes,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY s) FROM handling) AS median_handling`,
        [...range, ...range, ...range],
      ),
      this.db.raw(
        `SELECT operator_telegram_id, max(operator_name) AS operator_name, count(*)::int AS n, sum(score)::int AS total,
           ${[1, 2, 3, 4, 5].map((s) => `count(*) FILTER (WHERE score = ${s})::int AS s${s}`).join(', ')}
         FROM ratings WHERE score IS NOT NULL AND rated_at >= ?::timestamptz AND rated_at < ?::timestamptz
         GROUP BY operator_telegram_id ORDER BY n DESC, operator_telegram_id`,
        range,
      ),
    ]);
    const f = flow.rows[0] as Record<string, number | null>;
    const byOperator = (ratings.rows as Array<Record<string, unknown>>).map((r) => ({
      operatorId: r.operator_telegram_id === null ? null : Number(r.operator_telegram_id),
      operatorName: (r.operator_name as string | null) ?? null,
      ...summary(Number(r.n), Number(r.total), [r.s1, r.s2, r.s3, r.s4, r.s5].map(Number)),
    }));
    const all = byOperator.reduce((acc, o) => acc.map((n, i) => n + Object.values(o.distribution)[i]!), [0, 0, 0, 0, 0]);
    const count = byOperator.reduce((n, o) => n + o.count, 0);
    const total = all.reduce((sum, n, i) => sum + n * (i + 1), 0);
    return {
      handoffs: Number(f.handoffs),
      waitBeforeTake: { count: Number(f.takes), medianSeconds: f.median_wait === null ? null : Number(f.median_wait) },
      handling: { count: Number(f.closes), medianSeconds: f.median_handling === null ? null : Number(f.median_handling) },
      ratings: { ...summary(count, total, all), byOperator },
    };
  }
}

function summary(count: number, total: number, byScore: number[]): RatingSummary {
  const [s1, s2, s3, s4, s5] = byScore as [number, number, number, number, number];
  return { count, average: count ? Math.round((total / count) * 100) / 100 : null, distribution: { '1': s1, '2': s2, '3': s3, '4': s4, '5': s5 } };
}
