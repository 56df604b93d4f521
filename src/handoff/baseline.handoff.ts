/**
 * The naive baseline: any of оператор|человек|менеджер|operator|human|agent|person as a substring (case-insensitive).
 *
 * Kept only as the yardstick the rules are measured against (`npm run eval:handoff`); never
 * use it to decide anything in the bot.
 */
export function baselineHandoff(text: string): boolean {
  return BASELINE.test(text);
}

const BASELINE = /оператор|человек|менеджер|operator|human|agent|person/i;
