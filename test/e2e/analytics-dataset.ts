/**
 * A small shop, built by hand so that every figure of the analytics can be worked out on paper (the
 * expected values below are those workings). It is written through the HTTP API with the server's
 * clock set to each step's instant, exactly as the commands would have arrived.
 *
 * Period: 2025-01-01 to 2025-03-31 (Q1); window: the 30 days after (April). Amounts in pence (GBP).
 *
 * | customer | in the period                                                   | in the window                              | cohort        |
 * |----------|-----------------------------------------------------------------|--------------------------------------------|---------------|
 * | A1       | bought                                                          | 3000 + 2000, a referral                    | no complaint  |
 * | A2       | bought                                                          | 2000                                       | no complaint  |
 * | A3       | bought                                                          | nothing; churned                           | no complaint  |
 * | R1       | C1: delivery, systemic, apology in 30 min, coupon, fix, satisfied | 3300                                     | recovered     |
 * | R2       | C2: billing, apology in 5 h, satisfied; C3 withdrawn            | 1700, two referrals                        | recovered     |
 * | N1       | C4 (FCA): delivery, not justified, explained in 2 days, unsatisfied | 500; complains again (C5)              | not recovered |
 * | N2       | never bought; C6 closed unresolved (customer unresponsive)      | nothing; churned                           | not recovered |
 * | M1       | C7 recovered, then C8: service, apology after 10 days, unsatisfied | 1000                                    | not recovered |
 * | O1       | C9: only acknowledged                                           | 900                                        | open          |
 * | W1       | C10 withdrawn                                                   | 700                                        | left out      |
 * | X1       | bought in December only                                         | 5000                                       | not active    |
 */
import { SteppingClock } from '../support/stepping-clock';
import type { TestServer } from '../support/test-server';
import { expectFieldErrors, withTestServer } from './e2e-helpers';

export const PERIOD = { from: '2025-01-01', to: '2025-03-31' } as const;
export const WINDOW_DAYS = 30;
/** The clock when the reports are asked for. */
export const REPORT_AT = '2025-06-01T00:00:00.000Z';
export const SERVER_ENV = { DEADLINE_CHECK_INTERVAL_MS: '86400000' };

type Role = 'agent' | 'customer' | 'supervisor';
interface Step {
  at: string;
  path: string;
  body?: Record<string, unknown>;
  role?: Role;
  /** For POST /cases: the name the case is referred to by in later paths (`{C1}`). */
  opens?: string;
}

/** `MM-DDThh:mm:ss` in 2025, or a full `YYYY-MM-DDThh:mm:ss`, in UTC. */
const T = (dayTime: string) => new Date(`${/^\d{4}-/.test(dayTime) ? '' : '2025-'}${dayTime}Z`).toISOString();
const purchase = (customer: string, orderId: string, amount: number, at: string, currency = 'GBP'): Step => ({
  at: T(at),
  path: `/customers/${customer}/purchases`,
  body: { orderId, amount, currency, at: T(at) },
});
const receive = (key: string, customer: string, at: string, channel: string, extra: Record<string, unknown> = {}): Step => ({
  at: T(at),
  path: '/cases',
  opens: key,
  role: 'customer',
  body: { customerId: customer, channel, summary: `Complaint ${key}`, receivedAt: T(at), ...extra },
});
const act = (key: string, action: string, at: string, body: Record<string, unknown> = {}, role: Role = 'agent'): Step => ({
  at: T(at),
  path: `/cases/{${key}}/${action}`,
  body,
  role,
});
const assess = (key: string, at: string, category: string, justified: string, rootCause: string, severity = 'medium') =>
  act(key, 'assess', at, { category, severity, justified, rootCause, findings: 'Looked into it' });
const ack = (key: string, at: string) => act(key, 'acknowledge', at, { channel: 'email', message: 'We have your complaint' });
const apologize = (key: string, at: string) => act(key, 'apologize', at, { channel: 'email', message: 'We are sorry' });
const followUp = (key: string, at: string, satisfied: boolean) =>
  act(key, 'follow-up', at, { satisfied, csat: satisfied ? 5 : 2 }, 'customer');

/** Every step, in the order written (each case's steps in time order). */
export const DATASET: readonly Step[] = [
  purchase('X1', 'x1-1', 1000, '2024-12-15T10:00:00'),
  purchase('M1', 'm1-1', 3000, '01-05T10:00:00'),
  purchase('W1', 'w1-1', 800, '01-08T10:00:00'),
  purchase('A1', 'a1-1', 1000, '01-10T10:00:00'),
  purchase('A2', 'a2-1', 2000, '01-12T10:00:00'),
  // M1's first complaint: recovered.
  receive('C7', 'M1', '01-15T10:00:00', 'email'),
  ack('C7', '01-15T10:30:00'),
  assess('C7', '01-15T11:00:00', 'product-quality', 'yes', 'one-off'),
  apologize('C7', '01-15T11:30:00'),
  act('C7', 'resolve', '01-16T10:00:00', { resolution: 'Replaced', outcome: 'upheld' }),
  followUp('C7', '01-18T10:00:00', true),
  act('C7', 'close', '01-18T11:00:00'),
  purchase('R1', 'r1-1', 4000, '01-20T10:00:00'),
  purchase('R2', 'r2-1', 3000, '01-25T10:00:00'),
  // R1: the systemic delivery failure, handled fast and fixed.
  receive('C1', 'R1', '02-01T09:00:00', 'email', { orderRef: 'r1-1', orderValue: { amount: 4000, currency: 'GBP' } }),
  ack('C1', '02-01T09:10:00'),
  assess('C1', '02-01T09:20:00', 'delivery', 'yes', 'systemic'),
  apologize('C1', '02-01T09:30:00'),
  act('C1', 'goodwill', '02-01T10:00:00', { offerId: 'g1', kind: 'coupon', amount: 500, currency: 'GBP' }),
  act('C1', 'goodwill/g1/response', '02-01T12:00:00', { response: 'accepted' }, 'customer'),
  act('C1', 'goodwill/g1/fulfil', '02-02T09:00:00', { reference: 'coupon-1' }),
  act('C1', 'system-fix', '02-02T10:00:00', {
    fixId: 'fix-1',
    description: 'Courier cut-off misconfigured',
    procedureChange: 'Cut-off checked daily',
    effectiveFrom: '2025-02-15T00:00:00Z',
    customerNotified: true,
  }),
  act('C1', 'resolve', '02-03T09:00:00', { resolution: 'Redelivered', outcome: 'upheld' }),
  followUp('C1', '02-05T09:00:00', true),
  act('C1', 'close', '02-05T10:00:00'),
  // W1: withdrawn.
  receive('C10', 'W1', '02-02T10:00:00', 'email'),
  act('C10', 'withdraw', '02-02T11:00:00', { reason: 'Found it' }, 'customer'),
  purchase('A3', 'a3-1', 1500, '02-03T10:00:00'),
  // R2: billing, apology after five hours, satisfied.
  receive('C2', 'R2', '02-10T08:00:00', 'phone'),
  ack('C2', '02-10T10:00:00'),
  assess('C2', '02-10T12:00:00', 'billing', 'partly', 'one-off', 'low'),
  apologize('C2', '02-10T13:00:00'),
  act('C2', 'resolve', '02-12T08:00:00', { resolution: 'Refunded the fee', outcome: 'partially-upheld' }),
  followUp('C2', '02-14T08:00:00', true),
  act('C2', 'close', '02-14T09:00:00'),
  purchase('N1', 'n1-1', 2500, '02-20T10:00:00'),
  // M1's second complaint: slow apology, not satisfied, left resolved.
  receive('C8', 'M1', '02-20T10:00:00', 'social'),
  ack('C8', '02-21T10:00:00'),
  assess('C8', '02-25T10:00:00', 'service', 'yes', 'third-party', 'high'),
  apologize('C8', '03-02T10:00:00'),
  act('C8', 'resolve', '03-03T10:00:00', { resolution: 'Partner warned', outcome: 'upheld' }),
  followUp('C8', '03-05T10:00:00', false),
  // N1 (FCA): not justified, explained after two days, not satisfied.
  receive('C4', 'N1', '03-01T10:00:00', 'chat', { regime: 'FCA' }),
  ack('C4', '03-01T11:00:00'),
  assess('C4', '03-02T10:00:00', 'delivery', 'no', 'customer-error', 'low'),
  act('C4', 'explain', '03-03T10:00:00', { channel: 'chat', message: 'The address given was incomplete' }),
  // Within the FCA's summary-resolution window (the end of Wednesday 5 March): sent as the summary resolution communication.
  act('C4', 'resolve', '03-04T10:00:00', { resolution: 'No fault found', outcome: 'rejected', summaryResolution: true }),
  followUp('C4', '03-06T10:00:00', false),
  act('C4', 'close', '03-06T11:00:00'),
  // R2 again: withdrawn the same day (does not change R2's cohort).
  receive('C3', 'R2', '03-03T10:00:00', 'web'),
  act('C3', 'withdraw', '03-03T12:00:00', {}, 'customer'),
  // N2: never bought, never answered, closed unresolved.
  receive('C6', 'N2', '03-05T10:00:00', 'email'),
  ack('C6', '03-05T12:00:00'),
  purchase('O1', 'o1-1', 1200, '03-10T10:00:00'),
  act('C6', 'close', '03-25T10:00:00', { reason: 'customer-unresponsive' }),
  // O1: open.
  receive('C9', 'O1', '03-20T10:00:00', 'web'),
  ack('C9', '03-20T11:00:00'),
  // The window.
  purchase('A1', 'a1-2', 3000, '04-05T10:00:00'),
  purchase('A2', 'a2-2', 2000, '04-08T10:00:00'),
  purchase('W1', 'w1-2', 700, '04-09T10:00:00'),
  purchase('X1', 'x1-2', 5000, '04-10T10:00:00'),
  { at: T('04-10T10:00:00'), path: '/customers/A1/referrals', body: { referralId: 'ref-a1', at: T('04-10T10:00:00') } },
  purchase('R1', 'r1-2', 3300, '04-12T10:00:00'),
  receive('C5', 'N1', '04-12T10:00:00', 'email'),
  purchase('M1', 'm1-2', 1000, '04-15T10:00:00'),
  { at: T('04-15T10:00:00'), path: '/customers/A3/churn', body: { reason: 'Moved abroad', at: T('04-15T10:00:00') } },
  purchase('R2', 'r2-2', 1700, '04-18T10:00:00'),
  { at: T('04-19T10:00:00'), path: '/customers/R2/referrals', body: { referralId: 'ref-r2-1', at: T('04-19T10:00:00') } },
  purchase('A1', 'a1-3', 2000, '04-20T10:00:00'),
  { at: T('04-20T10:00:00'), path: '/customers/N2/churn', body: { at: T('04-20T10:00:00') } },
  purchase('N1', 'n1-2', 500, '04-22T10:00:00'),
  purchase('O1', 'o1-2', 900, '04-25T10:00:00'),
  {
    at: T('04-25T10:00:00'),
    path: '/customers/R2/referrals',
    body: { referralId: 'ref-r2-2', referredCustomerId: 'A9', at: T('04-25T10:00:00') },
  },
];

const HEADERS: Record<Role, Record<string, string>> = {
  agent: { 'X-Actor-Id': 'agent-7', 'X-Actor-Role': 'agent' },
  customer: { 'X-Actor-Id': 'customer-1', 'X-Actor-Role': 'customer' },
  supervisor: { 'X-Actor-Id': 'sup-1', 'X-Actor-Role': 'supervisor' },
};

/** Writes the dataset; returns the case ids by name and the last global position written. */
export async function writeDataset(
  server: TestServer,
  clock: SteppingClock,
): Promise<{ caseIds: Record<string, string>; position: number }> {
  const caseIds: Record<string, string> = {};
  let position = 0;
  for (const step of DATASET) {
    clock.set(step.at);
    const path = step.path.replace(/\{(\w+)\}/g, (_, key: string) => caseIds[key]);
    const response = await server.post(path, step.body ?? {}, HEADERS[step.role ?? 'agent']);
    if (response.status >= 300) throw new Error(`POST ${path} at ${step.at} answered ${response.status}: ${JSON.stringify(response.body)}`);
    if (step.opens) caseIds[step.opens] = response.body.caseId;
    position = Math.max(position, response.body.position);
  }
  clock.set(REPORT_AT);
  return { caseIds, position };
}

export const LOYALTY_QUERY = `/analytics/loyalty-outcomes?from=${PERIOD.from}&to=${PERIOD.to}&windowDays=${WINDOW_DAYS}`;

const row = (
  cohort: string,
  customers: number,
  totalSpend: number,
  meanSpend: number | null,
  medianSpend: number | null,
  retained: number,
  retention: number | null,
  more: { referrals?: number; repeatComplaints?: number; repeatComplainants?: number; churned?: number },
  lifts: [number | null, number | null, number | null, number | null],
) => ({
  cohort,
  customers,
  totalSpend,
  meanSpend,
  medianSpend,
  retained,
  retention,
  referrals: more.referrals ?? 0,
  repeatComplaints: more.repeatComplaints ?? 0,
  repeatComplainants: more.repeatComplainants ?? 0,
  churned: more.churned ?? 0,
  meanSpendLiftVsNoComplaint: lifts[0],
  meanSpendLiftVsNotRecovered: lifts[1],
  retentionLiftVsNoComplaint: lifts[2],
  retentionLiftVsNotRecovered: lifts[3],
  // Every cohort here is under the default minimum of 30 customers: flagged, no interval.
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
});

/**
 * The workings. No complaint: A1 5000, A2 2000, A3 0 → total 7000, mean 2333.33, median 2000, 2 of 3 bought again.
 * Recovered: R1 3300, R2 1700 → mean 2500 (2500 / 2333.33 − 1 = +0.0714; 2500 / 500 − 1 = 4). Not recovered: N1 500,
 * N2 0, M1 1000 → mean 500, median 500. Open: O1 900. Retention lifts: 1 / (2/3) − 1 = 0.5.
 */
export const EXPECTED_LOYALTY = {
  period: { from: '2025-01-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' },
  window: { from: '2025-04-01T00:00:00.000Z', to: '2025-05-01T00:00:00.000Z', days: 30, complete: true },
  currency: 'GBP',
  groupBy: null,
  customers: 9,
  excluded: { withdrawnOnly: 1 },
  intervals: { method: 'percentile-bootstrap', level: 0.95, resamples: 2000, seed: 2026, minCohort: 30 },
  rows: [
    row('no-complaint', 3, 7000, 2333.33, 2000, 2, 0.6667, { referrals: 1, churned: 1 }, [0, 3.6667, 0, 0]),
    row('recovered', 2, 5000, 2500, 2500, 2, 1, { referrals: 2 }, [0.0714, 4, 0.5, 0.5]),
    row('not-recovered', 3, 1500, 500, 500, 2, 0.6667, { repeatComplaints: 1, repeatComplainants: 1, churned: 1 }, [-0.7857, 0, 0, 0]),
    row('open', 1, 900, 900, 900, 1, 1, {}, [-0.6143, 0.8, 0.5, 0.5]),
  ],
};

export const EXPECTED_LOYALTY_CSV =
  [
    'cohort,customers,totalSpend,meanSpend,medianSpend,retained,retention,referrals,repeatComplaints,repeatComplainants,churned,' +
      'meanSpendLiftVsNoComplaint,meanSpendLiftVsNotRecovered,retentionLiftVsNoComplaint,retentionLiftVsNotRecovered,' +
      'tooSmall,meanSpendLow,meanSpendHigh,retentionLow,retentionHigh,meanSpendLiftVsNoComplaintLow,meanSpendLiftVsNoComplaintHigh,' +
      'meanSpendLiftVsNotRecoveredLow,meanSpendLiftVsNotRecoveredHigh,retentionLiftVsNoComplaintLow,retentionLiftVsNoComplaintHigh,' +
      'retentionLiftVsNotRecoveredLow,retentionLiftVsNotRecoveredHigh',
    'no-complaint,3,7000,2333.33,2000,2,0.6667,1,0,0,1,0,3.6667,0,0',
    'recovered,2,5000,2500,2500,2,1,2,0,0,0,0.0714,4,0.5,0.5',
    'not-recovered,3,1500,500,500,2,0.6667,0,1,1,1,-0.7857,0,0,0',
    'open,1,900,900,900,1,1,0,0,0,0,-0.6143,0.8,0.5,0.5',
  ]
    .map((line, index) => (index === 0 ? line : `${line},true${','.repeat(12)}`))
    .join('\r\n') + '\r\n';

/** (group, cohort, customers, mean spend) per row, grouped by the deciding complaint's category (M1: C8, service). */
export const EXPECTED_BY_CATEGORY = [
  [null, 'no-complaint', 3, 2333.33],
  ['billing', 'recovered', 1, 1700],
  ['delivery', 'recovered', 1, 3300],
  ['delivery', 'not-recovered', 1, 500],
  ['service', 'not-recovered', 1, 1000],
  ['unassessed', 'not-recovered', 1, 0],
  ['unassessed', 'open', 1, 900],
];

/** …by time to first response: C1 30 min, C2 5 h, C4 2 days, C8 10 days, C6 and C9 none. */
export const EXPECTED_BY_FIRST_RESPONSE = [
  [null, 'no-complaint', 3, 2333.33],
  ['0-1h', 'recovered', 1, 3300],
  ['1-24h', 'recovered', 1, 1700],
  ['1-3d', 'not-recovered', 1, 500],
  ['7d+', 'not-recovered', 1, 1000],
  ['none', 'not-recovered', 1, 0],
  ['none', 'open', 1, 900],
];

export const EXPECTED_BY_GOODWILL = [
  [null, 'no-complaint', 3, 2333.33],
  ['coupon', 'recovered', 1, 3300],
  ['none', 'recovered', 1, 1700],
  ['none', 'not-recovered', 3, 500],
  ['none', 'open', 1, 900],
];

/**
 * Fix fix-1 takes effect 2025-02-15. Delivery complaints in the 30 days before: C1 (1); after: C4 (1). Purchases
 * before: R1, R2, A3 (3 → 333.3333 per 1000); after: N1, O1 (2 → 500 per 1000).
 */
/** The exact (Garwood) 95% Poisson interval of one complaint (SciPy: chi2.ppf(0.025, 2) / 2, chi2.ppf(0.975, 4) / 2). */
const ONE_COMPLAINT = { complaintsLow: 0.0253, complaintsHigh: 5.5716 };

export function expectedSystemicIssues(caseIds: Record<string, string>) {
  return {
    period: { from: null, to: null },
    windowDays: 30,
    level: 0.95,
    categories: [
      {
        category: 'delivery',
        complaints: 2,
        fixes: [
          {
            caseId: caseIds['C1'],
            fixId: 'fix-1',
            description: 'Courier cut-off misconfigured',
            appliedAt: '2025-02-02T10:00:00.000Z',
            effectiveFrom: '2025-02-15T00:00:00.000Z',
            before: {
              from: '2025-01-16T00:00:00.000Z',
              to: '2025-02-15T00:00:00.000Z',
              complaints: 1,
              ...ONE_COMPLAINT,
              perDay: 0.0333,
              purchases: 3,
              per1000Purchases: 333.3333,
            },
            after: {
              from: '2025-02-15T00:00:00.000Z',
              to: '2025-03-17T00:00:00.000Z',
              complaints: 1,
              ...ONE_COMPLAINT,
              perDay: 0.0333,
              purchases: 2,
              per1000Purchases: 500,
              complete: true,
            },
            change: 0,
            // Exact 95% interval of the rate ratio for 1 against 1 (SciPy: beta.ppf), minus 1.
            changeLow: -0.9873,
            changeHigh: 77.4968,
          },
        ],
      },
      { category: 'billing', complaints: 1, fixes: [] },
      { category: 'product-quality', complaints: 1, fixes: [] },
      { category: 'service', complaints: 1, fixes: [] },
    ],
    unassessed: 5,
  };
}

const closure = (within3: number, within4w: number, open: number) => ({
  'within-3-business-days': within3,
  'within-4-weeks': within4w,
  'within-8-weeks': 0,
  'over-8-weeks': 0,
  open: open,
});
const breaches = (acknowledgement: number, finalResponse: number) => ({
  total: acknowledgement + finalResponse,
  byKind: { acknowledgement: acknowledgement, 'substantive-response': 0, 'final-response': finalResponse, 'follow-up': 0 },
});

/**
 * Default regime (house policy: acknowledge in 24 h, final response in 14 days): acknowledgements met on time by
 * C1, C2, C6, C7, C8 (exactly at its due instant), C9; C5 never acknowledged (late); C3 and C10 withdrawn before
 * their deadlines (cancelled, not counted). Final responses on time: C1, C2, C7, C8; late: C5 and C9 (still
 * unanswered), C6 (closed unresolved after its due date). Closure: C1 (received on a Saturday, resolved the Monday),
 * C2, C3, C7, C10 within 3 business days; C6 (20 days), C8 (11 days) within 4 weeks; C5, C9 open.
 * FCA: C4, acknowledged and resolved on time, rejected, within its summary-resolution window and sent as a summary resolution.
 */
export const EXPECTED_DEADLINES = {
  period: { from: null, to: null },
  asOf: REPORT_AT,
  regimes: [
    {
      regime: 'default',
      cases: 9,
      summaryResolution: { windows: 0, qualifying: 0, communicationSent: 0 },
      acknowledgement: { due: 7, onTime: 6, late: 1, pending: 0, excepted: 0 },
      finalResponse: { due: 7, onTime: 4, late: 3, pending: 0, excepted: 0 },
      breaches: breaches(1, 3),
      closure: closure(5, 2, 2),
      outcomes: { upheld: 3, partiallyUpheld: 1, rejected: 0 },
      upheldRate: 1,
      goodwillGranted: [{ currency: 'GBP', amount: 500 }],
    },
    {
      regime: 'FCA',
      cases: 1,
      summaryResolution: { windows: 1, qualifying: 1, communicationSent: 1 },
      acknowledgement: { due: 1, onTime: 1, late: 0, pending: 0, excepted: 0 },
      finalResponse: { due: 1, onTime: 1, late: 0, pending: 0, excepted: 0 },
      breaches: breaches(0, 0),
      closure: closure(1, 0, 0),
      outcomes: { upheld: 0, partiallyUpheld: 0, rejected: 1 },
      upheldRate: 0,
      goodwillGranted: [],
    },
  ],
  total: {
    cases: 10,
    summaryResolution: { windows: 1, qualifying: 1, communicationSent: 1 },
    acknowledgement: { due: 8, onTime: 7, late: 1, pending: 0, excepted: 0 },
    finalResponse: { due: 8, onTime: 5, late: 3, pending: 0, excepted: 0 },
    breaches: breaches(1, 3),
    closure: closure(6, 2, 2),
    outcomes: { upheld: 3, partiallyUpheld: 1, rejected: 1 },
    upheldRate: 0.8,
    goodwillGranted: [{ currency: 'GBP', amount: 500 }],
  },
};

/** Rows reduced to (group, cohort, customers, meanSpend) for the grouped expectations. */
export function groupedCells(rows: Array<{ group?: string | null; cohort: string; customers: number; meanSpend: number | null }>) {
  return rows.map((r) => [r.group ?? null, r.cohort, r.customers, r.meanSpend]);
}

/**
 * The analytics suite over the dataset, for a server on whichever read store `env` chooses: the SQLite
 * and PostgreSQL specs run the same expectations, so both dialects must give the same exact figures.
 */
export function analyticsOverDataset(env: () => Record<string, string>): void {
  const clock = new SteppingClock('2025-01-01T00:00:00.000Z');
  const server = withTestServer(() => ({ clock, env: { ...SERVER_ENV, ...env() } }));
  let caseIds: Record<string, string>;
  let position: number;

  beforeAll(async () => {
    ({ caseIds, position } = await writeDataset(server, clock));
  });

  it('classifies the active customers into cohorts with exact spend, retention, referrals, repeat complaints and lifts', async () => {
    const response = await server.get(`${LOYALTY_QUERY}&minPosition=${position}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(EXPECTED_LOYALTY);
  });

  it('answers the same table as CSV for Accept: text/csv', async () => {
    const response = await server.get(`${LOYALTY_QUERY}&minPosition=${position}`, { accept: 'text/csv' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv\b/);
    expect(response.headers.get('vary')).toMatch(/accept/i);
    expect(response.body).toBe(EXPECTED_LOYALTY_CSV);
  });

  it.each([
    ['category', EXPECTED_BY_CATEGORY],
    ['firstResponseBucket', EXPECTED_BY_FIRST_RESPONSE],
    ['goodwillKind', EXPECTED_BY_GOODWILL],
  ])('breaks the cohorts down by %s of the deciding complaint', async (groupBy, expected) => {
    const response = await server.get(`${LOYALTY_QUERY}&groupBy=${groupBy}&minPosition=${position}`);
    expect(response.status).toBe(200);
    expect(response.body.groupBy).toBe(groupBy);
    expect(groupedCells(response.body.rows)).toEqual(expected);
  });

  it('groups by channel and root cause too, lifts against the whole baselines', async () => {
    const byChannel = await server.get(`${LOYALTY_QUERY}&groupBy=channel`);
    expect(groupedCells(byChannel.body.rows)).toEqual(
      [
        [null, 'no-complaint', 3, 2333.33],
        ['email', 'recovered', 1, 3300],
        ['email', 'not-recovered', 1, 0],
        ['chat', 'not-recovered', 1, 500],
        ['phone', 'recovered', 1, 1700],
        ['social', 'not-recovered', 1, 1000],
        ['web', 'open', 1, 900],
      ].sort((a, b) => (a[0] === null ? -1 : b[0] === null ? 1 : String(a[0]).localeCompare(String(b[0])))),
    );
    const byRootCause = await server.get(`${LOYALTY_QUERY}&groupBy=rootCause`);
    const delivery = byRootCause.body.rows.find((r: { group: string }) => r.group === 'systemic');
    expect(delivery).toMatchObject({
      cohort: 'recovered',
      customers: 1,
      meanSpend: 3300,
      meanSpendLiftVsNoComplaint: 0.4143,
      meanSpendLiftVsNotRecovered: 5.6,
    });
  });

  it('draws the intervals with the reported seed, resamples and minimum cohort, the same for the same seed', async () => {
    const query = `${LOYALTY_QUERY}&minCohort=2&seed=5&resamples=500`;
    const [first, again] = [await server.get(query), await server.get(query)];
    expect(first.status).toBe(200);
    expect(first.body.intervals).toEqual({ method: 'percentile-bootstrap', level: 0.95, resamples: 500, seed: 5, minCohort: 2 });
    expect(again.body.rows).toEqual(first.body.rows);
    const [noComplaint, recovered, , open] = first.body.rows;
    expect(noComplaint).toMatchObject({ tooSmall: false, meanSpendLiftVsNoComplaintLow: 0, meanSpendLiftVsNoComplaintHigh: 0 });
    expect(noComplaint.meanSpendLow).toBeGreaterThanOrEqual(0);
    expect(noComplaint.meanSpendHigh).toBeLessThanOrEqual(5000);
    expect(recovered).toMatchObject({ tooSmall: false, meanSpendLow: expect.any(Number), retentionLow: 1, retentionHigh: 1 });
    expect(open).toMatchObject({ customers: 1, tooSmall: true, meanSpendLow: null, meanSpendLiftVsNoComplaintLow: null });
    const csv = await server.get(query, { accept: 'text/csv' });
    expect(csv.body.split('\r\n')[0]).toContain('tooSmall,meanSpendLow,meanSpendHigh,retentionLow,retentionHigh');
  });

  it('reports systemic issues: complaints per category and the complaint rate before and after each fix', async () => {
    const response = await server.get(`/analytics/systemic-issues?minPosition=${position}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(expectedSystemicIssues(caseIds));
    const march = await server.get('/analytics/systemic-issues?from=2025-03-01&to=2025-03-31');
    expect(march.body.categories).toEqual([{ category: 'delivery', complaints: 1, fixes: [] }]);
    expect(march.body.unassessed).toBe(3);
  });

  it('reports deadlines per regime: on time, breaches, closure times, upheld rate, goodwill granted', async () => {
    const response = await server.get(`/analytics/deadlines?minPosition=${position}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(EXPECTED_DEADLINES);
    const march = await server.get('/analytics/deadlines?from=2025-03-01&to=2025-03-31');
    expect(march.body.regimes.map((r: { regime: string; cases: number }) => [r.regime, r.cases])).toEqual([
      ['default', 3],
      ['FCA', 1],
    ]);
    expect(march.body.period).toEqual({ from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' });
  });

  it.each([
    ['/analytics/loyalty-outcomes?to=2025-03-31', ['from']],
    ['/analytics/loyalty-outcomes?from=2025-01-01&to=2025-13-01', ['to']],
    ['/analytics/loyalty-outcomes?from=2025-03-31&to=2025-01-01', ['to']],
    ['/analytics/loyalty-outcomes?from=2025-01-01&to=2025-03-31&windowDays=ninety', ['windowDays']],
    ['/analytics/loyalty-outcomes?from=2025-01-01&to=2025-03-31&windowDays=0', ['windowDays']],
    ['/analytics/loyalty-outcomes?from=2025-01-01&to=2025-03-31&groupBy=colour', ['groupBy']],
    ['/analytics/loyalty-outcomes?from=2025-01-01&to=2025-03-31&currency=XYZ', ['currency']],
    ['/analytics/loyalty-outcomes?from=2025-01-01T00:00:00&to=2025-03-31', ['from']],
    ['/analytics/loyalty-outcomes?from=2025-01-01&to=2025-03-31&cohort=recovered', ['cohort']],
    ['/analytics/loyalty-outcomes?from=2025-01-01&to=2025-03-31&minPosition=soon', ['minPosition']],
    ['/analytics/loyalty-outcomes?from=2025-01-01&to=2025-03-31&resamples=10&seed=-1&minCohort=0', ['resamples', 'seed', 'minCohort']],
    ['/analytics/systemic-issues?windowDays=400', ['windowDays']],
    ['/analytics/systemic-issues?from=yesterday', ['from']],
    ['/analytics/deadlines?from=2025-02-30', ['from']],
    ['/analytics/deadlines?from=2025-03-01&to=2025-02-01', ['to']],
  ])('refuses %s with a 400 problem naming %j', async (url, fields) => {
    const response = await server.get(url, { accept: 'text/csv' });
    expectFieldErrors(response, fields);
  });

  it('asks which currency when purchases are in several, and sums only that one', async () => {
    clock.set('2025-04-09T12:00:00.000Z');
    const eur = await server.post('/customers/A2/purchases', {
      orderId: 'a2-eur',
      amount: 9999,
      currency: 'EUR',
      at: '2025-04-09T12:00:00Z',
    });
    expect(eur.status).toBe(201);
    clock.set(REPORT_AT);
    const ambiguous = await server.get(`${LOYALTY_QUERY}&minPosition=${eur.body.position}`);
    expectFieldErrors(ambiguous, ['currency']);
    const inPounds = await server.get(`${LOYALTY_QUERY}&currency=GBP`);
    expect(inPounds.body).toEqual(EXPECTED_LOYALTY);
    const inEuros = await server.get(`${LOYALTY_QUERY}&currency=EUR`);
    expect(inEuros.body.rows[0]).toMatchObject({ cohort: 'no-complaint', totalSpend: 9999, retained: 2 });
  });
}
