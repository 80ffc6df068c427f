import { localDate, localDayBounds } from '../domain/business-days';
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

/** The local calendar day that holds `now` in the zone, as UTC instants [start, end). */
export function localDay(now: Date, timeZone: string): { start: string; end: string } {
  return localDayBounds(localDate(now.toISOString(), timeZone), timeZone);
}

/** Each regime's today, as UTC instants. */
export function regimeDays(now: Date): Array<{ regime: Regime; start: string; end: string }> {
  return (Object.keys(REGIME_TIME_ZONES) as Regime[]).map((regime) => ({ regime, ...localDay(now, REGIME_TIME_ZONES[regime]) }));
}
