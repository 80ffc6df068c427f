/**
 * Business-day arithmetic for deadline policies. Pure: every function takes the instant it counts
 * from, nothing reads the clock.
 *
 * Days are UTC calendar days. A business day is a day that is neither a weekend day nor a holiday
 * of the calendar. No public-holiday calendar is modelled yet (UK bank holidays, US federal
 * holidays, AU national holidays all differ, and a regulator's "business day" follows them): every
 * calendar here has an empty `holidays` list, so a deadline that spans a holiday comes out one
 * business day earlier than the regulation strictly requires (the safe side). Adding a calendar
 * later means filling `holidays` (and, for a regime with a local "close of business", a time zone)
 * and naming the calendar in the regime's policy.
 */

export interface BusinessCalendar {
  /** A stable name, recorded in documentation and tests. */
  readonly name: string;
  /** UTC days of the week that are never business days: 0 = Sunday … 6 = Saturday. */
  readonly weekendDays: readonly number[];
  /** Dates that are not business days although they fall on a weekday, as `YYYY-MM-DD` (UTC). */
  readonly holidays: readonly string[];
}

/** Monday to Friday in UTC, with no public holidays. */
export const MONDAY_TO_FRIDAY_UTC: BusinessCalendar = { name: 'mon-fri-utc', weekendDays: [0, 6], holidays: [] };

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** Milliseconds since the epoch of an ISO-8601 instant; a malformed instant is a programming error. */
export function instantMs(instant: string): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO-8601 instant: ${JSON.stringify(instant)}`);
  return ms;
}

/** The UTC date (`YYYY-MM-DD`) an instant falls on. */
export function utcDate(instant: string): string {
  return new Date(instantMs(instant)).toISOString().slice(0, 10);
}

/** The last millisecond of a UTC date (or of the UTC day an instant falls on): `YYYY-MM-DDT23:59:59.999Z`. */
export function endOfUtcDay(dateOrInstant: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(dateOrInstant) ? dateOrInstant : utcDate(dateOrInstant);
  return `${date}T23:59:59.999Z`;
}

export function isBusinessDay(dateOrInstant: string, calendar: BusinessCalendar = MONDAY_TO_FRIDAY_UTC): boolean {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(dateOrInstant) ? dateOrInstant : utcDate(dateOrInstant);
  const weekday = new Date(`${date}T00:00:00.000Z`).getUTCDay();
  return !calendar.weekendDays.includes(weekday) && !calendar.holidays.includes(date);
}

function requireCount(count: number, what: string): void {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${count}`);
}

/**
 * The `n`th business day after the UTC day of `from`, as `YYYY-MM-DD`. The day of `from` itself
 * never counts, business day or not ("the Nth business day following the day it was received");
 * `n = 0` is the day of `from`.
 */
export function nthBusinessDayAfter(from: string, n: number, calendar: BusinessCalendar = MONDAY_TO_FRIDAY_UTC): string {
  requireCount(n, 'A business-day count');
  if (calendar.weekendDays.length >= 7) throw new RangeError(`Calendar ${calendar.name} has no business days`);
  let day = instantMs(`${utcDate(from)}T00:00:00.000Z`);
  for (let counted = 0; counted < n;) {
    day += DAY_MS;
    if (isBusinessDay(new Date(day).toISOString().slice(0, 10), calendar)) counted += 1;
  }
  return new Date(day).toISOString().slice(0, 10);
}

/** The instant `n` business days after `from`: the same UTC time of day, or the end of that day with `endOfDay`. */
export function addBusinessDays(from: string, n: number, options: { endOfDay?: boolean; calendar?: BusinessCalendar } = {}): string {
  const date = nthBusinessDayAfter(from, n, options.calendar);
  if (options.endOfDay) return endOfUtcDay(date);
  const timeOfDay = new Date(instantMs(from)).toISOString().slice(10);
  return `${date}${timeOfDay}`;
}

/** The instant `days` calendar days (of 24 hours: UTC has no daylight saving) after `from`. */
export function addCalendarDays(from: string, days: number): string {
  requireCount(days, 'A day count');
  return new Date(instantMs(from) + days * DAY_MS).toISOString();
}

export function addHours(from: string, hours: number): string {
  requireCount(hours, 'An hour count');
  return new Date(instantMs(from) + hours * HOUR_MS).toISOString();
}
