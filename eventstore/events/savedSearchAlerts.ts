import { z } from 'zod';

/**
 * When a saved search tells its worker about new matching jobs: at once
 * (`instant`, by percolating each published job), in a digest every hour, day
 * or week, or never.
 */
export const alertFrequencies = ['instant', 'hourly', 'daily', 'weekly', 'off'] as const;
export const AlertFrequency = z.enum(alertFrequencies);
export type AlertFrequency = z.infer<typeof AlertFrequency>;

/** Day numbers as JavaScript's getUTCDay and cron count them: 0 is Sunday. */
export const weekdayNames = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

export const defaultAlertSettings = { alertFrequency: 'instant', alertHour: 8, alertWeekday: 1, timeZone: 'UTC' } as const;

export const AlertHour = z.number().int().min(0).max(23).describe('local hour of a daily or weekly digest');

/** The day number of a weekday name, full or three letters, any case; -1 when it is none. */
export function weekdayNumber(name: string): number {
  const s = name.trim().toLowerCase();
  return weekdayNames.findIndex((n) => n === s || n.slice(0, 3) === s);
}

const weekdayMessage = 'must be 0-6 (0: Sunday) or a weekday name';
/** A weekday as 0-6 (0: Sunday) or its English name, checked only (the HTTP schema: no transforms, so OpenAPI shows it as sent). */
export const AlertWeekdayName = z
  .union([z.number().int().min(0).max(6), z.string().max(20).refine((s) => weekdayNumber(s) >= 0, weekdayMessage)])
  .describe('day of a weekly digest: 0-6 (0: Sunday) or a name like "monday"');
/** The same, given back as the number events store. */
export const AlertWeekday = z.union([
  z.number().int().min(0).max(6),
  z
    .string()
    .max(20)
    .refine((s) => weekdayNumber(s) >= 0, weekdayMessage)
    .transform(weekdayNumber),
]);

/** The canonical IANA name of a time zone Intl knows ('utc' -> 'UTC', 'US/Eastern' -> 'America/New_York'), or undefined. */
export function canonicalTimeZone(name: string): string | undefined {
  // Offsets and abbreviations are not zone names; Intl accepts a few of them.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const timeZoneMessage = 'must be an IANA time zone name like "Europe/Paris"';
/** An IANA time zone name as a client sends it, checked against Intl. */
export const TimeZoneName = z
  .string()
  .min(1)
  .max(64)
  .refine((name) => canonicalTimeZone(name) !== undefined, timeZoneMessage)
  .describe('IANA time zone of alertHour and alertWeekday, e.g. "America/Denver"');
/** The same, given back canonical. */
export const TimeZoneInput = TimeZoneName.transform((name) => canonicalTimeZone(name) ?? name);

/**
 * The alert settings as events store them. The time zone is only shaped here,
 * not looked up: a stored event must decode whatever time zone data the
 * reading process has.
 */
export const SavedSearchAlertSettings = z
  .object({
    alertFrequency: AlertFrequency,
    alertHour: AlertHour,
    alertWeekday: z.number().int().min(0).max(6),
    timeZone: z.string().min(1).max(64),
  })
  .strict();
export type SavedSearchAlertSettings = z.infer<typeof SavedSearchAlertSettings>;

/** The alert settings as a client gives them: every field optional, names accepted for weekdays. Checks only. */
export const SavedSearchAlertsFields = {
  alertFrequency: AlertFrequency.optional().describe('instant (default), hourly, daily, weekly or off'),
  alertHour: AlertHour.optional(),
  alertWeekday: AlertWeekdayName.optional(),
  timeZone: TimeZoneName.optional(),
};

/** The same settings normalised as events store them: weekday numbers, canonical time zones. */
export const SavedSearchAlertsInput = z
  .object({ ...SavedSearchAlertsFields, alertWeekday: AlertWeekday.optional(), timeZone: TimeZoneInput.optional() })
  .strict();
export type SavedSearchAlertsInput = z.input<typeof SavedSearchAlertsInput>;
