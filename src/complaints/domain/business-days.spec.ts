import {
  addBusinessDays,
  addCalendarDays,
  addHours,
  endOfUtcDay,
  instantMs,
  isBusinessDay,
  MONDAY_TO_FRIDAY_UTC,
  nthBusinessDayAfter,
  utcDate,
  type BusinessCalendar,
} from './business-days';

// 2026-11-20 is a Friday.
const FRIDAY_4PM = '2026-11-20T16:00:00.000Z';

describe('business days (Monday to Friday, UTC, no public holidays)', () => {
  it.each([
    ['2026-11-16', true],
    ['2026-11-20', true],
    ['2026-11-21', false],
    ['2026-11-22', false],
    ['2026-11-23', true],
  ])('%s is a business day: %p', (date, expected) => {
    expect(isBusinessDay(date)).toBe(expected);
  });

  it('judges an instant by its UTC date', () => {
    expect(isBusinessDay('2026-11-20T23:59:59.999Z')).toBe(true);
    expect(isBusinessDay('2026-11-21T00:00:00.000Z')).toBe(false);
    // Friday 23:30 in New York is already Saturday in UTC.
    expect(isBusinessDay('2026-11-20T23:30:00-05:00')).toBe(false);
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

  it('skips the holidays of a calendar that has them', () => {
    const withHoliday: BusinessCalendar = { ...MONDAY_TO_FRIDAY_UTC, name: 'test', holidays: ['2026-11-23'] };
    expect(isBusinessDay('2026-11-23', withHoliday)).toBe(false);
    expect(nthBusinessDayAfter(FRIDAY_4PM, 1, withHoliday)).toBe('2026-11-24');
    expect(addBusinessDays(FRIDAY_4PM, 3, { endOfDay: true, calendar: withHoliday })).toBe('2026-11-26T23:59:59.999Z');
  });

  it('keeps the time of day, or takes the end of the day', () => {
    expect(addBusinessDays(FRIDAY_4PM, 1)).toBe('2026-11-23T16:00:00.000Z');
    expect(addBusinessDays(FRIDAY_4PM, 1, { endOfDay: true })).toBe('2026-11-23T23:59:59.999Z');
    expect(endOfUtcDay('2026-11-23')).toBe('2026-11-23T23:59:59.999Z');
    expect(endOfUtcDay('2026-11-23T01:02:03+00:00')).toBe('2026-11-23T23:59:59.999Z');
  });

  it('adds calendar days and hours as elapsed time in UTC (no daylight saving)', () => {
    expect(addCalendarDays(FRIDAY_4PM, 56)).toBe('2027-01-15T16:00:00.000Z');
    expect(addCalendarDays('2026-03-28T12:00:00Z', 2)).toBe('2026-03-30T12:00:00.000Z');
    expect(addHours(FRIDAY_4PM, 24)).toBe('2026-11-21T16:00:00.000Z');
  });

  it('normalises instants to UTC', () => {
    expect(utcDate('2026-11-21T01:00:00+02:00')).toBe('2026-11-20');
    expect(addHours('2026-11-21T01:00:00+02:00', 0)).toBe('2026-11-20T23:00:00.000Z');
  });

  it('refuses malformed input', () => {
    expect(() => instantMs('next Tuesday')).toThrow(RangeError);
    expect(() => nthBusinessDayAfter(FRIDAY_4PM, -1)).toThrow(RangeError);
    expect(() => nthBusinessDayAfter(FRIDAY_4PM, 1.5)).toThrow(RangeError);
    expect(() => addCalendarDays(FRIDAY_4PM, -1)).toThrow(RangeError);
    expect(() => nthBusinessDayAfter(FRIDAY_4PM, 1, { name: 'never', weekendDays: [0, 1, 2, 3, 4, 5, 6], holidays: [] })).toThrow(
      RangeError,
    );
  });
});
