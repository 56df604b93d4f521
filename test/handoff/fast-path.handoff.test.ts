import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainHandoff, parseLabelledJsonl, type DetectInput } from '../../src/handoff';
import { explainHandoffWithoutFastPath } from '../../src/handoff/detect.handoff';

/**
 * Rules are skipped when a message mentions no person word (each rule set's `mentions`), when
 * it is in a script a set does not apply to (`appliesTo`), and when none of the literals a
 * rule needs is in it (the literal gates of `literal.gate.ts`). If a new rule relies on a word
 * that `mentions` lacks, or a gate is wrong, a request is silently missed; this test catches
 * that by comparing the decision on every labelled message with the fast paths on and off.
 */
describe('the fast paths never change a decision', () => {
  const dataDir = join(__dirname, '../../data');
  const files = readdirSync(dataDir).filter((file) => /^handoff.*\.jsonl$/.test(file));
  const messages = files.flatMap((file) => parseLabelledJsonl(readFileSync(join(dataDir, file), 'utf8')));
  const extra = ['speak with your team', 'с кем можно поговорить?', 'is anyone there?', 'не надо звать кого-нибудь', 'позовите людей'];
  const texts = [...messages.map((m) => m.text), ...extra];

  function differing(inputs: readonly DetectInput[]): DetectInput[] {
    return inputs.filter((input) => JSON.stringify(explainHandoff(input).signal) !== JSON.stringify(explainHandoffWithoutFastPath(input).signal));
  }

  it('on every line of every data/handoff*.jsonl file, alone and with the caller language', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(differing(texts.map((text) => ({ text })))).toEqual([]);
    expect(differing(messages.map(({ text, lang }) => ({ text, ...(lang === undefined ? {} : { lang }) })))).toEqual([]);
  });

  it('with the five lines before it as history, and after the user already sent it once', () => {
    const withHistory = texts.map((text, i) => ({ text, previousUserTexts: texts.slice(Math.max(0, i - 5), i) }));
    const repeated = texts.map((text) => ({ text, previousUserTexts: [text, 'привет'] }));
    expect(differing(withHistory)).toEqual([]);
    expect(differing(repeated)).toEqual([]);
  });

  // Not glued variants: `appliesTo` (older than the literal gates) keeps the Russian set off Latin
  // text such as "operatorplease", which its rules would match without it (see docs/handoff.md).
  it('when the same text comes in shouted', () => {
    const variants = texts.map((text) => `${text.toUpperCase()}!!`);
    expect(differing(variants.map((text) => ({ text })))).toEqual([]);
  });
});
