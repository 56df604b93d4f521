import { literalGate, type Fingerprint } from './literal.gate';
import type { HandoffRuleSet } from './rule-set.types';

/**
 * A rule set as the detector runs it: every regex paired with its literal gate (see
 * `literal.gate.ts`), so that a rule whose words are absent from a message costs a few
 * `includes` calls instead of a regex scan. Built once per rule set at module load.
 */
export interface CompiledRuleSet {
  /** The rule set this was compiled from: its `lang`, `appliesTo`, `mentions`, `unglue`, `fromKeyboardLayout`. */
  readonly source: HandoffRuleSet;
  /** The blockers in their order; `mask(text)` is `text.replace(pattern, mask)` behind the gate. */
  readonly blockers: readonly CompiledBlocker[];
  readonly bare: Matcher;
  readonly requests: readonly Matcher[];
  readonly refusals: readonly Matcher[];
  readonly hints: readonly Matcher[];
  readonly frustration: readonly Matcher[];
}

/**
 * True when the rule matches the text; the same answer as `pattern.test(text)`. `print` is
 * the `fingerprint` of the text, or of the unmasked text it was masked from.
 */
export type Matcher = (text: string, print: Fingerprint) => boolean;

/** One blocker, compiled. */
export interface CompiledBlocker {
  readonly code: string;
  /** The text with every match of the blocker replaced by `token`; the same text when there is none. */
  readonly mask: (text: string, print: Fingerprint, token: string) => string;
}

/**
 * Compiles a rule set. With `gates: false` every rule runs unconditionally, exactly as
 * written: the reference the tests compare the gated detector with.
 *
 * @example const compiled = compileRuleSet(enRules, { gates: true }); compiled.bare('human please', fingerprint('human please')) === true
 */
export function compileRuleSet(set: HandoffRuleSet, options: { gates: boolean }): CompiledRuleSet {
  const matcher = (pattern: RegExp): Matcher => {
    if (!options.gates) return (text) => pattern.test(text);
    const open = literalGate(pattern);
    return (text, print) => open(text, print) && pattern.test(text);
  };
  return {
    source: set,
    blockers: set.blockers.map(({ code, pattern }) => {
      const open = options.gates ? literalGate(pattern) : () => true;
      return { code, mask: (text: string, print: Fingerprint, token: string) => (open(text, print) ? text.replace(pattern, token) : text) };
    }),
    bare: matcher(set.bare),
    requests: set.requests.map(matcher),
    refusals: set.refusals.map(matcher),
    hints: set.hints.map(matcher),
    frustration: set.frustration.map(matcher),
  };
}
