import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainHandoff, parseLabelledJsonl } from '../../src/handoff';
import { explainHandoffWithoutFastPath } from '../../src/handoff/detect.handoff';

/**
 * Rules are skipped when a message mentions no person word (each rule set's `mentions`).
 * If a new rule relies on a word that `mentions` lacks, it silently never fires; this test
 * catches that by comparing every labelled message with the fast path on and off.
 */
describe('the fast path for messages without person words', () => {
  const files = ['handoff.jsonl', 'handoff.holdout.jsonl'];
  const messages = files.flatMap((file) => parseLabelledJsonl(readFileSync(join(__dirname, '../../data', file), 'utf8')));
  const extra = ['speak with your team', 'с кем можно поговорить?', 'is anyone there?', 'не надо звать кого-нибудь', 'позовите людей'];

  it('never changes a decision', () => {
    const differing = [...messages.map((m) => m.text), ...extra].filter((text) => {
      const fast = explainHandoff({ text }).signal;
      const slow = explainHandoffWithoutFastPath({ text }).signal;
      return JSON.stringify(fast) !== JSON.stringify(slow);
    });
    expect(differing).toEqual([]);
  });
});
