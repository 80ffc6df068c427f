import { formatLoyaltyTable } from './loyalty-table';
import { Random } from './random';
import { PLANTED, addMonths, planSimulation } from './shop-simulation';

describe('the demo shop plan', () => {
  const plan = planSimulation({ customers: 300, months: 4, seed: 'spec' });

  it('plays requests in time order, every purchase dated at its instant, nothing before the period', () => {
    const instants = plan.requests.map((request) => request.at);
    expect([...instants].sort()).toEqual(instants);
    expect(instants[0] >= plan.period.from).toBe(true);
    for (const request of plan.requests.filter((r) => r.url.endsWith('/purchases'))) expect(request.body['at']).toBe(request.at);
    expect(plan.period.to).toBe(addMonths(plan.period.from, 4));
    expect(plan.end > plan.window.to).toBe(true);
  });

  it('gives every request its own idempotency key, so a replay of the plan appends nothing', () => {
    const keys = plan.requests.map((request) => request.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('plants the window spend of each cohort on its mean exactly', () => {
    const spend = new Map<string, number>();
    for (const request of plan.requests) {
      if (!request.url.endsWith('/purchases') || request.at < plan.window.from || request.at >= plan.window.to) continue;
      const customer = request.url.split('/')[2];
      spend.set(customer, (spend.get(customer) ?? 0) + (request.body['amount'] as number));
    }
    for (const cohort of ['no-complaint', 'recovered', 'not-recovered', 'open'] as const) {
      const members = [...plan.cohorts].filter(([, c]) => c === cohort).map(([id]) => id);
      if (members.length === 0) continue;
      const total = members.reduce((sum, id) => sum + (spend.get(id) ?? 0), 0);
      expect({ cohort, total }).toEqual({ cohort, total: PLANTED[cohort].meanSpend * members.length });
    }
  });

  it('is a function of its seed', () => {
    expect(new Random(1).next()).toBe(new Random(1).next());
    expect(new Random('a').next()).not.toBe(new Random('b').next());
    expect(() => planSimulation({ customers: 0, months: 1, seed: 1 })).toThrow(RangeError);
  });
});

/** A row's interval fields, none drawn (a cohort too small). */
const NO_INTERVALS = {
  tooSmall: true,
  meanSpendLow: null,
  meanSpendHigh: null,
  retentionLow: null,
  retentionHigh: null,
  meanSpendLiftVsNoComplaintLow: null,
  meanSpendLiftVsNoComplaintHigh: null,
  meanSpendLiftVsNotRecoveredLow: null,
  meanSpendLiftVsNotRecoveredHigh: null,
  retentionLiftVsNoComplaintLow: null,
  retentionLiftVsNoComplaintHigh: null,
  retentionLiftVsNotRecoveredLow: null,
  retentionLiftVsNotRecoveredHigh: null,
};

describe('formatLoyaltyTable', () => {
  it('prints cohorts with money, percentages, lifts and ratios', () => {
    const text = formatLoyaltyTable({
      period: { from: 'a', to: 'b' },
      window: { from: 'b', to: 'c', days: 90, complete: true },
      currency: 'GBP',
      groupBy: null,
      customers: 3,
      excluded: { withdrawnOnly: 0 },
      intervals: { method: 'percentile-bootstrap', level: 0.95, resamples: 2000, seed: 2026, minCohort: 30 },
      rows: [
        {
          cohort: 'no-complaint',
          customers: 2,
          totalSpend: 20000,
          meanSpend: 10000,
          medianSpend: 10000,
          retained: 2,
          retention: 1,
          referrals: 0,
          repeatComplaints: 0,
          repeatComplainants: 0,
          churned: 0,
          meanSpendLiftVsNoComplaint: 0,
          meanSpendLiftVsNotRecovered: 4,
          retentionLiftVsNoComplaint: 0,
          retentionLiftVsNotRecovered: 0,
          ...NO_INTERVALS,
        },
        {
          cohort: 'recovered',
          customers: 1,
          totalSpend: 10600,
          meanSpend: 10600,
          medianSpend: 10600,
          retained: 1,
          retention: 1,
          referrals: 1,
          repeatComplaints: 0,
          repeatComplainants: 0,
          churned: 0,
          meanSpendLiftVsNoComplaint: 0.06,
          meanSpendLiftVsNotRecovered: 4.3,
          retentionLiftVsNoComplaint: 0,
          retentionLiftVsNotRecovered: 0,
          ...NO_INTERVALS,
        },
        {
          cohort: 'not-recovered',
          customers: 0,
          totalSpend: 0,
          meanSpend: null,
          medianSpend: null,
          retained: 0,
          retention: null,
          referrals: 0,
          repeatComplaints: 0,
          repeatComplainants: 0,
          churned: 0,
          meanSpendLiftVsNoComplaint: null,
          meanSpendLiftVsNotRecovered: null,
          retentionLiftVsNoComplaint: null,
          retentionLiftVsNotRecovered: null,
          ...NO_INTERVALS,
        },
      ],
    });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^cohort\s+customers\s+mean spend\s+median spend\s+retention/);
    expect(lines[3]).toMatch(/^recovered\s+1\s+£106\.00\s+£106\.00\s+100\.0%\s+1\s+0\s+\+6\.0%\s+5\.30×$/);
    expect(lines[4]).toMatch(/^not recovered\s+0\s+—\s+—\s+—/);
  });
});
