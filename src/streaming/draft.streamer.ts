/**
 * Shows an answer as it is written: turns "text so far" updates into Telegram drafts at a pace
 * Telegram accepts, or keeps "typing…" on where drafts are not possible. One streamer per answer;
 * no SQL, no LLM, no knowledge of the dialog: it is given text and a port to Telegram.
 */
import type { DraftOptions, DraftOutcome } from '../adapters/telegram/draft.outcome';
import type { Clock as ServiceClock } from '../core/clock';
import { draftText } from './draft.text';

/** What the streamer needs of Telegram; `TelegramClient` is one. `sendDraft` never throws. */
export interface DraftPort {
  sendDraft(chatId: number, draftId: number, text: string, options: DraftOptions): Promise<DraftOutcome>;
  sendTyping(chatId: number): Promise<void>;
}

/**
 * Time and timers, injected so that tests step time instead of sleeping: the service's clock
 * (src/core/clock.ts) plus timers. The streamer paces drafts by the real clock even when the
 * service's is a test's fake one (a frozen clock would never let a draft go out).
 */
export interface Clock extends ServiceClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The pace of drafts and of the typing indicator; see {@link DRAFT_PACE} for the defaults and why. */
export interface DraftPace {
  /** Least time between two drafts to the chat (the first text after "Thinking…" is exempt). */
  intervalMs: number;
  /** After each 429 the interval doubles, up to this (or `intervalMs`, if that is longer). */
  maxIntervalMs: number;
  /** A draft not updated for this long is sent again, before Telegram's ~30 s preview lapses. */
  refreshMs: number;
  /** In typing mode: the first "typing…" this long after the start (a quick answer needs none). */
  typingAfterMs: number;
  /** "typing…" is renewed this often (it lasts about 5 s). */
  typingEveryMs: number;
}

/**
 * The default pace. `intervalMs` 1000: Telegram documents about one message per second per chat
 * (short bursts allowed) and says long texts hit limits sooner; drafts share that budget with the
 * final `sendMessage`, and bots streaming drafts every 300 ms have been seen to get 429 with
 * `retry_after` 3 on long answers. Drafts are animated between updates, so one a second still
 * reads as continuous writing. The "Thinking…" placeholder and the first text are sent as a burst
 * of two, so the first words show as soon as the model writes them. `refreshMs` 20 s keeps a
 * silent model's draft (or "Thinking…") from lapsing at 30 s. Typing: as the effect runner did,
 * after 1 s, every 4 s (it lasts 5 s).
 */
export const DRAFT_PACE: DraftPace = {
  intervalMs: 1_000,
  maxIntervalMs: 4_000,
  refreshMs: 20_000,
  typingAfterMs: 1_000,
  typingEveryMs: 4_000,
};

/** How the streamer shows progress: drafts, or only the typing indicator. */
export type DraftMode = 'drafts' | 'typing';

/**
 * Drafts exist only in private chats (a positive chat id) and only with `STREAMING` on; anywhere
 * else the streamer keeps "typing…" on.
 */
export function draftModeFor(chatId: number, streaming: boolean): DraftMode {
  return streaming && chatId > 0 ? 'drafts' : 'typing';
}

/** Options of {@link DraftStreamer.start}. */
export interface DraftStreamerOptions {
  port: DraftPort;
  chatId: number;
  /** The answer's draft id, non-zero: see `draftIdFor`. */
  draftId: number;
  threadId?: number | null;
  /** `drafts` (default) or `typing`; see {@link draftModeFor}. */
  mode?: DraftMode;
  /** The Stop button (default true); with it, Telegram keeps the draft's text after Stop (`keep_on_stop`). */
  canStop?: boolean;
  pace?: Partial<DraftPace>;
  clock?: Clock;
  /** Observes each draft's outcome (metrics, the bench); must not throw. */
  onDraft?: (event: { outcome: DraftOutcome; textLength: number; startedAt: number }) => void;
}

/** What a streamer did, for metrics and the bench. */
export interface DraftStats {
  /** The mode it ended in: `typing` after a refusal of drafts; `off` after a 403. */
  mode: DraftMode | 'off';
  /** `sendMessageDraft` calls made, and of them accepted, skipped on 429, failed otherwise. */
  drafts: number;
  sent: number;
  rateLimited: number;
  failed: number;
  /** `sendChatAction` calls made. */
  typing: number;
  /** When the first draft with text was sent (clock time at the call), if one was accepted. */
  firstTextAt?: number;
}

/**
 * One answer's drafts. {@link DraftStreamer.start} sends "Thinking…" at once (in `drafts` mode);
 * {@link DraftStreamer.update} gives it the whole text so far, as often as tokens arrive; it sends
 * the latest text when the pace allows, never a backlog: an update that arrives while a draft
 * is on its way or while the interval runs only replaces the text to send next. A 429 is skipped
 * (no draft to the chat until its `retry_after` has passed, then the latest text) and the
 * interval doubles. A refusal that means "no drafts here" turns to "typing…" every 4 s for the
 * rest of the answer; refused HTML turns to plain text. {@link DraftStreamer.stop} ends it.
 *
 * @example
 * const drafts = DraftStreamer.start({ port: telegram, chatId, draftId: draftIdFor(effectId) });
 * const answer = await llm.stream(request, abort.signal, (text) => drafts.update(text));
 * await drafts.stop(); // then send the final answer with sendMessage
 */
export class DraftStreamer {
  private mode: DraftMode | 'off';
  private format: 'html' | 'plain' = 'html';
  private stopped = false;
  private readonly pace: DraftPace;
  private interval: number;
  private readonly startedAt: number;

  private latest = '';
  private version = 0;
  private sentVersion = 0;
  private lastSentText: string | undefined;
  private lastDraftAt = Number.NEGATIVE_INFINITY;
  /** Whether a draft with text was tried yet: the first one goes out at once, after "Thinking…". */
  private textTried = false;
  private pausedUntil = 0;
  private inFlight: Promise<void> | undefined;
  private timer: { handle: unknown; for: 'text' | 'refresh' } | undefined;
  private typingTimer: unknown;
  private readonly stats_: DraftStats;

  private constructor(private readonly options: DraftStreamerOptions & { clock: Clock }) {
    const pace = { ...DRAFT_PACE, ...options.pace };
    // A configured interval above the cap is kept: a 429 only ever slows drafts down.
    this.pace = { ...pace, maxIntervalMs: Math.max(pace.maxIntervalMs, pace.intervalMs) };
    this.interval = this.pace.intervalMs;
    this.mode = options.mode ?? 'drafts';
    this.startedAt = options.clock.now();
    this.stats_ = { mode: this.mode, drafts: 0, sent: 0, rateLimited: 0, failed: 0, typing: 0 };
  }

  /**
   * Starts showing progress in `chatId`: "Thinking…" at once (drafts), or "typing…" after
   * `typingAfterMs` (typing).
   *
   * @throws RangeError when `draftId` is 0 or not an integer
   */
  static start(options: DraftStreamerOptions): DraftStreamer {
    if (!Number.isInteger(options.draftId) || options.draftId === 0) {
      throw new RangeError(`draftId must be a non-zero integer (got ${String(options.draftId)}): use draftIdFor(effectId)`);
    }
    const streamer = new DraftStreamer({ ...options, clock: options.clock ?? systemClock });
    if (streamer.mode === 'drafts') streamer.send('', 0);
    else streamer.startTyping();
    return streamer;
  }

  /** The whole answer so far (Markdown, as the model writes it). Cheap: call it on every token. */
  update(textSoFar: string): void {
    if (this.stopped || textSoFar === this.latest) return;
    this.latest = textSoFar;
    this.version += 1;
    if (this.mode === 'drafts' && this.timer?.for !== 'text') this.pump();
  }

  /**
   * Stops: no draft or "typing…" is sent after this. Resolves once a draft already on its way
   * has been answered, so that the final `sendMessage` comes after the last draft.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    this.options.clock.clearTimeout(this.typingTimer);
    await this.inFlight;
  }

  /** What the streamer did so far. */
  stats(): DraftStats {
    return { ...this.stats_, mode: this.mode };
  }

  /** Sends the latest text if the pace allows, or sets the timer for when it will. */
  private pump(): void {
    if (this.stopped || this.mode !== 'drafts' || this.inFlight !== undefined) return;
    this.clearTimer();
    const now = this.options.clock.now();
    const fresh = this.version !== this.sentVersion;
    const due = fresh
      ? Math.max(this.pausedUntil, this.textTried ? this.lastDraftAt + this.interval : now)
      : Math.max(this.pausedUntil, this.lastDraftAt + this.pace.refreshMs);
    if (due > now) {
      const handle = this.options.clock.setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, due - now);
      this.timer = { handle, for: fresh ? 'text' : 'refresh' };
      return;
    }
    if (!fresh) {
      this.send(this.lastSentText ?? '', this.sentVersion); // refresh the preview
      return;
    }
    const draft = draftText(this.latest, this.format);
    if (draft.text === this.lastSentText) {
      // Renders as what is shown already (e.g. only whitespace came): nothing to send yet.
      this.sentVersion = this.version;
      this.pump();
      return;
    }
    this.send(draft.text, this.version, draft.parseMode);
  }

  private send(text: string, version: number, parseMode?: 'HTML'): void {
    const clock = this.options.clock;
    const startedAt = clock.now();
    this.lastDraftAt = startedAt;
    this.stats_.drafts += 1;
    if (text !== '') this.textTried = true;
    const canStop = this.options.canStop ?? true;
    const options: DraftOptions = {
      canStop,
      keepOnStop: canStop,
      ...(parseMode ? { parseMode } : {}),
      ...(this.options.threadId ? { threadId: this.options.threadId } : {}),
    };
    this.inFlight = this.options.port
      .sendDraft(this.options.chatId, this.options.draftId, text, options)
      .catch((): DraftOutcome => ({ kind: 'skipped', reason: 'failed', code: null }))
      .then((outcome) => {
        this.inFlight = undefined;
        this.settle(outcome, text, version, startedAt);
        this.options.onDraft?.({ outcome, textLength: text.length, startedAt });
        this.pump();
      });
  }

  private settle(outcome: DraftOutcome, text: string, version: number, startedAt: number): void {
    switch (outcome.kind) {
      case 'sent':
        this.stats_.sent += 1;
        this.lastSentText = text;
        this.sentVersion = Math.max(this.sentVersion, version);
        if (text !== '' && this.stats_.firstTextAt === undefined) this.stats_.firstTextAt = startedAt;
        return;
      case 'skipped':
        if (outcome.reason === 'rate_limited') {
          this.stats_.rateLimited += 1;
          this.pausedUntil = this.options.clock.now() + outcome.retryAfter * 1000;
          this.interval = Math.min(this.interval * 2, this.pace.maxIntervalMs);
        } else {
          this.stats_.failed += 1;
        }
        // Not sent: the latest text (this one, or a newer one) goes at the next turn.
        return;
      case 'parse_error':
        this.stats_.failed += 1;
        this.format = 'plain';
        return;
      case 'unsupported':
        this.stats_.failed += 1;
        this.mode = 'typing';
        this.clearTimer();
        if (!this.stopped) this.startTyping();
        return;
      case 'blocked':
        this.stats_.failed += 1;
        this.mode = 'off';
        this.clearTimer();
        return;
    }
  }

  /** "typing…" from `typingAfterMs` after the start (at once if that has passed), then every `typingEveryMs`. */
  private startTyping(): void {
    const clock = this.options.clock;
    const tick = (): void => {
      if (this.stopped || this.mode !== 'typing') return;
      this.stats_.typing += 1;
      this.options.port.sendTyping(this.options.chatId).catch(() => undefined);
      this.typingTimer = clock.setTimeout(tick, this.pace.typingEveryMs);
    };
    const wait = Math.max(0, this.startedAt + this.pace.typingAfterMs - clock.now());
    this.typingTimer = clock.setTimeout(tick, wait);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer.handle);
    this.timer = undefined;
  }
}
