import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { sql, type Kysely } from 'kysely';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { CLOCK, Clock } from '../../../core/clock';
import { RequestValidationError } from '../../../core/http/problem-details';
import { Queryable, READ_STORE, ReadStore, narrowTables } from '../../../core/read-store/read-store';
import { customerVulnerabilities, type CustomerVulnerabilityTables } from '../../../customers/public';
import { LOYALTY_TABLES as T, type LoyaltyTables } from '../../projection/loyalty-facts.tables';
import { Period, addDays, periodOf, toNumber } from '../shared/analytics-params';
import { BootstrapThreads } from '../shared/bootstrap-threads';
import { CONFIDENCE_LEVEL, DEFAULT_MIN_COHORT, DEFAULT_RESAMPLES, DEFAULT_SEED, drawHere, type DrawBootstrap } from '../shared/intervals';
import {
  ClassificationOf,
  DECIDING_OUTCOMES,
  LoyaltyGroupBy,
  LoyaltyRow,
  NO_COMPLAINT,
  PeriodCase,
  WindowActivity,
  classifyEach,
  loyaltyTable,
} from './loyalty-outcomes.compute';
import type { LoyaltyOutcomesQueryDto } from './loyalty-outcomes.dto';

export const DEFAULT_WINDOW_DAYS = 90;

export interface LoyaltyOutcomes {
  period: Period;
  window: Period & { days: number; /** False while the window reaches past now: its figures will still grow. */ complete: boolean };
  /** The currency of every spend figure; null when nobody bought anything. */
  currency: string | null;
  groupBy: LoyaltyGroupBy | null;
  /** Customers active in the period (a purchase or a complaint received in it) and classified. */
  customers: number;
  /** Active customers left out because every complaint they made in the period was withdrawn. */
  excluded: { withdrawnOnly: number };
  /** How every row's `…Low` / `…High` interval was drawn: report the seed and resamples with the figures, and anyone can redraw them. */
  intervals: { method: 'percentile-bootstrap'; level: number; resamples: number; seed: number; minCohort: number };
  rows: LoyaltyRow[];
}

export class LoyaltyOutcomesQuery extends Query<LoyaltyOutcomes> {
  constructor(readonly params: LoyaltyOutcomesQueryDto) {
    super();
  }
}

@QueryHandler(LoyaltyOutcomesQuery)
export class LoyaltyOutcomesHandler implements IQueryHandler<LoyaltyOutcomesQuery> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore<LoyaltyTables & CustomerVulnerabilityTables>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly threads: BootstrapThreads,
  ) {}

  execute({ params }: LoyaltyOutcomesQuery): Promise<LoyaltyOutcomes> {
    return loyaltyOutcomes(
      this.readStore.reports,
      { minCohort: this.config.analyticsMinCohort, ...params },
      this.clock.now().toISOString(),
      (ids) => customerVulnerabilities(this.readStore.reports, ids),
      this.threads.draw,
    );
  }
}

/** The customers among these flagged vulnerable on their own, with their FG21/1 reason. */
export type CustomerVulnerabilityOf = (customerIds: readonly string[]) => Promise<ReadonlyMap<string, { reason: string }>>;

/** The loyalty-outcome report (docs/domain.md): SQL gathers each customer's facts, `loyaltyTable` turns them into cohorts. */
export async function loyaltyOutcomes<DB extends LoyaltyTables>(
  database: Queryable<DB>,
  params: LoyaltyOutcomesQueryDto,
  now: string,
  customerVulnerabilityOf: CustomerVulnerabilityOf = async () => new Map(),
  draw: DrawBootstrap = drawHere,
): Promise<LoyaltyOutcomes> {
  const db = narrowTables<DB, LoyaltyTables>(database);
  const period = periodOf(params.from, params.to);
  const days = params.windowDays ?? DEFAULT_WINDOW_DAYS;
  const window = { from: period.to, to: addDays(period.to, days) };
  const currency = await reportCurrency(db, period.from, window.to, params.currency);

  const [purchasers, classified, spend, referrals, complaints, churned] = await Promise.all([
    db.selectFrom(T.purchases).select('customer_id').distinct().where('at', '>=', period.from).where('at', '<', period.to).execute(),
    params.groupBy ? classifiedByCases(db, period, params.groupBy, customerVulnerabilityOf) : classifiedInSql(db, period),
    db
      .selectFrom(T.purchases)
      .select(({ fn }) => ['customer_id', 'currency', fn.sum('amount').as('spend'), fn.countAll().as('purchases')])
      .where('at', '>=', window.from)
      .where('at', '<', window.to)
      .groupBy(['customer_id', 'currency'])
      .execute(),
    db
      .selectFrom(T.referrals)
      .select(({ fn }) => ['customer_id', fn.countAll().as('referrals')])
      .where('at', '>=', window.from)
      .where('at', '<', window.to)
      .groupBy('customer_id')
      .execute(),
    db
      .selectFrom(T.cases)
      .select(({ fn }) => ['customer_id', fn.countAll().as('complaints')])
      .where('received_at', '>=', window.from)
      .where('received_at', '<', window.to)
      .groupBy('customer_id')
      .execute(),
    db.selectFrom(T.churn).select('customer_id').distinct().where('at', '>=', period.from).where('at', '<', window.to).execute(),
  ]);
  const active = new Set<string>([...purchasers.map((row) => row.customer_id), ...classified.complainants]);

  const activity = new Map<string, WindowActivity>();
  const of = (customerId: string) => {
    let entry = activity.get(customerId);
    if (!entry) activity.set(customerId, (entry = { spend: 0, purchases: 0, referrals: 0, complaints: 0, churned: false }));
    return entry;
  };
  for (const row of spend) {
    if (!active.has(row.customer_id)) continue;
    const entry = of(row.customer_id);
    entry.purchases += toNumber(row.purchases);
    if (row.currency === currency) entry.spend += toNumber(row.spend);
  }
  for (const row of referrals) if (active.has(row.customer_id)) of(row.customer_id).referrals += toNumber(row.referrals);
  for (const row of complaints) if (active.has(row.customer_id)) of(row.customer_id).complaints += toNumber(row.complaints);
  for (const row of churned) if (active.has(row.customer_id)) of(row.customer_id).churned = true;

  const intervals = {
    method: 'percentile-bootstrap' as const,
    level: CONFIDENCE_LEVEL,
    resamples: params.resamples ?? DEFAULT_RESAMPLES,
    seed: params.seed ?? DEFAULT_SEED,
    minCohort: params.minCohort ?? DEFAULT_MIN_COHORT,
  };
  const table = await loyaltyTable([...active].sort(), classified.classificationOf, activity, params.groupBy, intervals, draw);
  return {
    period,
    window: { ...window, days, complete: window.to <= now },
    currency,
    groupBy: params.groupBy ?? null,
    customers: table.customers,
    excluded: { withdrawnOnly: table.withdrawnOnly },
    intervals,
    rows: table.rows,
  };
}

/** The customers who complained in the period, and how their complaints classify them. */
interface Classified {
  complainants: Iterable<string>;
  classificationOf: ClassificationOf;
}

/** A case's place in DECIDING_OUTCOMES (0 outweighs the others); null for a withdrawn one. */
const outcomeRank = sql<number | null>`case ${sql.ref('recovery')} ${sql.join(
  DECIDING_OUTCOMES.map((outcome, n) => sql`when ${sql.lit(outcome)} then ${sql.lit(n)}`),
  sql` `,
)} end`;

/**
 * Classified in SQL, one row per customer rather than one per case (the objects of ~7 cases a customer were most of the
 * report's time): the cohort is the first of DECIDING_OUTCOMES among a customer's complaints, i.e. their lowest rank
 * (`classify`'s rule); null when every one was withdrawn. Ungrouped reports need no deciding case. The period's cases
 * are gathered first (a materialised CTE) so that they are read from the period index: grouping them directly, SQLite
 * may choose to walk the customer index for its order and look up every case's row.
 */
async function classifiedInSql(db: Kysely<LoyaltyTables>, period: Period): Promise<Classified> {
  const rows = await db
    .with(
      (cte) => cte('period_cases').materialized(),
      (db) =>
        db
          .selectFrom(T.cases)
          .select(['customer_id', outcomeRank.as('rank')])
          .where('received_at', '>=', period.from)
          .where('received_at', '<', period.to),
    )
    .selectFrom('period_cases')
    .select(({ fn }) => ['customer_id', fn.min('rank').as('rank')])
    .groupBy('customer_id')
    .execute();
  const ranks = new Map(rows.map((row) => [row.customer_id, row.rank]));
  return {
    complainants: ranks.keys(),
    classificationOf: (customerId) => {
      const rank = ranks.get(customerId);
      if (rank === undefined) return NO_COMPLAINT;
      return rank === null ? undefined : { cohort: DECIDING_OUTCOMES[rank] };
    },
  };
}

/** A PeriodCase's fields, each selected under its name (the period index covers them all: LOYALTY_PERIOD_COLUMNS). */
const PERIOD_CASE_FIELDS = [
  'case_id as caseId',
  'customer_id as customerId',
  'received_at as receivedAt',
  'recovery',
  'channel',
  'category',
  'root_cause as rootCause',
  'goodwill_kind as goodwillKind',
  'first_response_bucket as firstResponseBucket',
  'cause_level1 as causeLevel1',
  'cause_level2 as causeLevel2',
  'vulnerability',
] as const;

/** A case's place in DECIDING_OUTCOMES, withdrawn last: a customer's candidates for the deciding case are their cases at the least place. */
const outcomePlace = sql<number>`coalesce(${outcomeRank}, ${sql.lit(DECIDING_OUTCOMES.length)})`;

/**
 * Classified from each customer's cases of the period, for the deciding case a grouped report needs. SQL keeps only a
 * customer's candidates (their best outcome's earliest cases; all withdrawn, their earliest) and `classify` decides
 * among them as among all: a tie on the time falls to the case id, compared as the rule compares it, whatever the
 * database's collation. A customer has ~7 cases of a period: reading them all was most of a grouped report's time.
 * The candidates are found on narrow rows (customer, place, time: grouped twice) and only theirs fetched with every
 * field; ranking the period's rows with all their fields in a window sorted them whole (at 135,600 cases 320 ms of SQL
 * against about 150).
 * Grouped by vulnerability, the deciding case counts under its own flag's reason, else its customer's
 * (`customerVulnerabilityOf`).
 */
async function classifiedByCases(
  db: Kysely<LoyaltyTables>,
  period: Period,
  groupBy: LoyaltyGroupBy,
  customerVulnerabilityOf: CustomerVulnerabilityOf,
): Promise<Classified> {
  const cases: PeriodCase[] = await db
    .with(
      (cte) => cte('period_cases').materialized(),
      (db) =>
        db
          .selectFrom(T.cases)
          .select(['customer_id', 'received_at', outcomePlace.as('place')])
          .where('received_at', '>=', period.from)
          .where('received_at', '<', period.to),
    )
    .with('best', (db) =>
      db
        .selectFrom('period_cases')
        .select(({ fn }) => ['customer_id', fn.min('place').as('place')])
        .groupBy('customer_id'),
    )
    .with(
      (cte) => cte('candidates').materialized(),
      (db) =>
        db
          .selectFrom('period_cases')
          .innerJoin('best', (join) =>
            join.onRef('best.customer_id', '=', 'period_cases.customer_id').onRef('best.place', '=', 'period_cases.place'),
          )
          .select(({ fn }) => [
            'period_cases.customer_id as candidate_customer',
            'period_cases.place as candidate_place',
            fn.min('period_cases.received_at').as('candidate_at'),
          ])
          .groupBy(['period_cases.customer_id', 'period_cases.place']),
    )
    .selectFrom('candidates')
    // Received at the candidate's time by the candidate's customer: a seek into the period index, which covers the fields.
    .innerJoin(T.cases, (join) => join.onRef('received_at', '=', 'candidate_at').onRef('customer_id', '=', 'candidate_customer'))
    .select(PERIOD_CASE_FIELDS)
    .where(outcomePlace, '=', sql.ref<number>('candidate_place'))
    .execute();
  const casesByCustomer = new Map<string, PeriodCase[]>();
  for (const periodCase of cases) {
    const customerCases = casesByCustomer.get(periodCase.customerId);
    if (customerCases) customerCases.push(periodCase);
    else casesByCustomer.set(periodCase.customerId, [periodCase]);
  }
  const classificationOf = classifyEach(casesByCustomer);
  if (groupBy !== 'vulnerability') return { complainants: casesByCustomer.keys(), classificationOf };
  const customerFlags = await customerVulnerabilityOf([...casesByCustomer.keys()]);
  return {
    complainants: casesByCustomer.keys(),
    classificationOf: (customerId) => {
      const classification = classificationOf(customerId);
      const deciding = classification?.deciding;
      if (!classification || !deciding) return classification;
      const vulnerability = deciding.vulnerability ?? customerFlags.get(customerId)?.reason ?? null;
      return { ...classification, deciding: { ...deciding, vulnerability } };
    },
  };
}

/** Spend is summed in one currency: the one asked for, or the only one purchases of the period and window are in. */
async function reportCurrency(db: Kysely<LoyaltyTables>, from: string, to: string, asked: string | undefined): Promise<string | null> {
  if (asked) return asked;
  const rows = await db
    .selectFrom(T.purchases)
    .select('currency')
    .distinct()
    .where('at', '>=', from)
    .where('at', '<', to)
    .orderBy('currency')
    .execute();
  const currencies = rows.map((row) => row.currency);
  if (currencies.length > 1) {
    throw new RequestValidationError([
      { field: 'currency', message: `is needed: purchases in the period and window are in ${currencies.join(', ')}; choose one` },
    ]);
  }
  return currencies[0] ?? null;
}
