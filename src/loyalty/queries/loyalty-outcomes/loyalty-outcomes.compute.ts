import type { RecoveryClass } from '../../projection/case-facts';
import { FIRST_RESPONSE_BUCKETS } from '../../projection/case-facts';
import { round } from '../shared/analytics-params';
import type { LoyaltyGroupBy } from './loyalty-group-by';
import {
  DEFAULT_MIN_COHORT,
  DEFAULT_RESAMPLES,
  DEFAULT_SEED,
  DrawBootstrap,
  Interval,
  NO_INTERVAL,
  drawHere,
  liftReplicates,
  percentileInterval,
  streamSeed,
} from '../shared/intervals';

export const COHORTS = ['no-complaint', 'recovered', 'not-recovered', 'open'] as const;
export type Cohort = (typeof COHORTS)[number];

export { LOYALTY_GROUP_BY, type LoyaltyGroupBy } from './loyalty-group-by';

/** A complaint received in the period, as the loyalty read model has it now. */
export interface PeriodCase {
  caseId: string;
  customerId: string;
  receivedAt: string;
  recovery: RecoveryClass;
  channel: string;
  category: string | null;
  rootCause: string | null;
  goodwillKind: string;
  firstResponseBucket: string;
  /** The root-cause code's levels (taxonomy), null when the assessment gave none. */
  causeLevel1?: string | null;
  causeLevel2?: string | null;
  /** The FG21/1 reason while flagged vulnerable, else null. */
  vulnerability?: string | null;
}

/** What one customer did in the window after the period. */
export interface WindowActivity {
  /** Spend in the report's currency, minor units. */
  spend: number;
  /** Purchases in any currency: "bought again". */
  purchases: number;
  referrals: number;
  complaints: number;
  churned: boolean;
}

export interface LoyaltyRow {
  /** Present when grouped: the value of the deciding case (null for customers without a complaint). */
  group?: string | null;
  cohort: Cohort;
  customers: number;
  totalSpend: number;
  /** Minor units, rounded to 2 decimals; null for an empty cohort. */
  meanSpend: number | null;
  medianSpend: number | null;
  retained: number;
  /** Share who bought again in the window, 4 decimals. */
  retention: number | null;
  referrals: number;
  repeatComplaints: number;
  repeatComplainants: number;
  churned: number;
  /** mean / baseline mean − 1 (0.06 = 6% more), 4 decimals; null when either side is empty or the baseline is 0. */
  meanSpendLiftVsNoComplaint: number | null;
  meanSpendLiftVsNotRecovered: number | null;
  retentionLiftVsNoComplaint: number | null;
  retentionLiftVsNotRecovered: number | null;
  /** Fewer customers than the report's `minCohort`: too few to say anything, so no interval (and no lift interval against it). */
  tooSmall: boolean;
  /** 95% percentile-bootstrap intervals (low, high) of the figures above; null when too small or undefined. */
  meanSpendLow: number | null;
  meanSpendHigh: number | null;
  retentionLow: number | null;
  retentionHigh: number | null;
  meanSpendLiftVsNoComplaintLow: number | null;
  meanSpendLiftVsNoComplaintHigh: number | null;
  meanSpendLiftVsNotRecoveredLow: number | null;
  meanSpendLiftVsNotRecoveredHigh: number | null;
  retentionLiftVsNoComplaintLow: number | null;
  retentionLiftVsNoComplaintHigh: number | null;
  retentionLiftVsNotRecoveredLow: number | null;
  retentionLiftVsNotRecoveredHigh: number | null;
}

export const LOYALTY_COLUMNS: ReadonlyArray<keyof LoyaltyRow> = [
  'cohort',
  'customers',
  'totalSpend',
  'meanSpend',
  'medianSpend',
  'retained',
  'retention',
  'referrals',
  'repeatComplaints',
  'repeatComplainants',
  'churned',
  'meanSpendLiftVsNoComplaint',
  'meanSpendLiftVsNotRecovered',
  'retentionLiftVsNoComplaint',
  'retentionLiftVsNotRecovered',
  'tooSmall',
  'meanSpendLow',
  'meanSpendHigh',
  'retentionLow',
  'retentionHigh',
  'meanSpendLiftVsNoComplaintLow',
  'meanSpendLiftVsNoComplaintHigh',
  'meanSpendLiftVsNotRecoveredLow',
  'meanSpendLiftVsNotRecoveredHigh',
  'retentionLiftVsNoComplaintLow',
  'retentionLiftVsNoComplaintHigh',
  'retentionLiftVsNotRecoveredLow',
  'retentionLiftVsNotRecoveredHigh',
];

/** How the intervals are drawn: bootstrap resamples, the PRNG seed, and the smallest cohort given one. */
export interface IntervalOptions {
  resamples: number;
  seed: number;
  minCohort: number;
}

export const DEFAULT_INTERVAL_OPTIONS: IntervalOptions = {
  resamples: DEFAULT_RESAMPLES,
  seed: DEFAULT_SEED,
  minCohort: DEFAULT_MIN_COHORT,
};

export interface Classification {
  cohort: Cohort;
  /** The complaint whose outcome decided the cohort (absent for no complaint). */
  deciding?: PeriodCase;
}

const byReceipt = (a: PeriodCase, b: PeriodCase) =>
  a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0;

/** The outcomes a complaint can decide a cohort by, the one that outweighs the others first. */
export const DECIDING_OUTCOMES = ['not-recovered', 'open', 'recovered'] as const satisfies readonly Cohort[];

export const NO_COMPLAINT: Classification = { cohort: 'no-complaint' };

/**
 * A customer's cohort from their complaints received in the period (withdrawn ones do not count):
 * none → no complaint; any not recovered → not recovered; else any still open → open; else recovered.
 * One bad outcome outweighs a good one (the recovery paradox does not survive a second failure), and
 * "recovered" means every complaint of the period was. The deciding case is the earliest with that outcome.
 * Undefined when every complaint of the period was withdrawn: such customers are left out and counted.
 */
export function classify(cases: readonly PeriodCase[]): Classification | undefined {
  if (cases.length === 0) return NO_COMPLAINT;
  const counted = cases.filter((c) => c.recovery !== 'withdrawn').sort(byReceipt);
  for (const cohort of DECIDING_OUTCOMES) {
    const deciding = counted.find((c) => c.recovery === cohort);
    if (deciding) return { cohort, deciding };
  }
  return undefined;
}

/** Each customer classified by their complaints of the period (`classify`). */
export function classifyEach(casesByCustomer: ReadonlyMap<string, readonly PeriodCase[]>): ClassificationOf {
  return (customerId) => classify(casesByCustomer.get(customerId) ?? []);
}

export function groupValue(groupBy: LoyaltyGroupBy, deciding: PeriodCase | undefined): string | null {
  if (!deciding) return null;
  switch (groupBy) {
    case 'category':
      return deciding.category ?? 'unassessed';
    case 'rootCause':
      return deciding.rootCause ?? 'unassessed';
    case 'channel':
      return deciding.channel;
    case 'goodwillKind':
      return deciding.goodwillKind;
    case 'firstResponseBucket':
      return deciding.firstResponseBucket;
    case 'causeLevel1':
      return deciding.causeLevel1 ?? 'uncoded';
    case 'causeLevel2':
      // The second level means something only under its first: `delivery/late`, not `late`.
      return deciding.causeLevel1 && deciding.causeLevel2 ? `${deciding.causeLevel1}/${deciding.causeLevel2}` : 'uncoded';
    case 'vulnerability':
      return deciding.vulnerability ?? 'not-vulnerable';
  }
}

export interface LoyaltyTable {
  customers: number;
  withdrawnOnly: number;
  rows: LoyaltyRow[];
}

interface Member {
  cohort: Cohort;
  group: string | null;
  activity: WindowActivity;
}

const NO_ACTIVITY: WindowActivity = { spend: 0, purchases: 0, referrals: 0, complaints: 0, churned: false };

/** A customer's classification by their complaints of the period; undefined when every one was withdrawn. */
export type ClassificationOf = (customerId: string) => Classification | undefined;

/**
 * The loyalty-outcome table for the customers active in the period (`activeCustomers`), given how their
 * complaints of the period classify them (with the deciding case when grouped) and their activity in the
 * window after it. Lifts compare with the whole "no complaint" and "not recovered" cohorts, whatever the grouping.
 */
export async function loyaltyTable(
  activeCustomers: Iterable<string>,
  classificationOf: ClassificationOf,
  activityByCustomer: ReadonlyMap<string, WindowActivity>,
  groupBy?: LoyaltyGroupBy,
  options: IntervalOptions = DEFAULT_INTERVAL_OPTIONS,
  draw: DrawBootstrap = drawHere,
): Promise<LoyaltyTable> {
  const members: Member[] = [];
  let withdrawnOnly = 0;
  for (const customerId of activeCustomers) {
    const classification = classificationOf(customerId);
    if (!classification) {
      withdrawnOnly += 1;
      continue;
    }
    members.push({
      cohort: classification.cohort,
      group: groupBy ? groupValue(groupBy, classification.deciding) : null,
      activity: activityByCustomer.get(customerId) ?? NO_ACTIVITY,
    });
  }

  const inCohort = new Map(COHORTS.map((cohort) => [cohort, members.filter((member) => member.cohort === cohort)]));
  const noComplaint = statistics(inCohort.get('no-complaint')!);
  const notRecovered = statistics(inCohort.get('not-recovered')!);
  const cells: Cell[] = groupBy
    ? [...new Set(members.map((member) => member.group))].sort(groupOrder(groupBy)).flatMap((group) =>
        COHORTS.flatMap((cohort) => {
          const inCell = members.filter((member) => member.group === group && member.cohort === cohort);
          return inCell.length === 0 ? [] : [{ cohort, group, members: inCell }];
        }),
      )
    : COHORTS.map((cohort) => ({ cohort, members: inCohort.get(cohort)! }));
  const baselines: Cell[] = [
    { cohort: 'no-complaint', members: inCohort.get('no-complaint')! },
    { cohort: 'not-recovered', members: inCohort.get('not-recovered')! },
  ];
  const bootstrap = await Bootstrap.drawn([...baselines, ...cells], options, draw);
  const noComplaintReplicates = bootstrap.of(baselines[0]);
  const notRecoveredReplicates = bootstrap.of(baselines[1]);
  const row = ({ cohort, group, members: cell }: Cell): LoyaltyRow => {
    const stats = statistics(cell);
    const replicates = bootstrap.of({ cohort, group, members: cell });
    const spend = replicates?.spend;
    const retention = replicates?.retention;
    const liftInterval = (values: Float64Array | undefined, baseline: Float64Array | undefined): Interval =>
      values && baseline ? rounded(percentileInterval(liftReplicates(values, baseline)), 4) : NO_INTERVAL;
    const intervals = {
      meanSpend: spend ? rounded(percentileInterval(spend), 2) : NO_INTERVAL,
      retention: retention ? rounded(percentileInterval(retention), 4) : NO_INTERVAL,
      spendVsNoComplaint: liftInterval(spend, noComplaintReplicates?.spend),
      spendVsNotRecovered: liftInterval(spend, notRecoveredReplicates?.spend),
      retentionVsNoComplaint: liftInterval(retention, noComplaintReplicates?.retention),
      retentionVsNotRecovered: liftInterval(retention, notRecoveredReplicates?.retention),
    };
    return {
      ...pointRow(cohort, stats, group),
      tooSmall: stats.customers < options.minCohort,
      meanSpendLow: intervals.meanSpend.low,
      meanSpendHigh: intervals.meanSpend.high,
      retentionLow: intervals.retention.low,
      retentionHigh: intervals.retention.high,
      meanSpendLiftVsNoComplaintLow: intervals.spendVsNoComplaint.low,
      meanSpendLiftVsNoComplaintHigh: intervals.spendVsNoComplaint.high,
      meanSpendLiftVsNotRecoveredLow: intervals.spendVsNotRecovered.low,
      meanSpendLiftVsNotRecoveredHigh: intervals.spendVsNotRecovered.high,
      retentionLiftVsNoComplaintLow: intervals.retentionVsNoComplaint.low,
      retentionLiftVsNoComplaintHigh: intervals.retentionVsNoComplaint.high,
      retentionLiftVsNotRecoveredLow: intervals.retentionVsNotRecovered.low,
      retentionLiftVsNotRecoveredHigh: intervals.retentionVsNotRecovered.high,
    };
  };
  const pointRow = (cohort: Cohort, stats: Statistics, group?: string | null) => ({
    ...(groupBy ? { group: group ?? null } : {}),
    cohort,
    customers: stats.customers,
    totalSpend: stats.totalSpend,
    meanSpend: stats.mean === null ? null : round(stats.mean, 2),
    medianSpend: stats.median,
    retained: stats.retained,
    retention: stats.retention === null ? null : round(stats.retention, 4),
    referrals: stats.referrals,
    repeatComplaints: stats.repeatComplaints,
    repeatComplainants: stats.repeatComplainants,
    churned: stats.churned,
    meanSpendLiftVsNoComplaint: lift(stats.mean, noComplaint.mean),
    meanSpendLiftVsNotRecovered: lift(stats.mean, notRecovered.mean),
    retentionLiftVsNoComplaint: lift(stats.retention, noComplaint.retention),
    retentionLiftVsNotRecovered: lift(stats.retention, notRecovered.retention),
  });

  return { customers: members.length, withdrawnOnly, rows: cells.map(row) };
}

/** Ungrouped customers (no complaint) first; response-time buckets in time order; other values alphabetically. */
function groupOrder(groupBy: LoyaltyGroupBy) {
  const rank = (group: string | null) =>
    group === null ? -1 : groupBy === 'firstResponseBucket' ? (FIRST_RESPONSE_BUCKETS as readonly string[]).indexOf(group) : 0;
  return (a: string | null, b: string | null) => rank(a) - rank(b) || (a ?? '').localeCompare(b ?? '');
}

interface Statistics {
  customers: number;
  totalSpend: number;
  mean: number | null;
  median: number | null;
  retained: number;
  retention: number | null;
  referrals: number;
  repeatComplaints: number;
  repeatComplainants: number;
  churned: number;
}

function statistics(members: readonly Member[]): Statistics {
  const spends = members.map((member) => member.activity.spend).sort((a, b) => a - b);
  const n = spends.length;
  const totalSpend = spends.reduce((sum, spend) => sum + spend, 0);
  const retained = members.filter((member) => member.activity.purchases > 0).length;
  return {
    customers: n,
    totalSpend,
    mean: n === 0 ? null : totalSpend / n,
    median: n === 0 ? null : n % 2 === 1 ? spends[(n - 1) / 2] : (spends[n / 2 - 1] + spends[n / 2]) / 2,
    retained,
    retention: n === 0 ? null : retained / n,
    referrals: members.reduce((sum, member) => sum + member.activity.referrals, 0),
    repeatComplaints: members.reduce((sum, member) => sum + member.activity.complaints, 0),
    repeatComplainants: members.filter((member) => member.activity.complaints > 0).length,
    churned: members.filter((member) => member.activity.churned).length,
  };
}

function lift(value: number | null, baseline: number | null): number | null {
  if (value === null || baseline === null || baseline === 0) return null;
  return round(value / baseline - 1, 4);
}

const rounded = (interval: Interval, places: number): Interval => ({
  low: interval.low === null ? null : round(interval.low, places),
  high: interval.high === null ? null : round(interval.high, places),
});

/** A row's customers: a cohort, within a group when grouped (ungrouped and customers without a complaint: none). */
interface Cell {
  cohort: Cohort;
  group?: string | null;
  members: readonly Member[];
}

interface Replicates {
  spend: Float64Array;
  retention: Float64Array;
}

/**
 * Bootstrap replicates of each cell's mean spend and retention: its customers resampled with replacement (`resamples`
 * times, one seeded stream per cell key), all cells drawn side by side (`draw`: on worker threads in the service).
 * Undefined for a cell under `minCohort`.
 */
class Bootstrap {
  private constructor(private readonly replicates: ReadonlyMap<string, Replicates | undefined>) {}

  static async drawn(cells: readonly Cell[], options: IntervalOptions, draw: DrawBootstrap): Promise<Bootstrap> {
    const byKey = new Map(cells.map((cell) => [Bootstrap.key(cell), cell.members]));
    const drawn = await Promise.all(
      [...byKey].map(async ([key, members]): Promise<[string, Replicates | undefined]> => {
        if (members.length === 0 || members.length < options.minCohort) return [key, undefined];
        const spend = Float64Array.from(members, (member) => member.activity.spend);
        const retained = Float64Array.from(members, (member) => (member.activity.purchases > 0 ? 1 : 0));
        const [spendMeans, retentionMeans] = await draw([spend, retained], options.resamples, streamSeed(options.seed, key));
        return [key, { spend: spendMeans, retention: retentionMeans }];
      }),
    );
    return new Bootstrap(new Map(drawn));
  }

  /** The cell without a group is the whole cohort (customers without a complaint): the same stream as its baseline. */
  private static key({ cohort, group }: Cell): string {
    return group === null || group === undefined ? `cohort:${cohort}` : `group:${group}|${cohort}`;
  }

  of(cell: Cell): Replicates | undefined {
    return this.replicates.get(Bootstrap.key(cell));
  }
}
