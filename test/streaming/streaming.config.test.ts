import { loadConfig } from '../../src/config';
import { configProblems as problems, validEnv as valid } from '../support/config-env';


describe('the streaming switch and the draft interval', () => {
  it('stream by default, a draft at most every second', () => {
    expect(loadConfig(valid).streaming).toEqual({ enabled: true, draftIntervalMs: 1000 });
    expect(loadConfig({ ...valid, STREAMING: '', STREAMING_DRAFT_INTERVAL_MS: '' }).streaming).toEqual({ enabled: true, draftIntervalMs: 1000 });
  });

  it('turn off with STREAMING=false (or 0, no, off), and take another interval', () => {
    for (const off of ['false', 'FALSE', '0', 'no', 'off']) expect(loadConfig({ ...valid, STREAMING: off }).streaming.enabled).toBe(false);
    for (const on of ['true', '1', 'yes', 'on']) expect(loadConfig({ ...valid, STREAMING: on }).streaming.enabled).toBe(true);
    expect(loadConfig({ ...valid, STREAMING_DRAFT_INTERVAL_MS: '1500' }).streaming.draftIntervalMs).toBe(1500);
  });

  it('refuse a typo and an interval Telegram would punish, saying how to fix them', () => {
    expect(problems({ ...valid, STREAMING: 'ture', STREAMING_DRAFT_INTERVAL_MS: '100' })).toEqual([
      expect.stringMatching(/^STREAMING must be true or false/),
      expect.stringMatching(/^STREAMING_DRAFT_INTERVAL_MS must be at least 250 ms: Telegram allows about one message a second per chat/),
    ]);
    expect(problems({ ...valid, STREAMING_DRAFT_INTERVAL_MS: '60000' })).toEqual([expect.stringMatching(/must be at most 10000 ms/)]);
  });
});
