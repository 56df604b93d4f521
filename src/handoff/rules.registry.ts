import { enRules } from './rules.en';
import { ruRules } from './rules.ru';
import type { HandoffRuleSet } from './rule-set.types';

/**
 * Every language the detector knows. All of them run on every message (users mix languages
 * and type transliteration); the order only breaks ties when the caller gives no language.
 * To add a language, write `rules.<lang>.ts` exporting a {@link HandoffRuleSet} and add it here.
 */
export const HANDOFF_RULE_SETS: readonly HandoffRuleSet[] = [ruRules, enRules];
