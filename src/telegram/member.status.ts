/** Member statuses that make someone an operator: a member of the operators' group. */
const OPERATOR_STATUSES = new Set(['creator', 'administrator', 'member']);

/**
 * Whether a `getChatMember` status in the operators' group makes its user an operator: checked on
 * every operator's command (the router) and before AUTO_ASSIGN gives a ticket to an operator on duty.
 *
 * @example isOperatorStatus('left') // false
 */
export function isOperatorStatus(status: string): boolean {
  return OPERATOR_STATUSES.has(status);
}
