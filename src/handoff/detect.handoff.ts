import type { DetectInput, HandoffSignal } from './handoff.types';
import { guessLanguage } from './language.guess';
import { MASK, normalizeText } from './normalize.text';
import { fingerprint, type Fingerprint } from './literal.gate';
import { isRepeatedQuestion } from './repeat.signal';
import { compileRuleSet, type CompiledRuleSet } from './rule-set.compile';
import { HANDOFF_RULE_SETS } from './rules.registry';
import { isShouting } from './shouting.signal';

/**
 * Layers 2 and 4 (user side): fast rules for explicit requests for a person, plus frustration
 * and repeated-question signals. Returns null when no handoff is suggested.
 *
 * Order of checks, first hit wins:
 * 1. high `rules.bare_request` / `rules.request_human`: a person word alone, or a request
 *    ("позовите оператора", "can I talk to a human"), after every language's blockers have
 *    masked negations, other meanings, questions about operators and reported speech;
 * 2. high `rules.refuse_bot`: refusing the bot instead of naming a person ("no more bots",
 *    «не хочу с ботом»), after the same blockers (questions about the bot itself among them);
 * 3. high `rules.wrong_layout`: a request typed on an English layout (`jgthfnjh`);
 * 4. medium `rules.hint_human`: "а можно с кем-то поговорить?", "is there a real person here?",
 *    "anyone from the company here?";
 * 5. medium `failure.frustration`, `failure.shouting`, `failure.repeated_question`.
 *
 * Before the rules, words glued to a person word are split (`talktoahuman`), see `glue.split.ts`.
 *
 * Rules of every language run on every message; `input.lang` (or the script of the text)
 * only decides which language is reported when two fire at once. Pure and synchronous; a
 * decision takes a few microseconds (see `npm run bench:handoff`).
 *
 * @example detectHandoff({ text: 'позовите оператора' }) // { layer: 'rules', confidence: 'high', reason: 'rules.request_human', lang: 'ru' }
 */
export function detectHandoff(input: DetectInput): HandoffSignal | null {
  return explainHandoff(input).signal;
}

/** What {@link explainHandoff} saw: the decision, plus the blockers that masked part of the text. */
export interface HandoffExplanation {
  signal: HandoffSignal | null;
  /** Codes of blockers that matched, e.g. ['ru.negation']: why a person word did not count. */
  blockedBy: string[];
}

/**
 * {@link detectHandoff} with its working shown: also returns which blockers matched. The
 * evaluation script prints these beside every mistake, to show which rule to fix.
 */
export function explainHandoff(input: DetectInput): HandoffExplanation {
  return explain(input, true);
}

/**
 * @internal The same decision with the fast paths (`appliesTo`, `mentions`, the literal gates of
 * `literal.gate.ts`) switched off, so that a test can prove the fast paths never change a
 * decision. Not exported from the module's index.
 */
export function explainHandoffWithoutFastPath(input: DetectInput): HandoffExplanation {
  return explain(input, false);
}

/** Every rule set behind its literal gates: what the detector runs. */
const GATED: readonly CompiledRuleSet[] = HANDOFF_RULE_SETS.map((set) => compileRuleSet(set, { gates: true }));
/** Every rule set without gates: the reference for {@link explainHandoffWithoutFastPath}. */
const UNGATED: readonly CompiledRuleSet[] = HANDOFF_RULE_SETS.map((set) => compileRuleSet(set, { gates: false }));

function explain(input: DetectInput, fastPath: boolean): HandoffExplanation {
  const sets = fastPath ? GATED : UNGATED;
  const preferred = preferredLanguage(input);
  const plain = normalizeText(input.text);
  const normal = unglue(plain);
  const blockedBy: string[] = [];
  // The caller's language always applies: it breaks ties ("operator" from a Russian-speaking user is reported as 'ru').
  const active = fastPath ? sets.filter(({ source }) => source.lang === preferred || source.appliesTo === undefined || source.appliesTo.test(normal)) : sets;
  const mentioned = fastPath ? active.filter(({ source }) => source.mentions.test(normal)) : sets;
  // One fingerprint for the normal text serves every masked version of it (see literal.gate.ts).
  const print = fingerprint(normal);
  const masked = mask(normal, print, mentioned, blockedBy);

  const request = firstRequest(masked, print, mentioned, preferred);
  if (request !== null) return { signal: request, blockedBy };

  const refusal = firstMatching(mentioned, preferred, (set) => set.refusals.some((matches) => matches(masked, print)));
  if (refusal !== null) return { signal: { layer: 'rules', confidence: 'high', reason: 'rules.refuse_bot', lang: refusal }, blockedBy };

  const relaid = wrongLayoutRequest(input.text, sets);
  if (relaid !== null) return { signal: relaid, blockedBy };

  const hint = firstMatching(active, preferred, (set) => set.hints.some((matches) => matches(masked, print)));
  if (hint !== null) return { signal: medium('rules', 'rules.hint_human', hint), blockedBy };

  const frustrated = firstMatching(active, preferred, (set) => set.frustration.some((matches) => matches(normal, print)));
  if (frustrated !== null) return { signal: medium('failure', 'failure.frustration', frustrated), blockedBy };

  if (isShouting(input.text)) return { signal: medium('failure', 'failure.shouting', guessLanguage(input.text, input.lang)), blockedBy };

  if (input.previousUserTexts !== undefined && isRepeatedQuestion(input.text, input.previousUserTexts, plain)) {
    return { signal: medium('failure', 'failure.repeated_question', guessLanguage(input.text, input.lang)), blockedBy };
  }
  return { signal: null, blockedBy };
}

/** Longest message tried in another keyboard layout: people notice gibberish in long texts. */
const MAX_WRONG_LAYOUT_CHARS = 64;

/**
 * A request typed in the wrong keyboard layout (`gjpjdbnt jgthfnjhf` → «позовите оператора»).
 * Only bare and request rules are tried, without blockers: gibberish holds no negation.
 */
function wrongLayoutRequest(raw: string, sets: readonly CompiledRuleSet[]): HandoffSignal | null {
  if (raw.length > MAX_WRONG_LAYOUT_CHARS) return null;
  for (const set of sets) {
    const relaid = set.source.fromKeyboardLayout?.(raw);
    if (relaid === undefined || relaid === null) continue;
    const normal = normalizeText(relaid);
    if (!set.source.mentions.test(normal)) continue;
    const print = fingerprint(normal);
    if (set.bare(normal, print) || set.requests.some((matches) => matches(normal, print))) {
      return { layer: 'rules', confidence: 'high', reason: 'rules.wrong_layout', lang: set.source.lang };
    }
  }
  return null;
}

function unglue(normal: string): string {
  let text = normal;
  for (const set of HANDOFF_RULE_SETS) if (set.unglue !== undefined && (set.appliesTo === undefined || set.appliesTo.test(text))) text = set.unglue(text);
  return text;
}

function mask(normal: string, print: Fingerprint, sets: readonly CompiledRuleSet[], blockedBy: string[]): string {
  let text = normal;
  for (const set of sets) {
    for (const { code, mask: replace } of set.blockers) {
      const next = replace(text, print, MASK);
      if (next !== text && !blockedBy.includes(code)) blockedBy.push(code);
      text = next;
    }
  }
  return text;
}

function firstRequest(masked: string, print: Fingerprint, sets: readonly CompiledRuleSet[], preferred: string): HandoffSignal | null {
  const bare = firstMatching(sets, preferred, (set) => set.bare(masked, print));
  if (bare !== null) return { layer: 'rules', confidence: 'high', reason: 'rules.bare_request', lang: bare };
  const asked = firstMatching(sets, preferred, (set) => set.requests.some((matches) => matches(masked, print)));
  if (asked !== null) return { layer: 'rules', confidence: 'high', reason: 'rules.request_human', lang: asked };
  return null;
}

/** The language of the preferred language's set if it matches, else of the first matching set in registry order. */
function firstMatching(sets: readonly CompiledRuleSet[], preferred: string, matches: (set: CompiledRuleSet) => boolean): string | null {
  let fallback: string | null = null;
  for (const set of sets) {
    if (!matches(set)) continue;
    if (set.source.lang === preferred) return preferred;
    fallback ??= set.source.lang;
  }
  return fallback;
}

function preferredLanguage(input: DetectInput): string {
  const given = input.lang?.toLowerCase().split(/[-_]/)[0];
  if (given !== undefined && given !== '' && HANDOFF_RULE_SETS.some((set) => set.lang === given)) return given;
  return guessLanguage(input.text, input.lang);
}

function medium(layer: 'rules' | 'failure', reason: string, lang: string): HandoffSignal {
  return { layer, confidence: 'medium', reason, lang };
}
