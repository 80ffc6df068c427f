import { loadConfig } from './app-config';

describe('deadline calendar settings', () => {
  it('default to the regimes’ own zones, national holidays and no closure days', () => {
    expect(loadConfig({}).deadlineCalendars).toEqual({ closures: [] });
  });

  it('read the US zone, the Australian zone and state, and the firm’s closure days', () => {
    expect(
      loadConfig({
        DEADLINE_US_TIME_ZONE: 'America/Chicago',
        DEADLINE_AU_TIME_ZONE: 'Australia/Melbourne',
        DEADLINE_AU_STATE: 'VIC',
        FIRM_CLOSURE_DAYS: '2026-12-24, 2026-12-31',
      }).deadlineCalendars,
    ).toEqual({
      usTimeZone: 'America/Chicago',
      australianTimeZone: 'Australia/Melbourne',
      australianState: 'VIC',
      closures: ['2026-12-24', '2026-12-31'],
    });
  });

  it.each([
    [{ DEADLINE_US_TIME_ZONE: 'America/Atlantis' }, /DEADLINE_US_TIME_ZONE must be an IANA time zone/],
    [{ DEADLINE_AU_TIME_ZONE: 'Sydney' }, /DEADLINE_AU_TIME_ZONE must be an IANA time zone/],
    [{ DEADLINE_AU_STATE: 'ZZ' }, /DEADLINE_AU_STATE must be one of ACT, NSW/],
    [{ FIRM_CLOSURE_DAYS: '2026-12-24,christmas' }, /FIRM_CLOSURE_DAYS must be comma-separated dates YYYY-MM-DD, got "christmas"/],
  ])('refuse %p', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
