import { REGIMES } from './complaint.vocabulary';
import {
  businessCalendar,
  cancelsDeadline,
  DEADLINE_KINDS,
  DEADLINE_MET_BY,
  DEADLINE_POLICIES,
  deadlinesOnReceipt,
  deadlinesOnReopen,
  dueAt,
  followUpDeadline,
  isSummaryResolution,
  meetsDeadline,
  policyByVersion,
  policyFor,
  POLICIES_BEFORE_CALENDARS,
  RETIRED_DEADLINE_POLICIES,
  ruleFor,
  summaryResolutionEndsAt,
  validateCalendarSettings,
  type DeadlinePolicy,
} from './deadline-policies';

// 2026-11-20 is a Friday (GMT in London, EST in New York, AEDT in Sydney).
const FRIDAY_4PM = '2026-11-20T16:00:00.000Z';
const CURRENT_VERSION = { default: 'default@2026-01', FCA: 'FCA@2026-11', CFPB: 'CFPB@2026-11', ASIC: 'ASIC@2026-11' } as const;

describe('deadline policies', () => {
  describe('the policy data', () => {
    it.each(REGIMES)('%s has a version in force from 2000-01-01', (regime) => {
      expect(policyFor(regime, '2000-01-01T00:00:00Z')).toMatchObject({
        regime,
        version: CURRENT_VERSION[regime],
        effectiveFrom: '2000-01-01T00:00:00Z',
      });
    });

    it('each regime names its calendar: time zone and public holidays', () => {
      const calendars = Object.fromEntries(DEADLINE_POLICIES.map((policy) => [policy.regime, businessCalendar(policy.calendar)]));
      expect(calendars['FCA']).toMatchObject({ timeZone: 'Europe/London', publicHolidays: { country: 'GB', region: 'ENG' } });
      expect(calendars['CFPB']).toMatchObject({ timeZone: 'America/New_York', publicHolidays: { country: 'US' } });
      expect(calendars['ASIC']).toMatchObject({ timeZone: 'Australia/Sydney', publicHolidays: { country: 'AU' } });
      expect(calendars['default']).toMatchObject({ timeZone: 'UTC' });
      expect(calendars['default'].publicHolidays).toBeUndefined();
    });

    it('versions are unique (retired ones included), each cites its source, sets each kind at most once and has a 7-day follow-up', () => {
      const all = [...DEADLINE_POLICIES, ...RETIRED_DEADLINE_POLICIES];
      expect(new Set(all.map((policy) => policy.version)).size).toBe(all.length);
      for (const policy of all) {
        expect(policy.source.length).toBeGreaterThan(0);
        expect(Number.isNaN(Date.parse(policy.effectiveFrom))).toBe(false);
        const kinds = policy.rules.map((rule) => rule.kind);
        expect(new Set(kinds).size).toBe(kinds.length);
        expect(ruleFor(policy, 'follow-up')).toEqual({ kind: 'follow-up', calendarDays: 7 });
      }
    });

    it('retired versions are found by version, never chosen for a new case', () => {
      expect(policyByVersion('FCA@2026-01')?.calendar).toBe('mon-fri-utc');
      expect(policyFor('FCA', FRIDAY_4PM).version).toBe('FCA@2026-11');
      expect(POLICIES_BEFORE_CALENDARS.map((policy) => policy.version).sort()).toEqual([
        'ASIC@2026-01',
        'CFPB@2026-01',
        'FCA@2026-01',
        'default@2026-01',
      ]);
    });

    it.each([
      [{ usTimeZone: 'America/Nowhere' }, /usTimeZone must be an IANA time zone/],
      [{ australianTimeZone: 'Sydney' }, /australianTimeZone must be an IANA time zone/],
      [{ australianState: 'XYZ' }, /australianState must be an Australian state/],
      [{ closures: ['2026-12-24', '24/12/2026'] }, /closures must be dates written YYYY-MM-DD, got "24\/12\/2026"/],
    ])('refuses the calendar settings %p', (settings, message) => {
      expect(() => validateCalendarSettings(settings)).toThrow(message);
    });
  });

  describe('due instants on receipt', () => {
    it('default: acknowledgement in 24 h, final response in 14 calendar days', () => {
      expect(deadlinesOnReceipt('default', FRIDAY_4PM)).toEqual([
        { kind: 'acknowledgement', dueAt: '2026-11-21T16:00:00.000Z', policyVersion: 'default@2026-01' },
        { kind: 'final-response', dueAt: '2026-12-04T16:00:00.000Z', policyVersion: 'default@2026-01' },
      ]);
    });

    it('FCA: acknowledgement by the end of the next London business day (Friday → Monday), final response in 8 weeks', () => {
      expect(deadlinesOnReceipt('FCA', FRIDAY_4PM)).toEqual([
        { kind: 'acknowledgement', dueAt: '2026-11-23T23:59:59.999Z', policyVersion: 'FCA@2026-11' },
        { kind: 'final-response', dueAt: '2027-01-15T16:00:00.000Z', policyVersion: 'FCA@2026-11' },
      ]);
    });

    it.each([
      ['Monday morning', '2026-11-23T08:00:00Z', '2026-11-24T23:59:59.999Z'],
      ['Thursday night', '2026-11-19T23:59:59.999Z', '2026-11-20T23:59:59.999Z'],
      ['Saturday', '2026-11-21T10:00:00Z', '2026-11-23T23:59:59.999Z'],
      ['Sunday', '2026-11-22T10:00:00Z', '2026-11-23T23:59:59.999Z'],
      ['on Christmas Eve 2025', '2025-12-24T10:00:00Z', '2025-12-29T23:59:59.999Z'],
      ['on Maundy Thursday 2026', '2026-04-02T10:00:00Z', '2026-04-07T22:59:59.999Z'],
      ['Sunday 23:30 UTC in summer (Monday 00:30 in London)', '2026-06-14T23:30:00Z', '2026-06-16T22:59:59.999Z'],
    ])('FCA: a complaint received %s is acknowledged by %s', (_when, receivedAt, expected) => {
      expect(deadlinesOnReceipt('FCA', receivedAt)[0]).toEqual({ kind: 'acknowledgement', dueAt: expected, policyVersion: 'FCA@2026-11' });
    });

    it('FCA: 8 weeks are counted in London time across the clock change', () => {
      // Friday 27 March 2026 16:00 GMT → Friday 22 May 16:00 BST.
      expect(deadlinesOnReceipt('FCA', '2026-03-27T16:00:00Z')[1]).toEqual({
        kind: 'final-response',
        dueAt: '2026-05-22T15:00:00.000Z',
        policyVersion: 'FCA@2026-11',
      });
    });

    it('FCA: a closure day of the firm moves the acknowledgement', () => {
      const settings = { closures: ['2026-11-23'] };
      expect(deadlinesOnReceipt('FCA', FRIDAY_4PM, { settings })[0].dueAt).toBe('2026-11-24T23:59:59.999Z');
    });

    it('CFPB: no acknowledgement deadline; substantive response in 15 calendar days, final in 60, at the New York time of day', () => {
      expect(deadlinesOnReceipt('CFPB', FRIDAY_4PM)).toEqual([
        { kind: 'substantive-response', dueAt: '2026-12-05T16:00:00.000Z', policyVersion: 'CFPB@2026-11' },
        { kind: 'final-response', dueAt: '2027-01-19T16:00:00.000Z', policyVersion: 'CFPB@2026-11' },
      ]);
      // Friday 6 March 2026 16:00 EST → Saturday 21 March 16:00 EDT; calendar days ignore federal holidays (Memorial Day).
      expect(deadlinesOnReceipt('CFPB', '2026-03-06T21:00:00Z')).toEqual([
        { kind: 'substantive-response', dueAt: '2026-03-21T20:00:00.000Z', policyVersion: 'CFPB@2026-11' },
        { kind: 'final-response', dueAt: '2026-05-05T20:00:00.000Z', policyVersion: 'CFPB@2026-11' },
      ]);
    });

    it('ASIC RG 271: acknowledgement in 24 h (even over a weekend), final response in 30 calendar days at the Sydney time of day', () => {
      expect(deadlinesOnReceipt('ASIC', FRIDAY_4PM)).toEqual([
        { kind: 'acknowledgement', dueAt: '2026-11-21T16:00:00.000Z', policyVersion: 'ASIC@2026-11' },
        { kind: 'final-response', dueAt: '2026-12-20T16:00:00.000Z', policyVersion: 'ASIC@2026-11' },
      ]);
      // Friday 20 March 2026 10:00 AEDT → Sunday 19 April 10:00 AEST (daylight saving ended on 5 April).
      expect(deadlinesOnReceipt('ASIC', '2026-03-19T23:00:00Z')[1].dueAt).toBe('2026-04-19T00:00:00.000Z');
    });

    it('accepts any ISO-8601 offset and answers in UTC', () => {
      expect(deadlinesOnReceipt('default', '2026-11-20T17:00:00+01:00')[0].dueAt).toBe('2026-11-21T16:00:00.000Z');
    });

    it('refuses a malformed instant', () => {
      expect(() => deadlinesOnReceipt('default', 'yesterday')).toThrow(RangeError);
    });

    it('the policies before calendars gave the UTC dates old cases keep', () => {
      expect(deadlinesOnReceipt('FCA', '2025-12-24T10:00:00Z', { policies: POLICIES_BEFORE_CALENDARS })[0]).toEqual({
        kind: 'acknowledgement',
        dueAt: '2025-12-25T23:59:59.999Z',
        policyVersion: 'FCA@2026-01',
      });
    });
  });

  describe('follow-up and reopen', () => {
    it.each(REGIMES)('%s: the follow-up is due 7 days after the resolution', (regime) => {
      expect(followUpDeadline({ regime, receivedAt: FRIDAY_4PM }, '2026-11-25T10:30:00Z')).toEqual({
        kind: 'follow-up',
        dueAt: '2026-12-02T10:30:00.000Z',
        policyVersion: CURRENT_VERSION[regime],
      });
    });

    it('a reopen starts a new final response counted from the reopen, under the version the case recorded', () => {
      expect(deadlinesOnReopen({ regime: 'FCA', receivedAt: FRIDAY_4PM }, '2027-02-01T09:00:00Z')).toEqual([
        { kind: 'final-response', dueAt: '2027-03-29T08:00:00.000Z', policyVersion: 'FCA@2026-11' },
      ]);
      expect(deadlinesOnReopen({ regime: 'FCA', receivedAt: FRIDAY_4PM, policyVersion: 'FCA@2026-01' }, '2027-02-01T09:00:00Z')).toEqual([
        { kind: 'final-response', dueAt: '2027-03-29T09:00:00.000Z', policyVersion: 'FCA@2026-01' },
      ]);
      expect(deadlinesOnReopen({ regime: 'CFPB', receivedAt: FRIDAY_4PM }, '2027-02-01T09:00:00Z')).toEqual([
        { kind: 'final-response', dueAt: '2027-04-02T08:00:00.000Z', policyVersion: 'CFPB@2026-11' },
      ]);
    });
  });

  describe('the summary route (FCA DISP 1.5: 3 business days; ASIC RG 271: 5 business days)', () => {
    const FCA = { regime: 'FCA', receivedAt: FRIDAY_4PM } as const;

    it('the window of a Friday complaint ends on Wednesday night, London time', () => {
      expect(summaryResolutionEndsAt(FCA)).toBe('2026-11-25T23:59:59.999Z');
      // Christmas Eve 2026 → Christmas, weekend, Boxing Day substitute → Tue, Wed, Thu 31 December.
      expect(summaryResolutionEndsAt({ regime: 'FCA', receivedAt: '2026-12-24T10:00:00Z' })).toBe('2026-12-31T23:59:59.999Z');
    });

    it.each([
      ['the same day', '2026-11-20T17:00:00Z', true],
      ['the last millisecond of the 3rd business day', '2026-11-25T23:59:59.999Z', true],
      ['the first millisecond after it', '2026-11-26T00:00:00.000Z', false],
      ['weeks later', '2027-01-10T12:00:00Z', false],
    ])('resolved %s: %p', (_when, resolvedAt, expected) => {
      expect(isSummaryResolution(FCA, resolvedAt)).toBe(expected);
    });

    it('ASIC RG 271: closed by the end of the 5th business day after receipt, Sydney time, without a written IDR response', () => {
      // Friday 20 November 2026 16:00 UTC is Saturday 03:00 in Sydney: Monday 23 … Friday 27 November, end of day AEDT.
      expect(summaryResolutionEndsAt({ regime: 'ASIC', receivedAt: FRIDAY_4PM })).toBe('2026-11-27T12:59:59.999Z');
      // Thursday 2 April 2026 10:00 in Sydney: Good Friday and Easter Monday do not count → 7, 8, 9, 10, 13 April, end of day AEST.
      expect(summaryResolutionEndsAt({ regime: 'ASIC', receivedAt: '2026-04-01T23:00:00Z' })).toBe('2026-04-13T13:59:59.999Z');
    });

    it.each(['default', 'CFPB'] as const)('%s has no summary resolution', (regime) => {
      expect(summaryResolutionEndsAt({ regime, receivedAt: FRIDAY_4PM })).toBeUndefined();
      expect(isSummaryResolution({ regime, receivedAt: FRIDAY_4PM }, '2026-11-20T17:00:00Z')).toBe(false);
    });
  });

  describe('version selection', () => {
    const NEXT: DeadlinePolicy = {
      regime: 'default',
      version: 'default@2027-01',
      effectiveFrom: '2027-01-01T00:00:00Z',
      source: 'test: a stricter house policy',
      rules: [
        { kind: 'acknowledgement', hours: 4 },
        { kind: 'final-response', businessDays: 10, endOfDay: true },
        { kind: 'follow-up', calendarDays: 3 },
      ],
      calendar: 'mon-fri-utc',
    };
    const FUTURE: DeadlinePolicy = {
      ...NEXT,
      version: 'default@2030-01',
      effectiveFrom: '2030-01-01T00:00:00Z',
      rules: [{ kind: 'follow-up', hours: 1 }],
    };
    const POLICIES = [FUTURE, ...DEADLINE_POLICIES, NEXT];

    it('takes the latest version in force at receipt, whatever the order of the list', () => {
      expect(policyFor('default', '2026-12-31T23:59:59.999Z', POLICIES).version).toBe('default@2026-01');
      expect(policyFor('default', '2027-01-01T00:00:00.000Z', POLICIES).version).toBe('default@2027-01');
      expect(policyFor('default', '2029-06-01T00:00:00Z', [...POLICIES].reverse()).version).toBe('default@2027-01');
      expect(policyFor('default', '2030-01-01T00:00:00Z', POLICIES).version).toBe('default@2030-01');
      expect(policyFor('FCA', '2029-06-01T00:00:00Z', POLICIES).version).toBe('FCA@2026-11');
    });

    it('records the version that set each deadline', () => {
      expect(deadlinesOnReceipt('default', '2027-01-08T12:00:00Z', { policies: POLICIES })).toEqual([
        { kind: 'acknowledgement', dueAt: '2027-01-08T16:00:00.000Z', policyVersion: 'default@2027-01' },
        { kind: 'final-response', dueAt: '2027-01-22T23:59:59.999Z', policyVersion: 'default@2027-01' },
      ]);
    });

    it('a case keeps the version of its receipt: its follow-up follows the old version after a new one starts', () => {
      const policies = { policies: POLICIES };
      expect(followUpDeadline({ regime: 'default', receivedAt: '2026-12-30T12:00:00Z' }, '2027-01-05T12:00:00Z', policies)).toEqual({
        kind: 'follow-up',
        dueAt: '2027-01-12T12:00:00.000Z',
        policyVersion: 'default@2026-01',
      });
      expect(followUpDeadline({ regime: 'default', receivedAt: '2027-01-02T12:00:00Z' }, '2027-01-05T12:00:00Z', policies)).toEqual({
        kind: 'follow-up',
        dueAt: '2027-01-08T12:00:00.000Z',
        policyVersion: 'default@2027-01',
      });
    });

    it('fails loudly when no version is in force', () => {
      expect(() => policyFor('default', '1999-12-31T23:59:59Z')).toThrow(/No default deadline policy is in force/);
      expect(() => policyFor('FCA', FRIDAY_4PM, [NEXT])).toThrow(/No FCA deadline policy/);
      const empty = [{ ...NEXT, effectiveFrom: '2000-01-01T00:00:00Z', rules: [] }];
      expect(() => followUpDeadline({ regime: 'default', receivedAt: FRIDAY_4PM }, FRIDAY_4PM, { policies: empty })).toThrow(
        /sets no follow-up/,
      );
    });
  });

  describe('due rules', () => {
    it('computes each form of rule', () => {
      expect(dueAt({ hours: 36 }, FRIDAY_4PM)).toBe('2026-11-22T04:00:00.000Z');
      expect(dueAt({ calendarDays: 1 }, FRIDAY_4PM)).toBe('2026-11-21T16:00:00.000Z');
      expect(dueAt({ businessDays: 2 }, FRIDAY_4PM)).toBe('2026-11-24T16:00:00.000Z');
      expect(dueAt({ businessDays: 2, endOfDay: true }, FRIDAY_4PM)).toBe('2026-11-24T23:59:59.999Z');
    });
  });

  describe('which events meet and cancel deadlines', () => {
    it.each([
      ['acknowledgement', 'ComplaintAcknowledged', true],
      ['acknowledgement', 'CustomerContactLogged', false],
      ['acknowledgement', 'ComplaintResolved', false],
      ['substantive-response', 'ApologyIssued', true],
      ['substantive-response', 'ExplanationGiven', true],
      ['substantive-response', 'ResolutionPlanCommunicated', true],
      ['substantive-response', 'ComplaintResolved', true],
      ['substantive-response', 'ComplaintAcknowledged', false],
      ['final-response', 'ComplaintResolved', true],
      ['final-response', 'ResolutionPlanCommunicated', false],
      ['final-response', 'ComplaintWithdrawn', false],
      ['follow-up', 'FollowUpCompleted', true],
      ['follow-up', 'CaseClosed', false],
    ] as const)('%s is met by %s: %p', (kind, eventType, expected) => {
      expect(meetsDeadline(kind, eventType)).toBe(expected);
    });

    it('names a meeting event for every kind', () => {
      expect(Object.keys(DEADLINE_MET_BY).sort()).toEqual([...DEADLINE_KINDS].sort());
      expect(meetsDeadline('acknowledgement', 'NoSuchEvent')).toBe(false);
    });

    it('a withdrawal cancels everything that still runs; a closure only the acknowledgement and the follow-up', () => {
      for (const kind of DEADLINE_KINDS) expect(cancelsDeadline('ComplaintWithdrawn', kind)).toBe(true);
      expect(cancelsDeadline('CaseClosed', 'follow-up')).toBe(true);
      expect(cancelsDeadline('CaseClosed', 'acknowledgement')).toBe(true);
      expect(cancelsDeadline('CaseClosed', 'final-response')).toBe(false);
      expect(cancelsDeadline('CaseClosed', 'substantive-response')).toBe(false);
      expect(cancelsDeadline('CaseReopened', 'final-response')).toBe(false);
      expect(cancelsDeadline('ComplaintResolved', 'follow-up')).toBe(false);
    });
  });
});
