import { localDay, regimeDays, regimeTimeZone } from './regime-day';

describe('localDay: "today" in a regime\'s time zone', () => {
  it('is the UTC day in UTC', () => {
    expect(localDay(new Date('2026-03-02T23:30:00Z'), 'UTC')).toEqual({
      start: '2026-03-02T00:00:00.000Z',
      end: '2026-03-03T00:00:00.000Z',
    });
  });

  it('is already tomorrow in Sydney when it is late evening in London', () => {
    // 2026-03-02 22:00 UTC is 09:00 on 3 March in Sydney (AEDT, UTC+11).
    expect(localDay(new Date('2026-03-02T22:00:00Z'), 'Australia/Sydney')).toEqual({
      start: '2026-03-02T13:00:00.000Z',
      end: '2026-03-03T13:00:00.000Z',
    });
  });

  it('is still yesterday in New York early in the UTC morning', () => {
    // 2026-03-03 03:00 UTC is 22:00 on 2 March in New York (EST, UTC−5).
    expect(localDay(new Date('2026-03-03T03:00:00Z'), 'America/New_York')).toEqual({
      start: '2026-03-02T05:00:00.000Z',
      end: '2026-03-03T05:00:00.000Z',
    });
  });

  it('has 23 hours on the day London springs forward and 25 on the day it falls back', () => {
    const spring = localDay(new Date('2026-03-29T12:00:00Z'), 'Europe/London');
    expect(spring).toEqual({ start: '2026-03-29T00:00:00.000Z', end: '2026-03-29T23:00:00.000Z' });
    const autumn = localDay(new Date('2026-10-25T12:00:00Z'), 'Europe/London');
    expect(autumn).toEqual({ start: '2026-10-24T23:00:00.000Z', end: '2026-10-26T00:00:00.000Z' });
  });

  it('gives every regime its own day', () => {
    expect(regimeDays(new Date('2026-07-01T12:00:00Z'), {}).map(({ regime, start }) => [regime, start])).toEqual([
      ['default', '2026-07-01T00:00:00.000Z'],
      ['FCA', '2026-06-30T23:00:00.000Z'],
      ['CFPB', '2026-07-01T04:00:00.000Z'],
      ['ASIC', '2026-06-30T14:00:00.000Z'],
    ]);
  });

  it("given a firm whose CFPB and ASIC calendars are configured in Los Angeles and Perth, then those regimes' today is counted there", () => {
    const settings = { usTimeZone: 'America/Los_Angeles', australianTimeZone: 'Australia/Perth' };
    expect(regimeDays(new Date('2026-07-01T12:00:00Z'), settings).map(({ regime, start, end }) => [regime, start, end])).toEqual([
      ['default', '2026-07-01T00:00:00.000Z', '2026-07-02T00:00:00.000Z'],
      ['FCA', '2026-06-30T23:00:00.000Z', '2026-07-01T23:00:00.000Z'],
      // 05:00 in Los Angeles (PDT, UTC−7): its day started at 07:00 UTC.
      ['CFPB', '2026-07-01T07:00:00.000Z', '2026-07-02T07:00:00.000Z'],
      // 20:00 in Perth (AWST, UTC+8): its day started at 16:00 UTC the day before.
      ['ASIC', '2026-06-30T16:00:00.000Z', '2026-07-01T16:00:00.000Z'],
    ]);
    expect(regimeTimeZone('CFPB', new Date('2026-07-01T12:00:00Z'), settings)).toBe('America/Los_Angeles');
  });
});
