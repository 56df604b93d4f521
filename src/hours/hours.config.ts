import { z } from 'zod';
import { checkTimeZone, HoursSyntaxError, parseHolidays, parseHoursRules } from './working.hours';

/** The default `OPERATOR_TIMEZONE`: the bot speaks Russian first (OPERATOR_LANG=ru), and its operators' hours are most often Moscow's. */
export const DEFAULT_OPERATOR_TIMEZONE = 'Europe/Moscow';

/** Empty strings are unset (as everywhere in config.schema.ts, which spreads this section, so it cannot be imported from there). */
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** A string variable checked by one of the hours' readers; its message is the reader's hint. */
const readWith = (read: (text: string) => unknown) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .superRefine((value, ctx) => {
        if (value === undefined) return;
        try {
          read(value);
        } catch (error) {
          if (!(error instanceof HoursSyntaxError)) throw error;
          ctx.addIssue({ code: 'custom', message: error.message });
        }
      }),
  );

/**
 * The working hours' variables (issue 15), a section of the configuration's schema. Unset
 * `OPERATOR_HOURS` means always open, as before; the zone and holidays matter only with it.
 */
export const workingHoursVariables = {
  OPERATOR_HOURS: readWith(parseHoursRules),
  OPERATOR_TIMEZONE: z.preprocess((v) => blankToUndefined(v) ?? DEFAULT_OPERATOR_TIMEZONE, readWith(checkTimeZone).transform((v) => v ?? DEFAULT_OPERATOR_TIMEZONE)),
  OPERATOR_HOLIDAYS: readWith(parseHolidays),
};
