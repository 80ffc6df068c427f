import type { RecoveryClass } from '../../projection/case-facts';
import { mulberry32 } from '../shared/intervals';
import { PeriodCase, WindowActivity, classify, classifyEach, loyaltyTable } from './loyalty-outcomes.compute';

let caseNumber = 0;
const complaint = (customerId: string, recovery: RecoveryClass, receivedAt: string, facts: Partial<PeriodCase> = {}): PeriodCase => ({
  caseId: `case-${++caseNumber}`,
  customerId,
  receivedAt,
  recovery,
  channel: 'email',
  category: 'delivery',
  rootCause: 'one-off',
  goodwillKind: 'none',
  firstResponseBucket: '1-24h',
  ...facts,
});
const activity = (spend: number, more: Partial<WindowActivity> = {}): WindowActivity => ({
  spend,
  purchases: spend > 0 ? 1 : 0,
  referrals: 0,
  complaints: 0,
  churned: false,
  ...more,
});

describe("classify: a customer's cohort from the complaints of the period", () => {
  it('is no complaint without one, and leaves out customers whose every complaint was withdrawn', () => {
    expect(classify([])).toEqual({ cohort: 'no-complaint' });
    expect(classify([complaint('c', 'withdrawn', '2025-01-01')])).toBeUndefined();
  });

  it('lets a not-recovered complaint outweigh an open one, and an open one outweigh a recovered one; withdrawn ones do not count', () => {
    const recovered = complaint('c', 'recovered', '2025-01-01');
    const open = complaint('c', 'open', '2025-01-03');
    const notRecovered = complaint('c', 'not-recovered', '2025-01-05');
    const withdrawn = complaint('c', 'withdrawn', '2024-12-31');
    expect(classify([recovered, open, notRecovered])).toEqual({ cohort: 'not-recovered', deciding: notRecovered });
    expect(classify([open, recovered])).toEqual({ cohort: 'open', deciding: open });
    expect(classify([withdrawn, recovered])).toEqual({ cohort: 'recovered', deciding: recovered });
  });

  it('takes the earliest complaint with the deciding outcome', () => {
    const later = complaint('c', 'recovered', '2025-02-01', { category: 'billing' });
    const earlier = complaint('c', 'recovered', '2025-01-01', { category: 'service' });
    expect(classify([later, earlier])?.deciding?.category).toBe('service');
  });
});

/** Every cohort of the small table is under the default minimum of 30: flagged, no interval. */
const TOO_SMALL = {
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

describe('loyaltyTable', () => {
  // no complaint: spends 0, 100, 200, 700 → mean 250, median 150, retention 3/4
  // recovered: 300, 500 → mean 400 (lift 0.6 vs 250; 3 vs 100), median 400
  // not recovered: 0, 100, 200 → mean 100, median 100, retention 2/3
  const cases = new Map<string, PeriodCase[]>([
    ['r1', [complaint('r1', 'recovered', '2025-01-02', { firstResponseBucket: '0-1h', goodwillKind: 'coupon' })]],
    ['r2', [complaint('r2', 'recovered', '2025-01-03', { firstResponseBucket: '1-24h', category: null })]],
    ['x1', [complaint('x1', 'not-recovered', '2025-01-04', { firstResponseBucket: '7d+' })]],
    [
      'x2',
      [
        complaint('x2', 'recovered', '2025-01-04'),
        complaint('x2', 'not-recovered', '2025-01-05', { channel: 'phone', firstResponseBucket: 'none' }),
      ],
    ],
    ['x3', [complaint('x3', 'not-recovered', '2025-01-06', { firstResponseBucket: '0-1h' })]],
    ['w1', [complaint('w1', 'withdrawn', '2025-01-06')]],
  ]);
  const activities = new Map<string, WindowActivity>([
    ['n1', activity(0, { churned: true })],
    ['n2', activity(100, { referrals: 2 })],
    ['n3', activity(200)],
    ['n4', activity(700, { complaints: 1 })],
    ['r1', activity(300, { referrals: 1 })],
    ['r2', activity(500, { purchases: 3 })],
    ['x1', activity(0, { complaints: 2, churned: true })],
    ['x2', activity(100)],
    ['x3', activity(200)],
  ]);
  const customers = ['n1', 'n2', 'n3', 'n4', 'r1', 'r2', 'x1', 'x2', 'x3', 'w1'];

  it('gives every cohort its size, spend (total, mean, median), retention, referrals, repeat complaints, churn and lifts', async () => {
    const table = await loyaltyTable(customers, classifyEach(cases), activities);
    expect(table.customers).toBe(9);
    expect(table.withdrawnOnly).toBe(1);
    expect(table.rows).toEqual([
      {
        cohort: 'no-complaint',
        customers: 4,
        totalSpend: 1000,
        meanSpend: 250,
        medianSpend: 150,
        retained: 3,
        retention: 0.75,
        referrals: 2,
        repeatComplaints: 1,
        repeatComplainants: 1,
        churned: 1,
        meanSpendLiftVsNoComplaint: 0,
        meanSpendLiftVsNotRecovered: 1.5,
        retentionLiftVsNoComplaint: 0,
        retentionLiftVsNotRecovered: 0.125,
        ...TOO_SMALL,
      },
      {
        cohort: 'recovered',
        customers: 2,
        totalSpend: 800,
        meanSpend: 400,
        medianSpend: 400,
        retained: 2,
        retention: 1,
        referrals: 1,
        repeatComplaints: 0,
        repeatComplainants: 0,
        churned: 0,
        meanSpendLiftVsNoComplaint: 0.6,
        meanSpendLiftVsNotRecovered: 3,
        retentionLiftVsNoComplaint: 0.3333,
        retentionLiftVsNotRecovered: 0.5,
        ...TOO_SMALL,
      },
      {
        cohort: 'not-recovered',
        customers: 3,
        totalSpend: 300,
        meanSpend: 100,
        medianSpend: 100,
        retained: 2,
        retention: 0.6667,
        referrals: 0,
        repeatComplaints: 2,
        repeatComplainants: 1,
        churned: 1,
        meanSpendLiftVsNoComplaint: -0.6,
        meanSpendLiftVsNotRecovered: 0,
        retentionLiftVsNoComplaint: -0.1111,
        retentionLiftVsNotRecovered: 0,
        ...TOO_SMALL,
      },
      {
        cohort: 'open',
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
        ...TOO_SMALL,
      },
    ]);
  });

  it('counts a customer without window activity as spending nothing', async () => {
    const table = await loyaltyTable(['lonely'], classifyEach(new Map()), new Map());
    expect(table.rows[0]).toMatchObject({
      customers: 1,
      totalSpend: 0,
      meanSpend: 0,
      medianSpend: 0,
      retention: 0,
      meanSpendLiftVsNoComplaint: null,
    });
  });

  it('groups by the deciding complaint, in bucket order, with lifts against the whole baselines', async () => {
    const cells = async (groupBy: Parameters<typeof loyaltyTable>[3]) =>
      (await loyaltyTable(customers, classifyEach(cases), activities, groupBy)).rows.map((row) => [
        row.group,
        row.cohort,
        row.customers,
        row.meanSpend,
        row.meanSpendLiftVsNoComplaint,
      ]);
    expect(await cells('firstResponseBucket')).toEqual([
      [null, 'no-complaint', 4, 250, 0],
      ['0-1h', 'recovered', 1, 300, 0.2],
      ['0-1h', 'not-recovered', 1, 200, -0.2],
      ['1-24h', 'recovered', 1, 500, 1],
      ['7d+', 'not-recovered', 1, 0, -1],
      ['none', 'not-recovered', 1, 100, -0.6],
    ]);
    expect((await cells('category')).map((cell) => cell.slice(0, 3))).toEqual([
      [null, 'no-complaint', 4],
      ['delivery', 'recovered', 1],
      ['delivery', 'not-recovered', 3],
      ['unassessed', 'recovered', 1],
    ]);
    expect((await cells('channel')).map((cell) => cell.slice(0, 3))).toEqual([
      [null, 'no-complaint', 4],
      ['email', 'recovered', 2],
      ['email', 'not-recovered', 2],
      ['phone', 'not-recovered', 1],
    ]);
    expect((await cells('goodwillKind')).map((cell) => cell.slice(0, 3))).toEqual([
      [null, 'no-complaint', 4],
      ['coupon', 'recovered', 1],
      ['none', 'recovered', 1],
      ['none', 'not-recovered', 3],
    ]);
  });
});

describe('loyaltyTable intervals', () => {
  /** A customer's spend: 20% buy nothing, the rest spend an exponential amount; the cohort's true mean is 0.8 × `scale`. */
  const simulatedSpend = (random: () => number, scale: number) => (random() < 0.2 ? 0 : Math.round(-Math.log(1 - random()) * scale));
  const simulate = (seed: number, sizes: { baseline: number; recovered: number }, trueLift: number) => {
    const random = mulberry32(seed);
    const customers: string[] = [];
    const cases = new Map<string, PeriodCase[]>();
    const activities = new Map<string, WindowActivity>();
    for (let i = 0; i < sizes.baseline; i += 1) {
      customers.push(`n${i}`);
      activities.set(`n${i}`, activity(simulatedSpend(random, 12_500)));
    }
    for (let i = 0; i < sizes.recovered; i += 1) {
      customers.push(`r${i}`);
      cases.set(`r${i}`, [complaint(`r${i}`, 'recovered', '2025-01-02')]);
      activities.set(`r${i}`, activity(simulatedSpend(random, 12_500 * (1 + trueLift))));
    }
    return { customers, cases, activities };
  };

  it('reports the same intervals for the same seed, other ones for another, and flags cohorts under the minimum', async () => {
    const { customers, cases, activities } = simulate(1, { baseline: 200, recovered: 40 }, 0.3);
    const options = { resamples: 500, seed: 9, minCohort: 30 };
    const first = (await loyaltyTable(customers, classifyEach(cases), activities, undefined, options)).rows;
    expect((await loyaltyTable(customers, classifyEach(cases), activities, undefined, options)).rows).toEqual(first);
    expect(
      (await loyaltyTable(customers, classifyEach(cases), activities, undefined, { ...options, seed: 10 })).rows[1].meanSpendLow,
    ).not.toBe(first[1].meanSpendLow);
    const [noComplaint, recovered, notRecovered] = first;
    expect(noComplaint).toMatchObject({ tooSmall: false, meanSpendLiftVsNoComplaintLow: 0, meanSpendLiftVsNoComplaintHigh: 0 });
    expect(noComplaint.meanSpendLow!).toBeLessThan(noComplaint.meanSpend!);
    expect(noComplaint.meanSpendHigh!).toBeGreaterThan(noComplaint.meanSpend!);
    expect(recovered.tooSmall).toBe(false);
    expect(recovered.meanSpendLiftVsNoComplaintLow!).toBeLessThan(recovered.meanSpendLiftVsNoComplaint!);
    expect(recovered.meanSpendLiftVsNoComplaintHigh!).toBeGreaterThan(recovered.meanSpendLiftVsNoComplaint!);
    expect(recovered.retentionLow!).toBeLessThanOrEqual(recovered.retention!);
    expect(notRecovered).toMatchObject({ customers: 0, tooSmall: true, meanSpendLow: null, meanSpendLiftVsNoComplaintLow: null });
    const strict = (await loyaltyTable(customers, classifyEach(cases), activities, undefined, { ...options, minCohort: 41 })).rows[1];
    expect(strict).toMatchObject({
      tooSmall: true,
      meanSpendLow: null,
      meanSpendHigh: null,
      retentionLow: null,
      meanSpendLiftVsNoComplaintLow: null,
    });
  });

  it('gives grouped rows intervals too, lifts against the whole baseline', async () => {
    const { customers, cases, activities } = simulate(2, { baseline: 100, recovered: 60 }, 0);
    const rows = (await loyaltyTable(customers, classifyEach(cases), activities, 'category', { resamples: 300, seed: 1, minCohort: 30 }))
      .rows;
    expect(rows.map((row) => [row.group, row.cohort, row.tooSmall])).toEqual([
      [null, 'no-complaint', false],
      ['delivery', 'recovered', false],
    ]);
    expect(rows[1].meanSpendLiftVsNoComplaintLow).not.toBeNull();
  });

  /**
   * Coverage on simulated data with a known effect: the recovered cohort's true mean spend is 6% above the
   * baseline's. Over 200 seeded simulations (400 and 150 customers, 1,000 resamples each), the 95% interval
   * of the lift should hold the true 0.06 about 95% of the time; the tolerance is 90–99% (the binomial
   * spread of 200 trials is ±3 points, and the percentile bootstrap of a ratio runs a little narrow at these sizes).
   */
  it('covers the true lift in about 95% of 200 simulations (tolerance 90–99%)', async () => {
    const trueLift = 0.06;
    let covered = 0;
    for (let simulation = 0; simulation < 200; simulation += 1) {
      const { customers, cases, activities } = simulate(1000 + simulation, { baseline: 400, recovered: 150 }, trueLift);
      const recovered = (
        await loyaltyTable(customers, classifyEach(cases), activities, undefined, {
          resamples: 1000,
          seed: simulation,
          minCohort: 30,
        })
      ).rows[1];
      if (recovered.meanSpendLiftVsNoComplaintLow! <= trueLift && trueLift <= recovered.meanSpendLiftVsNoComplaintHigh!) covered += 1;
    }
    expect(covered / 200).toBeGreaterThanOrEqual(0.9);
    expect(covered / 200).toBeLessThanOrEqual(0.99);
  });
});
