import type { Regime } from '../domain/complaint.vocabulary';

/**
 * Where each regime's "today" is: the desk's due-today queue counts a case's day in its regime's zone, not the server's.
 * (CFPB firms configure their own US zone in the deadline calendars; the queue uses New York, the Bureau's.)
 */
export const REGIME_TIME_ZONES: Readonly<Record<Regime, string>> = {
  default: 'UTC',
  FCA: 'Europe/London',
  CFPB: 'America/New_York',
  ASIC: 'Australia/Sydney',
};

/** The zone's offset from UTC at `instant`, in milliseconds (positive east of Greenwich). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(instant))
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  );
  const asUtc = Date.UTC(parts['year'], parts['month'] - 1, parts['day'], parts['hour'], parts['minute'], parts['second']);
  return asUtc - (instant - (instant % 1000));
}

/** The UTC instant of local midnight starting the given local date in the zone. */
function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - zoneOffsetMs(guess, timeZone);
  // The offset at midnight itself may differ from the guess's (a DST change that day): correct once more.
  return guess - zoneOffsetMs(first, timeZone);
}

/** The local calendar day that holds `now` in the zone, as UTC instants [start, end). */
export function localDay(now: Date, timeZone: string): { start: string; end: string } {
  const local = new Date(now.getTime() + zoneOffsetMs(now.getTime(), timeZone));
  const [year, month, day] = [local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate()];
  const next = new Date(Date.UTC(year, month - 1, day + 1));
  return {
    start: new Date(localMidnight(year, month, day, timeZone)).toISOString(),
    end: new Date(localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone)).toISOString(),
  };
}

/** Each regime's today, as UTC instants. */
export function regimeDays(now: Date): Array<{ regime: Regime; start: string; end: string }> {
  return (Object.keys(REGIME_TIME_ZONES) as Regime[]).map((regime) => ({ regime, ...localDay(now, REGIME_TIME_ZONES[regime]) }));
}
