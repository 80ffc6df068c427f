import {
  addBusinessDays,
  addCalendarDays,
  addHours,
  closedBecause,
  endOfLocalDay,
  instantMs,
  isBusinessDay,
  isLocalDate,
  isTimeZone,
  localDate,
  MONDAY_TO_FRIDAY_UTC,
  nthBusinessDayAfter,
  type BusinessCalendar,
} from './business-days';
import { businessCalendar } from './deadline-policies';

// 2026-11-20 is a Friday.
const FRIDAY_4PM = '2026-11-20T16:00:00.000Z';
const ENGLAND = businessCalendar('england-and-wales');
const US = businessCalendar('us-federal');
const AUSTRALIA = businessCalendar('australia');

describe('business days (Monday to Friday, UTC, no public holidays: the house calendar)', () => {
  it.each([
    ['2026-11-16', true],
    ['2026-11-20', true],
    ['2026-11-21', false],
    ['2026-11-22', false],
    ['2026-11-23', true],
  ])('%s is a business day: %p', (date, expected) => {
    expect(isBusinessDay(date)).toBe(expected);
  });

  it('judges an instant by its date in the calendar zone', () => {
    expect(isBusinessDay('2026-11-20T23:59:59.999Z')).toBe(true);
    expect(isBusinessDay('2026-11-21T00:00:00.000Z')).toBe(false);
    // Friday 23:30 in New York is already Saturday in UTC.
    expect(isBusinessDay('2026-11-20T23:30:00-05:00')).toBe(false);
    // …and still Friday in New York.
    expect(isBusinessDay('2026-11-20T23:30:00-05:00', US)).toBe(true);
  });

  it.each([
    [FRIDAY_4PM, 1, '2026-11-23'], // Friday → Monday, over the weekend
    [FRIDAY_4PM, 3, '2026-11-25'], // → Wednesday
    [FRIDAY_4PM, 5, '2026-11-27'], // → the next Friday
    [FRIDAY_4PM, 6, '2026-11-30'], // → the Monday after
    ['2026-11-18T10:00:00Z', 3, '2026-11-23'], // Wednesday → Monday
    ['2026-11-21T10:00:00Z', 1, '2026-11-23'], // Saturday → Monday (the day of receipt never counts)
    ['2026-11-22T23:59:59Z', 1, '2026-11-23'], // Sunday night → Monday
    ['2026-11-23T00:00:00Z', 1, '2026-11-24'], // Monday → Tuesday
    ['2026-12-31T12:00:00Z', 1, '2027-01-01'], // over the year end (no holiday calendar: 1 January counts)
    ['2026-11-21T10:00:00Z', 0, '2026-11-21'], // 0 is the day itself
  ])('from %s, business day %i after is %s', (from, n, expected) => {
    expect(nthBusinessDayAfter(from, n)).toBe(expected);
  });

  it("skips the firm's closure days", () => {
    const withClosure: BusinessCalendar = { ...MONDAY_TO_FRIDAY_UTC, name: 'test', closures: ['2026-11-23'] };
    expect(closedBecause('2026-11-23', withClosure)).toBe('firm closure');
    expect(nthBusinessDayAfter(FRIDAY_4PM, 1, withClosure)).toBe('2026-11-24');
    expect(addBusinessDays(FRIDAY_4PM, 3, { endOfDay: true, calendar: withClosure })).toBe('2026-11-26T23:59:59.999Z');
  });

  it('keeps the time of day, or takes the end of the day', () => {
    expect(addBusinessDays(FRIDAY_4PM, 1)).toBe('2026-11-23T16:00:00.000Z');
    expect(addBusinessDays(FRIDAY_4PM, 1, { endOfDay: true })).toBe('2026-11-23T23:59:59.999Z');
    expect(endOfLocalDay('2026-11-23', 'UTC')).toBe('2026-11-23T23:59:59.999Z');
  });

  it('adds calendar days and hours (UTC has no daylight saving)', () => {
    expect(addCalendarDays(FRIDAY_4PM, 56)).toBe('2027-01-15T16:00:00.000Z');
    expect(addCalendarDays('2026-03-28T12:00:00Z', 2)).toBe('2026-03-30T12:00:00.000Z');
    expect(addHours(FRIDAY_4PM, 24)).toBe('2026-11-21T16:00:00.000Z');
  });

  it('normalises instants to UTC', () => {
    expect(localDate('2026-11-21T01:00:00+02:00', 'UTC')).toBe('2026-11-20');
    expect(addHours('2026-11-21T01:00:00+02:00', 0)).toBe('2026-11-20T23:00:00.000Z');
  });

  it('refuses malformed input', () => {
    expect(() => instantMs('next Tuesday')).toThrow(RangeError);
    expect(() => nthBusinessDayAfter(FRIDAY_4PM, -1)).toThrow(RangeError);
    expect(() => nthBusinessDayAfter(FRIDAY_4PM, 1.5)).toThrow(RangeError);
    expect(() => addCalendarDays(FRIDAY_4PM, -1)).toThrow(RangeError);
    const never: BusinessCalendar = { ...MONDAY_TO_FRIDAY_UTC, name: 'never', weekendDays: [0, 1, 2, 3, 4, 5, 6] };
    expect(() => nthBusinessDayAfter(FRIDAY_4PM, 1, never)).toThrow(RangeError);
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2028-02-29')).toBe(true);
  });
});

describe('England and Wales (Europe/London, bank holidays from date-holidays)', () => {
  it.each([
    ['Christmas Day 2025', '2025-12-25', 'public holiday'],
    ['Boxing Day 2025', '2025-12-26', 'public holiday'],
    ['Good Friday 2026', '2026-04-03', 'public holiday'],
    ['Easter Monday 2026', '2026-04-06', 'public holiday'],
    ['Boxing Day 2026, substitute Monday', '2026-12-28', 'public holiday'],
    ['Easter Sunday 2026', '2026-04-05', 'weekend'],
    ["Mother's Day 2026 (an observance, not a holiday)", '2026-03-15', 'weekend'],
    ['an ordinary Tuesday', '2026-04-07', undefined],
  ])('%s: %s is closed because %p', (_what, date, because) => {
    expect(closedBecause(date, ENGLAND)).toBe(because);
  });

  it.each([
    // Christmas Eve 2025 (Wednesday) → Christmas, Boxing Day, the weekend → Monday 29 December, end of day GMT.
    ['Christmas Eve 2025', '2025-12-24T10:00:00Z', '2025-12-29T23:59:59.999Z'],
    // Christmas Eve 2026 (Thursday) → Christmas (Fri), weekend, Boxing Day substitute (Mon 28) → Tuesday 29.
    ['Christmas Eve 2026', '2026-12-24T10:00:00Z', '2026-12-29T23:59:59.999Z'],
    // Maundy Thursday 2026 → Good Friday, weekend, Easter Monday → Tuesday 7 April, end of day BST.
    ['Maundy Thursday 2026', '2026-04-02T14:00:00Z', '2026-04-07T22:59:59.999Z'],
    // Sunday 23:30 UTC in summer is Monday 00:30 in London: the next business day is Tuesday.
    ['Sunday 23:30 UTC in BST (Monday 00:30 London)', '2026-06-14T23:30:00Z', '2026-06-16T22:59:59.999Z'],
    // One second before local midnight is still Sunday in London: Monday.
    ['Sunday 23:59:59 London (BST)', '2026-06-14T22:59:59Z', '2026-06-15T22:59:59.999Z'],
    ['Monday 00:00 London (BST)', '2026-06-14T23:00:00Z', '2026-06-16T22:59:59.999Z'],
    ['Sunday 23:59:59 London (GMT)', '2026-01-11T23:59:59Z', '2026-01-12T23:59:59.999Z'],
    ['Monday 00:00 London (GMT)', '2026-01-12T00:00:00Z', '2026-01-13T23:59:59.999Z'],
    // The week the clocks go forward (Sunday 29 March 2026): Friday GMT → Monday, end of day BST.
    ['Friday before the clocks go forward', '2026-03-27T16:00:00Z', '2026-03-30T22:59:59.999Z'],
    // The week the clocks go back (Sunday 25 October 2026): Friday BST → Monday, end of day GMT.
    ['Friday before the clocks go back', '2026-10-23T15:00:00Z', '2026-10-26T23:59:59.999Z'],
  ])('%s (received %s): the next business day ends at %s', (_when, from, expected) => {
    expect(addBusinessDays(from, 1, { endOfDay: true, calendar: ENGLAND })).toBe(expected);
  });

  it('"end of day" is local midnight, summer and winter', () => {
    expect(endOfLocalDay('2026-07-01', 'Europe/London')).toBe('2026-07-01T22:59:59.999Z');
    expect(endOfLocalDay('2026-01-01', 'Europe/London')).toBe('2026-01-01T23:59:59.999Z');
    // The day the clocks go back is 25 hours long; the day they go forward, 23.
    expect(endOfLocalDay('2026-10-25', 'Europe/London')).toBe('2026-10-25T23:59:59.999Z');
    expect(endOfLocalDay('2026-03-29', 'Europe/London')).toBe('2026-03-29T22:59:59.999Z');
  });

  it('calendar days keep the London time of day across a clock change', () => {
    // Friday 16:00 GMT + 8 weeks → Friday 22 May 16:00 BST.
    expect(addCalendarDays('2026-03-27T16:00:00Z', 56, { calendar: ENGLAND })).toBe('2026-05-22T15:00:00.000Z');
    // Friday 16:00 BST + 1 week → Friday 30 October 16:00 GMT.
    expect(addCalendarDays('2026-10-23T15:00:00Z', 7, { calendar: ENGLAND })).toBe('2026-10-30T16:00:00.000Z');
    // 01:30 on the day the clocks go forward never happens: read as 02:30 BST.
    expect(addCalendarDays('2026-03-28T01:30:00Z', 1, { calendar: ENGLAND })).toBe('2026-03-29T01:30:00.000Z');
    // 01:30 on the day they go back happens twice: the first (BST) one counts.
    expect(addCalendarDays('2026-10-24T00:30:00Z', 1, { calendar: ENGLAND })).toBe('2026-10-25T00:30:00.000Z');
  });

  it("adds the firm's closure days to the bank holidays", () => {
    const closedOnChristmasEve = businessCalendar('england-and-wales', { closures: ['2026-12-24'] });
    expect(addBusinessDays('2026-12-23T10:00:00Z', 1, { endOfDay: true, calendar: ENGLAND })).toBe('2026-12-24T23:59:59.999Z');
    expect(addBusinessDays('2026-12-23T10:00:00Z', 1, { endOfDay: true, calendar: closedOnChristmasEve })).toBe('2026-12-29T23:59:59.999Z');
  });
});

describe('US federal (America/New_York unless the firm says otherwise)', () => {
  it.each([
    ['Thanksgiving 2026', '2026-11-26', 'public holiday'],
    ['Independence Day 2026, observed on Friday 3 July', '2026-07-03', 'public holiday'],
    ['Juneteenth 2026', '2026-06-19', 'public holiday'],
    ['Martin Luther King Jr. Day 2026', '2026-01-19', 'public holiday'],
    ['the day after Thanksgiving (not federal)', '2026-11-27', undefined],
  ])('%s: %s is closed because %p', (_what, date, because) => {
    expect(closedBecause(date, US)).toBe(because);
  });

  it.each([
    // Wednesday before Thanksgiving → Friday 27 November, end of day EST.
    ['the day before Thanksgiving', '2026-11-25T15:00:00Z', '2026-11-28T04:59:59.999Z'],
    // Tuesday 23:59:59 in New York is still Tuesday → Wednesday; a second later it is Wednesday → Friday.
    ['Tuesday 23:59:59 New York', '2026-11-25T04:59:59Z', '2026-11-26T04:59:59.999Z'],
    ['Wednesday 00:00 New York', '2026-11-25T05:00:00Z', '2026-11-28T04:59:59.999Z'],
    // Thursday 2 July → the observed Independence Day, the weekend → Monday 6 July, end of day EDT.
    ['the day before the observed Independence Day', '2026-07-02T15:00:00Z', '2026-07-07T03:59:59.999Z'],
    // The week the clocks go forward (Sunday 8 March 2026): Friday EST → Monday, end of day EDT.
    ['Friday before the clocks go forward', '2026-03-06T21:00:00Z', '2026-03-10T03:59:59.999Z'],
  ])('%s (received %s): the next business day ends at %s', (_when, from, expected) => {
    expect(addBusinessDays(from, 1, { endOfDay: true, calendar: US })).toBe(expected);
  });

  it('counts in the zone the firm configured', () => {
    const pacific = businessCalendar('us-federal', { usTimeZone: 'America/Los_Angeles' });
    // Tuesday 22:00 in Los Angeles is Wednesday in New York.
    expect(addBusinessDays('2026-11-25T06:00:00Z', 1, { endOfDay: true, calendar: pacific })).toBe('2026-11-26T07:59:59.999Z');
    expect(addBusinessDays('2026-11-25T06:00:00Z', 1, { endOfDay: true, calendar: US })).toBe('2026-11-28T04:59:59.999Z');
  });
});

describe('Australia (national holidays, Australia/Sydney unless the firm says otherwise)', () => {
  it.each([
    ['Australia Day 2026', '2026-01-26', 'public holiday'],
    ['Good Friday 2026', '2026-04-03', 'public holiday'],
    ['Easter Monday 2026', '2026-04-06', 'public holiday'],
    ['Boxing Day 2026, substitute Monday', '2026-12-28', 'public holiday'],
    ['Melbourne Cup 2026 (Victoria only)', '2026-11-03', undefined],
  ])('%s: %s is closed because %p', (_what, date, because) => {
    expect(closedBecause(date, AUSTRALIA)).toBe(because);
  });

  it.each([
    // Friday 23 January → weekend, Australia Day (Mon 26) → Tuesday 27, end of day AEDT.
    ['the Friday before Australia Day', '2026-01-22T23:00:00Z', '2026-01-27T12:59:59.999Z'],
    // Maundy Thursday → Good Friday, weekend (the clocks go back on Easter Sunday), Easter Monday → Tuesday, end of day AEST.
    ['Maundy Thursday 2026', '2026-04-01T23:00:00Z', '2026-04-07T13:59:59.999Z'],
    // The week the clocks go forward (Sunday 4 October 2026): Friday AEST → Monday 5 October (Labour Day in NSW only), AEDT.
    ['Friday before the clocks go forward', '2026-10-01T23:00:00Z', '2026-10-05T12:59:59.999Z'],
  ])('%s (received %s): the next business day ends at %s', (_when, from, expected) => {
    expect(addBusinessDays(from, 1, { endOfDay: true, calendar: AUSTRALIA })).toBe(expected);
  });

  it("adds the configured state's holidays to the national ones", () => {
    const victoria = businessCalendar('australia', { australianState: 'VIC', australianTimeZone: 'Australia/Melbourne' });
    expect(closedBecause('2026-11-03', victoria)).toBe('public holiday');
    // Monday 2 November → Melbourne Cup Day → Wednesday 4 November, end of day AEDT.
    expect(addBusinessDays('2026-11-01T23:00:00Z', 1, { endOfDay: true, calendar: victoria })).toBe('2026-11-04T12:59:59.999Z');
    expect(addBusinessDays('2026-11-01T23:00:00Z', 1, { endOfDay: true, calendar: AUSTRALIA })).toBe('2026-11-03T12:59:59.999Z');
  });

  it('"end of day" is local midnight, in daylight saving time and out of it', () => {
    expect(endOfLocalDay('2026-01-15', 'Australia/Sydney')).toBe('2026-01-15T12:59:59.999Z');
    expect(endOfLocalDay('2026-07-15', 'Australia/Sydney')).toBe('2026-07-15T13:59:59.999Z');
  });
});
