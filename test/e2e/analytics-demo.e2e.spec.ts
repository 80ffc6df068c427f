import { runDemo, type DemoResult } from '../../src/cli/demo/run-demo';
import { PLANTED, planSimulation, type Cohort } from '../../src/cli/demo/shop-simulation';

/**
 * The demo plays a simulated shop through the real API, with effects planted per cohort. The analytics
 * must find them again: each planted cohort's size, and the survey's figures — recovered customers spend
 * 6% more than customers without a complaint (tolerance ±0.5 percentage points) and 5.3× the
 * not-recovered ones (tolerance ±0.1). The plan plants the cohort totals exactly, so anything beyond the
 * rounding of pence would be the pipeline (commands, projection, classification, SQL) getting it wrong.
 */
describe('npm run demo: a simulated shop through the real command path', () => {
  let result: DemoResult;
  beforeAll(async () => {
    result = await runDemo({ customers: 400, months: 6, seed: 'jest' });
  }, 180_000);

  const row = (cohort: string) => result.loyalty.rows.find((r) => r.cohort === cohort)!;

  it('finds every planted cohort, customer for customer', () => {
    const planned = new Map<Cohort, number>();
    for (const cohort of result.plan.cohorts.values()) planned.set(cohort, (planned.get(cohort) ?? 0) + 1);
    expect(result.loyalty.rows.map((r) => [r.cohort, r.customers])).toEqual(
      (['no-complaint', 'recovered', 'not-recovered', 'open'] as const).map((cohort) => [cohort, planned.get(cohort) ?? 0]),
    );
    expect(result.loyalty.excluded.withdrawnOnly).toBe(planned.get('withdrawn') ?? 0);
    expect(result.loyalty.customers).toBe(400 - (planned.get('withdrawn') ?? 0));
    for (const cohort of ['recovered', 'not-recovered', 'open'] as const) expect(planned.get(cohort)).toBeGreaterThan(3);
  });

  it('recovers the planted effects: recovered +6% against no complaint and 5.3× not recovered, within tolerance', () => {
    expect(row('recovered').meanSpendLiftVsNoComplaint).toBeGreaterThanOrEqual(0.055);
    expect(row('recovered').meanSpendLiftVsNoComplaint).toBeLessThanOrEqual(0.065);
    expect(row('recovered').meanSpendLiftVsNotRecovered! + 1).toBeGreaterThanOrEqual(5.2);
    expect(row('recovered').meanSpendLiftVsNotRecovered! + 1).toBeLessThanOrEqual(5.4);
    for (const cohort of ['no-complaint', 'recovered', 'not-recovered', 'open'] as const) {
      const { customers, meanSpend, retention } = row(cohort);
      expect({ cohort, meanSpend: Math.round(meanSpend!) }).toEqual({ cohort, meanSpend: PLANTED[cohort].meanSpend });
      expect(Math.abs(retention! - PLANTED[cohort].retention)).toBeLessThanOrEqual(1 / customers + 0.0001);
    }
    expect(result.loyalty.currency).toBe('GBP');
    expect(result.loyalty.window.complete).toBe(true);
  });

  it('went through the API: every request answered, every event projected, the systemic fix visible', () => {
    expect(result.requests).toBe(result.plan.requests.length);
    expect(result.lastPosition).toBeGreaterThanOrEqual(result.requests);
    const delivery = result.systemic.categories.find((category) => category.category === 'delivery');
    expect(delivery?.fixes).toEqual([
      expect.objectContaining({ fixId: 'fix-courier-signature', effectiveFrom: result.plan.systemicFix!.effectiveFrom }),
    ]);
  });

  it('is deterministic for a seed: the same plan, the same table; another seed, another shop', async () => {
    expect(planSimulation({ customers: 1000, months: 6, seed: 7 })).toEqual(planSimulation({ customers: 1000, months: 6, seed: 7 }));
    expect(planSimulation({ customers: 50, months: 3, seed: 7 }).requests).not.toEqual(
      planSimulation({ customers: 50, months: 3, seed: 8 }).requests,
    );
    const first = await runDemo({ customers: 120, months: 4, seed: 99 });
    const second = await runDemo({ customers: 120, months: 4, seed: 99 });
    expect(second.loyalty).toEqual(first.loyalty);
    expect(second.systemic).toEqual(first.systemic);
    expect(second.lastPosition).toBe(first.lastPosition);
  }, 120_000);
});
