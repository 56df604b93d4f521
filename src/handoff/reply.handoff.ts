import { normalizeText } from './normalize.text';
import { HANDOFF_RULE_SETS } from './rules.registry';

/**
 * Layer 4 (bot side): true when an LLM answer says the bot cannot help ("I can't help with
 * that", "не могу помочь", "обратитесь к оператору"...).
 *
 * The dialog machine turns a true result into a medium `failure.bot_cannot_help` signal, so
 * the user is offered a human instead of being left with a dead end. Phrases of every
 * registered language are checked.
 *
 * @example replySaysCannotHelp('К сожалению, я не могу помочь с этим вопросом.') === true
 */
export function replySaysCannotHelp(replyText: string): boolean {
  const normal = normalizeText(replyText);
  return HANDOFF_RULE_SETS.some((set) => set.cannotHelp.some((pattern) => pattern.test(normal)));
}
