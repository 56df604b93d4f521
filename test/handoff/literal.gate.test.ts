import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HANDOFF_RULE_SETS, normalizeText, parseLabelledJsonl } from '../../src/handoff';
import { fingerprint, literalGate, requiredLiterals } from '../../src/handoff/literal.gate';

describe('literal gates read the words a rule needs off its source', () => {
  it('finds the words every match contains', () => {
    expect(requiredLiterals(/(?:are|r) (?:you|u) real/)?.sort()).toEqual(['are u real', 'are you real', 'r u real', 'r you real']);
    expect(requiredLiterals(/оператор[^\s|#]*/)).toEqual(['оператор']);
    expect(requiredLiterals(/op+erator/)).toEqual(['erator']); // 'op' or 'erator': the longer, since 'opp' also matches
  });

  it('gives no guarantee when a part can be anything or is not understood', () => {
    expect(requiredLiterals(/[^ ]+/)).toBeNull();
    expect(requiredLiterals(/(?:human)?/)).toBeNull();
    expect(requiredLiterals(/human/i)).toBeNull();
    expect(requiredLiterals(/(a)\1/)).toBeNull();
    expect(literalGate(/\d+/)('no digits here', fingerprint('no digits here'))).toBe(true);
  });

  it('stays closed only for texts the rule cannot match', () => {
    const gate = literalGate(/(?:talk|speak) to (?:a )?human/);
    expect(gate('can i talk to a human', fingerprint('can i talk to a human'))).toBe(true);
    expect(gate('where is my parcel', fingerprint('where is my parcel'))).toBe(false);
  });

  it('never closes on a text that a shipped rule matches', () => {
    const dataDir = join(__dirname, '../../data');
    const texts = readdirSync(dataDir)
      .filter((file) => /^handoff.*\.jsonl$/.test(file))
      .flatMap((file) => parseLabelledJsonl(readFileSync(join(dataDir, file), 'utf8')).map((m) => normalizeText(m.text)));
    const wrong: string[] = [];
    for (const set of HANDOFF_RULE_SETS) {
      const patterns = [set.mentions, set.bare, ...set.blockers.map((b) => b.pattern), ...set.requests, ...set.refusals, ...set.hints, ...set.frustration];
      for (const pattern of patterns) {
        const gate = literalGate(pattern);
        for (const text of texts) {
          pattern.lastIndex = 0;
          if (pattern.test(text) && !gate(text, fingerprint(text))) wrong.push(`${set.lang} ${pattern.source.slice(0, 60)}: ${text}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
