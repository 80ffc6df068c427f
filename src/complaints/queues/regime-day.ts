import { localDate, localDayBounds } from '../domain/business-days';
import { REGIMES, type Regime } from '../domain/complaint.vocabulary';
import { businessCalendar, policyFor, type CalendarSettings } from '../domain/deadline-policies';

/**
 * Where a regime's "today" is: the zone of the calendar its deadline policy in force names, under the firm's calendar settings,
 * so that the desk's due-today queue and the due instants are counted in one zone (a CFPB firm's configured US zone, say).
 */
export function regimeTimeZone(regime: Regime, now: Date, settings: CalendarSettings): string {
  return businessCalendar(policyFor(regime, now.toISOString()).calendar, settings).timeZone;
}

/** The local calendar day that holds `now` in the zone, as UTC instants [start, end). */
export function localDay(now: Date, timeZone: string): { start: string; end: string } {
  return localDayBounds(localDate(now.toISOString(), timeZone), timeZone);
}

/** Each regime's today, as UTC instants, under the firm's calendar settings. */
export function regimeDays(now: Date, settings: CalendarSettings): Array<{ regime: Regime; start: string; end: string }> {
  return REGIMES.map((regime) => ({ regime, ...localDay(now, regimeTimeZone(regime, now, settings)) }));
}
