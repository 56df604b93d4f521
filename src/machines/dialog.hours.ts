import { closedUntil } from '../hours/working.hours';
import type { DialogContext, DialogEvent } from './dialog.types';

/**
 * What working hours change in the dialog machine, decided from the step's time (`stepAt`, stamped
 * by the engine) and the dialog's `settings.hours`: pure, like the rest of the machine.
 */

/** When operators are back, if they are away at this step; null when they work (or no hours are set). */
export function operatorsAwayUntil(context: DialogContext, event: DialogEvent): number | null {
  return closedUntil(context.settings.hours, event.stepAt);
}

/**
 * The wait before the next reminder: `operatorWaitMs` while operators work; while they are away,
 * until they are back, so the first reminder comes as the working hours start.
 */
export function operatorWaitDelay(context: DialogContext, event: DialogEvent): number {
  const opensAt = operatorsAwayUntil(context, event);
  return opensAt === null || event.stepAt === undefined ? context.settings.operatorWaitMs : Math.max(0, opensAt - event.stepAt);
}
