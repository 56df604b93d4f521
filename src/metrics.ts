import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StepObserver } from './core/dialog.engine';
import type { LlmObserver } from './core/effects/llm.effects';
import type { RatingObserver } from './core/effects/rating.effects';
import type { OutboxObserver } from './core/outbox.runner';
import type { IntakeObserver } from './telegram/update.intake';

/** Distinct operator labels of the ratings' histogram; later operators are counted as `other`. */
export const RATED_OPERATORS_MAX = 100;

/** What the gauges read at scrape time (from the stores). */
export interface MetricsSources {
  openDialogsByState(): Promise<Array<{ state: string; n: number }>>;
  inboxPending(): Promise<number>;
}

/**
 * Prometheus metrics (prom-client), one registry per service instance so tests can run several.
 * Labels are bounded: update kinds, states, reasons and layers are small fixed sets.
 */
export class Metrics implements StepObserver, LlmObserver, OutboxObserver, IntakeObserver, RatingObserver {
  readonly registry = new Registry();

  private readonly updates = new Counter({
    name: 'bot_updates_received_total',
    help: 'Telegram updates received, by kind and outcome (stored, duplicate, ignored)',
    labelNames: ['kind', 'outcome'],
    registers: [this.registry],
  });
  private readonly rejectedUpdates = new Counter({
    name: 'bot_updates_rejected_total',
    help: 'Telegram updates acknowledged but set aside (never processed), by kind and reason (not_an_update, too_deep, invalid, unstorable)',
    labelNames: ['kind', 'reason'],
    registers: [this.registry],
  });
  readonly processing = new Histogram({
    name: 'bot_update_processing_seconds',
    help: 'Time from claiming an update to committing its step (its effects run apart, from the outbox)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly llmLatency = new Histogram({
    name: 'bot_llm_request_seconds',
    help: 'LLM request latency, by outcome (reply, transfer, error)',
    labelNames: ['outcome'],
    buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
    registers: [this.registry],
  });
  private readonly llmErrors = new Counter({
    name: 'bot_llm_errors_total',
    help: 'LLM requests that gave no answer',
    registers: [this.registry],
  });
  private readonly handoffs = new Counter({
    name: 'bot_handoffs_total',
    help: 'Dialogs moved to handoffRequested, by reason (llm.* and admin.* grouped) and detection layer',
    labelNames: ['reason', 'layer'],
    registers: [this.registry],
  });
  private readonly transitions = new Counter({
    name: 'bot_dialog_transitions_total',
    help: 'Dialog state changes, by target state',
    labelNames: ['to'],
    registers: [this.registry],
  });
  private readonly telegramErrors = new Counter({
    name: 'bot_telegram_api_errors_total',
    help: 'Failed Bot API calls, by method and error code (network for no answer)',
    labelNames: ['method', 'code'],
    registers: [this.registry],
  });

  private readonly effectFailures = new Counter({
    name: 'bot_effect_failures_total',
    help: 'Failed runs of outbox effects, by effect and outcome (retry, given_up)',
    labelNames: ['effect', 'outcome'],
    registers: [this.registry],
  });

  /**
   * Users' ratings (CSAT, 1–5) by the operator who had the dialog: the Telegram id, `none` when no
   * operator was named, `other` past {@link RATED_OPERATORS_MAX} distinct operators (the label set stays bounded).
   */
  private readonly ratings = new Histogram({
    name: 'bot_csat_rating',
    help: 'Ratings users gave after an operator closed their dialog (1-5), by operator Telegram id',
    labelNames: ['operator'],
    buckets: [1, 2, 3, 4, 5],
    registers: [this.registry],
  });
  private readonly ratedOperators = new Set<string>();

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'bot_dialogs',
      help: 'Open dialogs by state (read from PostgreSQL at scrape time)',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const rows = await sources.openDialogsByState();
        this.reset();
        for (const row of rows) this.set({ state: row.state }, row.n);
      },
    });
    new Gauge({
      name: 'bot_inbox_pending_updates',
      help: 'Updates stored and not yet processed',
      registers: [this.registry],
      async collect() {
        this.set(await sources.inboxPending());
      },
    });
  }

  received(kind: string, outcome: 'stored' | 'duplicate' | 'ignored'): void {
    this.updates.inc({ kind, outcome });
  }

  rejected(kind: string, reason: string): void {
    this.rejectedUpdates.inc({ kind, reason });
  }

  onStep(info: Parameters<StepObserver['onStep']>[0]): void {
    if (info.from === info.to) return;
    const to = info.to.split('.')[0] as string;
    this.transitions.inc({ to });
    const handoff = info.snapshot.context.handoff;
    if (to === 'handoffRequested' && !info.from?.startsWith('handoffRequested') && handoff) {
      // The model and the admin API name their own reasons: keep the label set bounded.
      const reason = handoff.layer === 'llm' || handoff.layer === 'admin' ? `${handoff.layer}.*` : handoff.reason;
      this.handoffs.inc({ reason, layer: handoff.layer });
    }
  }

  llmCall(seconds: number, outcome: 'reply' | 'transfer' | 'stopped' | 'error'): void {
    this.llmLatency.observe({ outcome }, seconds);
    if (outcome === 'error') this.llmErrors.inc();
  }

  effectFailed(effect: string, outcome: 'retry' | 'given_up'): void {
    this.effectFailures.inc({ effect, outcome });
  }

  rated(operatorId: number | null, score: number): void {
    let operator = operatorId === null ? 'none' : String(operatorId);
    if (operator !== 'none' && !this.ratedOperators.has(operator)) {
      if (this.ratedOperators.size >= RATED_OPERATORS_MAX) operator = 'other';
      else this.ratedOperators.add(operator);
    }
    this.ratings.observe({ operator }, score);
  }

  telegramError(method: string, code: number | 'network'): void {
    this.telegramErrors.inc({ method, code: String(code) });
  }
}
