/**
 * Business-day and calendar-day arithmetic for deadline policies, in a calendar's own time zone. Pure: every function takes the
 * instant it counts from, nothing reads the clock.
 *
 * A calendar names an IANA time zone, its weekend days, the public holidays it follows (from the maintained `date-holidays`
 * data, by country, region and holiday types) and the firm's own extra closure days. Days are the calendar's local days:
 * "the next business day" of a complaint received on Sunday 23:30 UTC in London (Monday 00:30 BST) is Tuesday, and "end of
 * day" is local midnight, whether or not daylight saving is in force. Time-zone offsets come from `Intl` (the ICU data Node
 * ships), never from a table of our own.
 */
import Holidays, { type HolidaysTypes } from 'date-holidays';

export type HolidayType = HolidaysTypes.HolidayType;

/** The public holidays a calendar follows, as `date-holidays` names them. */
export interface PublicHolidays {
  /** ISO 3166-1 country code: `GB`, `US`, `AU`. */
  readonly country: string;
  /** The state or region, as `date-holidays` codes it: `ENG` (England), `NSW`; absent: the country's national holidays. */
  readonly region?: string;
  /** Which kinds of `date-holidays` entries close the firm (observances such as Mother's Day never do). */
  readonly types: readonly HolidayType[];
}

export interface BusinessCalendar {
  /** A stable name, shown in documentation and tests. */
  readonly name: string;
  /** IANA time zone the calendar's days and "end of day" are counted in. */
  readonly timeZone: string;
  /** Local days of the week that are never business days: 0 = Sunday … 6 = Saturday. */
  readonly weekendDays: readonly number[];
  /** Public holidays from `date-holidays`; absent: none. */
  readonly publicHolidays?: PublicHolidays;
  /** The firm's extra closure days, as local dates `YYYY-MM-DD`. */
  readonly closures: readonly string[];
}

/** Monday to Friday in UTC, with no public holidays: the calendar of the house (`default`) policy and of retired policy versions. */
export const MONDAY_TO_FRIDAY_UTC: BusinessCalendar = { name: 'mon-fri-utc', timeZone: 'UTC', weekendDays: [0, 6], closures: [] };

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Milliseconds since the epoch of an ISO-8601 instant; a malformed instant is a programming error. */
export function instantMs(instant: string): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO-8601 instant: ${JSON.stringify(instant)}`);
  return ms;
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Whether `date` is a real calendar date written `YYYY-MM-DD`. */
export function isLocalDate(date: string): boolean {
  return DATE.test(date) && new Date(`${date}T00:00:00.000Z`).toISOString().startsWith(date);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** How many zone-hours' offsets are kept (all forgotten at once past it). */
const KEPT_OFFSETS = 10_000;
/** `<zone> <UTC hour>` → the zone's offset throughout that hour, or null when it changes within the hour. */
const offsets = new Map<string, number | null>();

/**
 * The wall-clock reading in `timeZone` at `ms`, written as if it were a UTC instant (so date arithmetic on it is plain UTC).
 * Asking ICU costs microseconds and deadlines ask many times per command, so the zone's offset is kept per UTC hour: when it
 * is the same at both ends of the hour (no zone changes its offset twice within an hour), it holds throughout.
 */
function wallClockMs(ms: number, timeZone: string): number {
  const hour = Math.floor(ms / HOUR_MS);
  const key = `${timeZone} ${hour}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const start = hour * HOUR_MS;
    const end = start + HOUR_MS - 1;
    const atStart = readWallClockMs(start, timeZone) - start;
    offset = readWallClockMs(end, timeZone) - end === atStart ? atStart : null;
    if (offsets.size >= KEPT_OFFSETS) offsets.clear();
    offsets.set(key, offset);
  }
  return offset === null ? readWallClockMs(ms, timeZone) : ms + offset;
}

function readWallClockMs(ms: number, timeZone: string): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const { type, value } of formatterFor(timeZone).formatToParts(ms)) {
    if (type === 'year') year = Number(value);
    else if (type === 'month') month = Number(value);
    else if (type === 'day') day = Number(value);
    else if (type === 'hour') hour = Number(value);
    else if (type === 'minute') minute = Number(value);
    else if (type === 'second') second = Number(value);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) + (((ms % 1000) + 1000) % 1000);
}

/**
 * The instant a local wall-clock reading (`wall`, written as if UTC) happens in `timeZone`. A reading that happens twice (the
 * hour the clocks go back) is its first occurrence; one that never happens (the hour they go forward) is read with the offset
 * in force before the change, i.e. the same distance past the change.
 */
function instantOfWallClock(wall: number, timeZone: string): number {
  const offsets = [wall - DAY_MS, wall + DAY_MS].map((probe) => wallClockMs(probe, timeZone) - probe);
  const candidates = offsets.map((offset) => wall - offset);
  const real = candidates.filter((candidate) => wallClockMs(candidate, timeZone) === wall);
  return real.length > 0 ? Math.min(...real) : candidates[0];
}

/** The local date (`YYYY-MM-DD`) an instant falls on in `timeZone`. */
export function localDate(instant: string, timeZone: string): string {
  return new Date(wallClockMs(instantMs(instant), timeZone)).toISOString().slice(0, 10);
}

function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** A local date in `timeZone` as UTC instants [its local midnight, the next one): DST days are 23 or 25 hours long. */
export function localDayBounds(date: string, timeZone: string): { start: string; end: string } {
  const midnight = (day: string) => new Date(instantOfWallClock(Date.parse(`${day}T00:00:00.000Z`), timeZone)).toISOString();
  return { start: midnight(date), end: midnight(plusDays(date, 1)) };
}

/** The last millisecond of a local date in `timeZone`: one millisecond before the next local midnight. */
export function endOfLocalDay(date: string, timeZone: string): string {
  return new Date(instantOfWallClock(Date.parse(`${plusDays(date, 1)}T00:00:00.000Z`), timeZone) - 1).toISOString();
}

/** The instant of the same local time of day as `instant`, on local date `date`, in `timeZone`. */
function sameWallTimeOn(instant: string, date: string, timeZone: string): string {
  const timeOfDay = new Date(wallClockMs(instantMs(instant), timeZone)).toISOString().slice(10);
  return new Date(instantOfWallClock(Date.parse(`${date}${timeOfDay}`), timeZone)).toISOString();
}

const holidayCache = new Map<string, ReadonlySet<string>>();

/** The local dates of a year that are holidays of the given kinds, from `date-holidays` (cached per country, region, year). */
export function holidayDates(holidays: PublicHolidays, year: number): ReadonlySet<string> {
  const key = `${holidays.country}/${holidays.region ?? ''}/${[...holidays.types].sort().join(',')}/${year}`;
  let dates = holidayCache.get(key);
  if (!dates) {
    const source = holidays.region ? new Holidays(holidays.country, holidays.region) : new Holidays(holidays.country);
    dates = new Set(
      (source.getHolidays(year) || [])
        .filter((holiday) => holidays.types.includes(holiday.type))
        .map((holiday) => holiday.date.slice(0, 10)),
    );
    holidayCache.set(key, dates);
  }
  return dates;
}

/** Whether `date-holidays` knows the country (and state or region) a calendar names. */
export function knowsHolidays(country: string, region?: string): boolean {
  const holidays = new Holidays();
  if (!Object.hasOwn(holidays.getCountries() ?? {}, country)) return false;
  return region === undefined || Object.hasOwn(holidays.getStates(country) ?? {}, region);
}

/** Why a local date is not a business day of the calendar, or undefined when it is one. */
export function closedBecause(date: string, calendar: BusinessCalendar): 'weekend' | 'public holiday' | 'firm closure' | undefined {
  const weekday = new Date(`${date}T00:00:00.000Z`).getUTCDay();
  if (calendar.weekendDays.includes(weekday)) return 'weekend';
  if (calendar.publicHolidays && holidayDates(calendar.publicHolidays, Number(date.slice(0, 4))).has(date)) return 'public holiday';
  if (calendar.closures.includes(date)) return 'firm closure';
  return undefined;
}

/** Whether a local date (or the local date an instant falls on in the calendar's zone) is a business day. */
export function isBusinessDay(dateOrInstant: string, calendar: BusinessCalendar = MONDAY_TO_FRIDAY_UTC): boolean {
  const date = DATE.test(dateOrInstant) ? dateOrInstant : localDate(dateOrInstant, calendar.timeZone);
  return closedBecause(date, calendar) === undefined;
}

function requireCount(count: number, what: string): void {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${count}`);
}

/**
 * The `n`th business day after the local day of `from`, as `YYYY-MM-DD`. The day of `from` itself never counts, business day
 * or not ("the Nth business day following the day it was received"); `n = 0` is the day of `from`.
 */
export function nthBusinessDayAfter(from: string, n: number, calendar: BusinessCalendar = MONDAY_TO_FRIDAY_UTC): string {
  requireCount(n, 'A business-day count');
  if (calendar.weekendDays.length >= 7) throw new RangeError(`Calendar ${calendar.name} has no business days`);
  let day = localDate(from, calendar.timeZone);
  for (let counted = 0; counted < n;) {
    day = plusDays(day, 1);
    if (isBusinessDay(day, calendar)) counted += 1;
  }
  return day;
}

/** The instant `n` business days after `from`: the same local time of day, or the end of that local day with `endOfDay`. */
export function addBusinessDays(from: string, n: number, options: { endOfDay?: boolean; calendar?: BusinessCalendar } = {}): string {
  const calendar = options.calendar ?? MONDAY_TO_FRIDAY_UTC;
  const date = nthBusinessDayAfter(from, n, calendar);
  return options.endOfDay ? endOfLocalDay(date, calendar.timeZone) : sameWallTimeOn(from, date, calendar.timeZone);
}

/**
 * The instant `days` calendar days after `from`: the same local time of day `days` local dates later (so a week that
 * crosses a daylight-saving change is 167 or 169 hours), or the end of that local day with `endOfDay`.
 */
export function addCalendarDays(from: string, days: number, options: { endOfDay?: boolean; calendar?: BusinessCalendar } = {}): string {
  requireCount(days, 'A day count');
  const { timeZone } = options.calendar ?? MONDAY_TO_FRIDAY_UTC;
  const date = plusDays(localDate(from, timeZone), days);
  return options.endOfDay ? endOfLocalDay(date, timeZone) : sameWallTimeOn(from, date, timeZone);
}

/** Elapsed hours: a time zone makes no difference. */
export function addHours(from: string, hours: number): string {
  requireCount(hours, 'An hour count');
  return new Date(instantMs(from) + hours * HOUR_MS).toISOString();
}
