import { REGIMES } from './complaint.vocabulary';
import {
  cancelsDeadlines,
  DEADLINE_KINDS,
  DEADLINE_MET_BY,
  DEADLINE_POLICIES,
  deadlinesOnReceipt,
  deadlinesOnReopen,
  dueAt,
  followUpDeadline,
  isSummaryResolution,
  meetsDeadline,
  policyFor,
  ruleFor,
  summaryResolutionEndsAt,
  type DeadlinePolicy,
} from './deadline-policies';

// 2026-11-20 is a Friday.
const FRIDAY_4PM = '2026-11-20T16:00:00.000Z';

describe('deadline policies', () => {
  describe('the policy data', () => {
    it.each(REGIMES)('%s has a first version in force from 2000-01-01', (regime) => {
      expect(policyFor(regime, '2000-01-01T00:00:00Z')).toMatchObject({
        regime,
        version: `${regime}@2026-01`,
        effectiveFrom: '2000-01-01T00:00:00Z',
      });
    });

    it('versions are unique, each cites its source, sets each kind at most once and has a 7-day follow-up', () => {
      expect(new Set(DEADLINE_POLICIES.map((policy) => policy.version)).size).toBe(DEADLINE_POLICIES.length);
      for (const policy of DEADLINE_POLICIES) {
        expect(policy.source.length).toBeGreaterThan(0);
        expect(Number.isNaN(Date.parse(policy.effectiveFrom))).toBe(false);
        const kinds = policy.rules.map((rule) => rule.kind);
        expect(new Set(kinds).size).toBe(kinds.length);
        expect(ruleFor(policy, 'follow-up')).toEqual({ kind: 'follow-up', calendarDays: 7 });
      }
    });
  });

  describe('due instants on receipt', () => {
    it('default: acknowledgement in 24 h, final response in 14 calendar days', () => {
      expect(deadlinesOnReceipt('default', FRIDAY_4PM)).toEqual([
        { kind: 'acknowledgement', dueAt: '2026-11-21T16:00:00.000Z', policyVersion: 'default@2026-01' },
        { kind: 'final-response', dueAt: '2026-12-04T16:00:00.000Z', policyVersion: 'default@2026-01' },
      ]);
    });

    it('FCA: acknowledgement by the end of the next business day (Friday → Monday), final response in 8 weeks', () => {
      expect(deadlinesOnReceipt('FCA', FRIDAY_4PM)).toEqual([
        { kind: 'acknowledgement', dueAt: '2026-11-23T23:59:59.999Z', policyVersion: 'FCA@2026-01' },
        { kind: 'final-response', dueAt: '2027-01-15T16:00:00.000Z', policyVersion: 'FCA@2026-01' },
      ]);
    });

    it.each([
      ['Monday morning', '2026-11-23T08:00:00Z', '2026-11-24T23:59:59.999Z'],
      ['Thursday night', '2026-11-19T23:59:59.999Z', '2026-11-20T23:59:59.999Z'],
      ['Saturday', '2026-11-21T10:00:00Z', '2026-11-23T23:59:59.999Z'],
      ['Sunday', '2026-11-22T10:00:00Z', '2026-11-23T23:59:59.999Z'],
    ])('FCA: a complaint received %s is acknowledged by %s', (_when, receivedAt, expected) => {
      expect(deadlinesOnReceipt('FCA', receivedAt)[0]).toEqual({ kind: 'acknowledgement', dueAt: expected, policyVersion: 'FCA@2026-01' });
    });

    it('CFPB: no acknowledgement deadline; substantive response in 15 calendar days, final in 60', () => {
      expect(deadlinesOnReceipt('CFPB', FRIDAY_4PM)).toEqual([
        { kind: 'substantive-response', dueAt: '2026-12-05T16:00:00.000Z', policyVersion: 'CFPB@2026-01' },
        { kind: 'final-response', dueAt: '2027-01-19T16:00:00.000Z', policyVersion: 'CFPB@2026-01' },
      ]);
    });

    it('ASIC RG 271: acknowledgement in 24 h (even over a weekend), final response in 30 calendar days', () => {
      expect(deadlinesOnReceipt('ASIC', FRIDAY_4PM)).toEqual([
        { kind: 'acknowledgement', dueAt: '2026-11-21T16:00:00.000Z', policyVersion: 'ASIC@2026-01' },
        { kind: 'final-response', dueAt: '2026-12-20T16:00:00.000Z', policyVersion: 'ASIC@2026-01' },
      ]);
    });

    it('accepts any ISO-8601 offset and answers in UTC', () => {
      expect(deadlinesOnReceipt('default', '2026-11-20T17:00:00+01:00')[0].dueAt).toBe('2026-11-21T16:00:00.000Z');
    });

    it('refuses a malformed instant', () => {
      expect(() => deadlinesOnReceipt('default', 'yesterday')).toThrow(RangeError);
    });
  });

  describe('follow-up and reopen', () => {
    it.each(REGIMES)('%s: the follow-up is due 7 days after the resolution', (regime) => {
      expect(followUpDeadline(regime, FRIDAY_4PM, '2026-11-25T10:30:00Z')).toEqual({
        kind: 'follow-up',
        dueAt: '2026-12-02T10:30:00.000Z',
        policyVersion: `${regime}@2026-01`,
      });
    });

    it('a reopen starts a new final response counted from the reopen', () => {
      expect(deadlinesOnReopen('FCA', FRIDAY_4PM, '2027-02-01T09:00:00Z')).toEqual([
        { kind: 'final-response', dueAt: '2027-03-29T09:00:00.000Z', policyVersion: 'FCA@2026-01' },
      ]);
      expect(deadlinesOnReopen('CFPB', FRIDAY_4PM, '2027-02-01T09:00:00Z')).toEqual([
        { kind: 'final-response', dueAt: '2027-04-02T09:00:00.000Z', policyVersion: 'CFPB@2026-01' },
      ]);
    });
  });

  describe('FCA summary resolution (resolved by the end of the 3rd business day after receipt)', () => {
    it('the window of a Friday complaint ends on Wednesday night', () => {
      expect(summaryResolutionEndsAt('FCA', FRIDAY_4PM)).toBe('2026-11-25T23:59:59.999Z');
    });

    it.each([
      ['the same day', '2026-11-20T17:00:00Z', true],
      ['the last millisecond of the 3rd business day', '2026-11-25T23:59:59.999Z', true],
      ['the first millisecond after it', '2026-11-26T00:00:00.000Z', false],
      ['weeks later', '2027-01-10T12:00:00Z', false],
    ])('resolved %s: %p', (_when, resolvedAt, expected) => {
      expect(isSummaryResolution('FCA', FRIDAY_4PM, resolvedAt)).toBe(expected);
    });

    it.each(['default', 'CFPB', 'ASIC'] as const)('%s has no summary resolution', (regime) => {
      expect(summaryResolutionEndsAt(regime, FRIDAY_4PM)).toBeUndefined();
      expect(isSummaryResolution(regime, FRIDAY_4PM, '2026-11-20T17:00:00Z')).toBe(false);
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
      expect(policyFor('FCA', '2029-06-01T00:00:00Z', POLICIES).version).toBe('FCA@2026-01');
    });

    it('records the version that set each deadline', () => {
      expect(deadlinesOnReceipt('default', '2027-01-08T12:00:00Z', POLICIES)).toEqual([
        { kind: 'acknowledgement', dueAt: '2027-01-08T16:00:00.000Z', policyVersion: 'default@2027-01' },
        { kind: 'final-response', dueAt: '2027-01-22T23:59:59.999Z', policyVersion: 'default@2027-01' },
      ]);
    });

    it('a case keeps the version of its receipt: its follow-up follows the old version after a new one starts', () => {
      expect(followUpDeadline('default', '2026-12-30T12:00:00Z', '2027-01-05T12:00:00Z', POLICIES)).toEqual({
        kind: 'follow-up',
        dueAt: '2027-01-12T12:00:00.000Z',
        policyVersion: 'default@2026-01',
      });
      expect(followUpDeadline('default', '2027-01-02T12:00:00Z', '2027-01-05T12:00:00Z', POLICIES)).toEqual({
        kind: 'follow-up',
        dueAt: '2027-01-08T12:00:00.000Z',
        policyVersion: 'default@2027-01',
      });
    });

    it('fails loudly when no version is in force', () => {
      expect(() => policyFor('default', '1999-12-31T23:59:59Z')).toThrow(/No default deadline policy is in force/);
      expect(() => policyFor('FCA', FRIDAY_4PM, [NEXT])).toThrow(/No FCA deadline policy/);
      expect(() =>
        followUpDeadline('default', FRIDAY_4PM, FRIDAY_4PM, [{ ...NEXT, effectiveFrom: '2000-01-01T00:00:00Z', rules: [] }]),
      ).toThrow(/sets no follow-up/);
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

    it('withdrawal and closure cancel what still runs; nothing else does', () => {
      expect(cancelsDeadlines('ComplaintWithdrawn')).toBe(true);
      expect(cancelsDeadlines('CaseClosed')).toBe(true);
      expect(cancelsDeadlines('CaseReopened')).toBe(false);
      expect(cancelsDeadlines('ComplaintResolved')).toBe(false);
    });
  });
});
