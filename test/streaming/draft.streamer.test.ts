/**
 * The draft streamer as the user experiences it, with a clock the test moves and a port that
 * records what would reach Telegram (and answers as Telegram might: accept, 429, refuse).
 */
import type { DraftOptions, DraftOutcome } from '../../src/adapters/telegram/draft.outcome';
import { DRAFT_PACE, DraftStreamer, draftModeFor, type DraftPort } from '../../src/streaming/draft.streamer';
import { ManualClock, settle } from './manual-clock';

const ALICE = 1001;

/** Records drafts and typing at the clock's time; answers drafts from a queue (default: accepted). */
class RecordingPort implements DraftPort {
  readonly drafts: Array<{ at: number; text: string; options: DraftOptions }> = [];
  readonly typing: number[] = [];
  /** Outcomes for the next drafts, in order. */
  readonly outcomes: DraftOutcome[] = [];
  /** While true, drafts stay unanswered until `release()`. */
  hold = false;
  private readonly held: Array<() => void> = [];

  constructor(private readonly clock: ManualClock) {}

  sendDraft(_chatId: number, _draftId: number, text: string, options: DraftOptions): Promise<DraftOutcome> {
    this.drafts.push({ at: this.clock.now(), text, options });
    const outcome = this.outcomes.shift() ?? { kind: 'sent' };
    if (!this.hold) return Promise.resolve(outcome);
    return new Promise((resolve) => this.held.push(() => resolve(outcome)));
  }

  async sendTyping(): Promise<void> {
    this.typing.push(this.clock.now());
  }

  /** Answers the oldest held draft. */
  async release(): Promise<void> {
    this.held.shift()?.();
    await settle();
  }

  texts(): string[] {
    return this.drafts.map((d) => d.text);
  }

  times(): number[] {
    return this.drafts.map((d) => d.at);
  }
}

function setup(options: { mode?: 'drafts' | 'typing'; canStop?: boolean } = {}) {
  const clock = new ManualClock();
  const port = new RecordingPort(clock);
  const streamer = DraftStreamer.start({ port, chatId: ALICE, draftId: 77, clock, ...options });
  return { clock, port, streamer };
}

/** The model writes `words` at `perSecond`, giving the streamer the text so far after each. */
async function write(clock: ManualClock, streamer: DraftStreamer, words: string[], perSecond: number, start = ''): Promise<string> {
  let text = start;
  for (const word of words) {
    text += (text === '' ? '' : ' ') + word;
    streamer.update(text);
    await clock.advance(1000 / perSecond);
  }
  return text;
}

describe('an answer shown as drafts while the model writes it', () => {
  it('shows "Thinking…" at once, then the first words as soon as the model writes them', async () => {
    const { clock, port, streamer } = setup();
    await settle();
    expect(port.drafts).toEqual([{ at: 0, text: '', options: { canStop: true, keepOnStop: true } }]);

    await clock.advance(500); // the first token comes after 500 ms
    streamer.update('Здравствуйте');
    await settle();

    expect(port.drafts[1]).toEqual({ at: 500, text: 'Здравствуйте', options: { canStop: true, keepOnStop: true, parseMode: 'HTML' } });
    expect(streamer.stats()).toMatchObject({ drafts: 2, sent: 2, firstTextAt: 500 });
  });

  it('grows about once a second while a long answer streams, never faster, and never lags behind', async () => {
    const { clock, port, streamer } = setup();
    await clock.advance(500);
    const words = Array.from({ length: 150 }, (_, i) => `слово${i}`);
    const text = await write(clock, streamer, words, 50); // 3 s of writing
    await clock.advance(1000);
    await streamer.stop();

    const times = port.times();
    expect(times.slice(0, 2)).toEqual([0, 500]);
    for (let i = 2; i < times.length; i += 1) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(DRAFT_PACE.intervalMs);
    // "Thinking…", the first word, then one a second: 3.5 s in all.
    expect(port.drafts).toHaveLength(5);
    for (let i = 2; i < port.drafts.length; i += 1) expect(port.texts()[i]?.startsWith(port.texts()[i - 1] ?? '')).toBe(true);
    // The last draft shows the whole answer: nothing is left behind.
    expect(port.texts().at(-1)).toBe(text);
  });

  it('builds no backlog: text that comes while a draft is on its way only replaces what is sent next', async () => {
    const { clock, port, streamer } = setup();
    await settle();
    streamer.update('один');
    await settle();
    port.hold = true;
    await clock.advance(1000);
    streamer.update('один два');
    await settle();
    expect(port.texts()).toEqual(['', 'один', 'один два']); // on its way, unanswered

    // Telegram takes 3 s to answer; meanwhile the model writes on.
    for (const text of ['один два три', 'один два три четыре', 'один два три четыре пять']) {
      streamer.update(text);
      await clock.advance(1000);
    }
    expect(port.drafts).toHaveLength(3);
    port.hold = false;
    await port.release();
    await clock.advance(0);

    expect(port.texts()).toEqual(['', 'один', 'один два', 'один два три четыре пять']);
  });

  it('skips a draft that gets 429: nothing until retry_after has passed, then the latest text, at a slower pace', async () => {
    const { clock, port, streamer } = setup();
    await settle();
    port.outcomes.push({ kind: 'sent' }, { kind: 'skipped', reason: 'rate_limited', retryAfter: 3 });
    streamer.update('a'); // sent
    await clock.advance(1000);
    streamer.update('a b'); // 429 at 1 s: pause until 4 s
    await settle();
    for (let i = 0; i < 30; i += 1) {
      streamer.update(`a b ${'c '.repeat(i)}`.trim());
      await clock.advance(100);
    }
    await clock.advance(1000);

    expect(port.times()).toEqual([0, 0, 1000, 4000]);
    expect(port.texts()[3]).toBe(`a b ${'c '.repeat(29)}`.trim());
    expect(streamer.stats()).toMatchObject({ rateLimited: 1, drafts: 4 });

    // The interval doubled: the next draft comes 2 s after the last one (at 4 s), not 1 s.
    streamer.update('d'); // at 5 s
    await clock.advance(999);
    expect(port.drafts).toHaveLength(4);
    await clock.advance(1);
    expect(port.times()[4]).toBe(6000);
  });

  it('never speeds up after a 429 when the configured interval is above the cap', async () => {
    const clock = new ManualClock();
    const port = new RecordingPort(clock);
    const streamer = DraftStreamer.start({ port, chatId: ALICE, draftId: 5, clock, pace: { intervalMs: 6000 } });
    await settle(); // "Thinking…" is answered
    port.outcomes.push({ kind: 'sent' }, { kind: 'skipped', reason: 'rate_limited', retryAfter: 1 });
    streamer.update('a');
    await clock.advance(6000);
    streamer.update('a b'); // 429 at 6 s
    await clock.advance(1);
    streamer.update('a b c');
    await clock.advance(20_000);
    expect(port.times()).toEqual([0, 0, 6000, 12_000]);
  });

  it('keeps a silent model\'s draft alive: "Thinking…" and the text are sent again before 30 s pass', async () => {
    const { clock, port, streamer } = setup();
    await clock.advance(45_000); // the model thinks for 45 s
    expect(port.times()).toEqual([0, 20_000, 40_000]);
    expect(port.texts()).toEqual(['', '', '']);

    streamer.update('Готово');
    await clock.advance(30_000);
    expect(port.times()).toEqual([0, 20_000, 40_000, 45_000, 65_000]);
    expect(port.texts().slice(3)).toEqual(['Готово', 'Готово']);
  });

  it('does not send a draft for text that renders as what is shown already', async () => {
    const { clock, port, streamer } = setup();
    streamer.update('Да');
    await clock.advance(1000);
    streamer.update('Да ');
    streamer.update('Да \n');
    await clock.advance(2000);
    expect(port.texts()).toEqual(['', 'Да']);
  });

  it('renders Markdown like the final answer, and turns to plain text when Telegram refuses the HTML', async () => {
    const { clock, port, streamer } = setup();
    await settle();
    port.outcomes.push({ kind: 'parse_error' });
    streamer.update('Нажмите **Сохранить');
    await settle();
    streamer.update('Нажмите **Сохранить** и <подождите>');
    await clock.advance(1000);

    expect(port.drafts[1]).toMatchObject({ text: 'Нажмите <b>Сохранить</b>', options: { parseMode: 'HTML' } });
    expect(port.drafts[2]).toEqual({ at: 1000, text: 'Нажмите Сохранить и <подождите>', options: { canStop: true, keepOnStop: true } });
  });

  it('sends nothing after stop(), and stop() waits for the draft on its way', async () => {
    const { clock, port, streamer } = setup();
    await settle();
    port.hold = true;
    streamer.update('текст');
    await settle();
    let stopped = false;
    const stopping = streamer.stop().then(() => {
      stopped = true;
    });
    streamer.update('текст и ещё');
    await settle();
    expect(stopped).toBe(false);

    await port.release();
    await stopping;
    await clock.advance(60_000);
    expect(stopped).toBe(true);
    expect(port.texts()).toEqual(['', 'текст']);
    expect(port.typing).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it('sends drafts without a Stop button when told to', async () => {
    const { port } = setup({ canStop: false });
    await settle();
    expect(port.drafts[0]?.options).toEqual({ canStop: false, keepOnStop: false });
  });
});

describe('where drafts are not possible, "typing…" shows instead', () => {
  it('turns to "typing…" every 4 s when Telegram refuses drafts, with no error shown', async () => {
    const clock = new ManualClock();
    const port = new RecordingPort(clock);
    port.outcomes.push({ kind: 'unsupported', description: 'Not Found: method not found' });
    const streamer = DraftStreamer.start({ port, chatId: ALICE, draftId: 5, clock });
    await clock.advance(300);
    streamer.update('текст, которого пользователь не увидит до ответа');
    await clock.advance(9_000);

    expect(port.texts()).toEqual(['']);
    expect(port.typing).toEqual([1000, 5000, 9000]);
    expect(streamer.stats()).toMatchObject({ mode: 'typing', drafts: 1, typing: 3 });
    await streamer.stop();
    await clock.advance(10_000);
    expect(port.typing).toHaveLength(3);
  });

  it('with STREAMING off or outside a private chat: "typing…" after 1 s, every 4 s, no drafts', async () => {
    expect(draftModeFor(ALICE, false)).toBe('typing');
    expect(draftModeFor(-100500, true)).toBe('typing');
    expect(draftModeFor(ALICE, true)).toBe('drafts');

    const { clock, port, streamer } = setup({ mode: 'typing' });
    streamer.update('ignored');
    await clock.advance(999);
    expect(port.typing).toEqual([]);
    await clock.advance(8_001);
    expect(port.typing).toEqual([1000, 5000, 9000]);
    expect(port.drafts).toEqual([]);
  });

  it('sends nothing more to a user who blocked the bot', async () => {
    const clock = new ManualClock();
    const port = new RecordingPort(clock);
    port.outcomes.push({ kind: 'blocked' });
    const streamer = DraftStreamer.start({ port, chatId: ALICE, draftId: 5, clock });
    streamer.update('a');
    await clock.advance(60_000);
    expect(port.drafts).toHaveLength(1);
    expect(port.typing).toEqual([]);
    expect(streamer.stats().mode).toBe('off');
  });

  it('refuses a zero draft id', () => {
    const clock = new ManualClock();
    expect(() => DraftStreamer.start({ port: new RecordingPort(clock), chatId: ALICE, draftId: 0, clock })).toThrow(RangeError);
  });
});
