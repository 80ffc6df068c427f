import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { sql, type SelectQueryBuilder } from 'kysely';
import { REGIMES } from '../../../complaints/public';
import { DEADLINE_KINDS, type DeadlineKind } from '../../../complaints/public';
import { CLOCK, Clock } from '../../../core/clock';
import { RequestValidationError } from '../../../core/http/problem-details';
import { Queryable, READ_STORE, ReadStore, narrowTables } from '../../../core/read-store/read-store';
import { CLOSURE_BUCKETS, type ClosureBucket } from '../../projection/case-facts';
import { LOYALTY_TABLES as T, type LoyaltyTables } from '../../projection/loyalty-facts.tables';
import { boundaryInstant, round, toNumber } from '../shared/analytics-params';
import type { DeadlinesQueryDto } from './deadlines.dto';

/**
 * Deadlines of one kind, counted per deadline (a reopened case has a second final response), cancelled ones left out:
 * `onTime` met by their due instant; `late` answered late, recorded breached, or past due and still unanswered now (a case
 * closed unanswered still owes its final response, so it counts here once past due); `pending` not yet due; `excepted` ended
 * before it fell due by a documented regulatory exception.
 */
export interface DeadlineCounts {
  due: number;
  onTime: number;
  late: number;
  pending: number;
  excepted: number;
}

/**
 * Of the cases under a regime with a summary-resolution window (FCA DISP 1.5: 3 business days; ASIC RG 271: 5, without a written
 * IDR response): `windows` how many had one, `qualifying` resolved within it, `communicationSent` closed by the summary route.
 */
export interface SummaryResolutionCounts {
  windows: number;
  qualifying: number;
  communicationSent: number;
}

export interface RegimeReport {
  regime: string;
  cases: number;
  summaryResolution: SummaryResolutionCounts;
  /** Acknowledged on time (regimes without an acknowledgement deadline count 0 due). */
  acknowledgement: DeadlineCounts;
  /** Resolved (final response) on time. */
  finalResponse: DeadlineCounts;
  breaches: { total: number; byKind: Record<DeadlineKind, number> };
  /** Receipt to final resolution (else closure, else withdrawal). */
  closure: Record<ClosureBucket, number>;
  outcomes: { upheld: number; partiallyUpheld: number; rejected: number };
  /** Upheld or partially upheld, of the cases with an outcome; 4 decimals, null without any. */
  upheldRate: number | null;
  /** Goodwill accepted or fulfilled, per currency, minor units. */
  goodwillGranted: Array<{ currency: string; amount: number }>;
}

export interface DeadlinesReport {
  period: { from: string | null; to: string | null };
  /** Deadlines still open are judged against this instant. */
  asOf: string;
  regimes: RegimeReport[];
  total: Omit<RegimeReport, 'regime'>;
}

export class DeadlinesQuery extends Query<DeadlinesReport> {
  constructor(readonly params: DeadlinesQueryDto) {
    super();
  }
}

@QueryHandler(DeadlinesQuery)
export class DeadlinesHandler implements IQueryHandler<DeadlinesQuery> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore<LoyaltyTables>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ params }: DeadlinesQuery): Promise<DeadlinesReport> {
    return deadlinesReport(this.readStore.reports, params, this.clock.now().toISOString());
  }
}

/** The deadline and regulatory report, per regime, of the cases received in the period. */
export async function deadlinesReport<DB extends LoyaltyTables>(
  database: Queryable<DB>,
  params: DeadlinesQueryDto,
  now: string,
): Promise<DeadlinesReport> {
  const db = narrowTables<DB, LoyaltyTables>(database);
  const from = params.from === undefined ? undefined : boundaryInstant(params.from, 'from', 'from');
  const to = params.to === undefined ? undefined : boundaryInstant(params.to, 'to', 'to');
  if (from !== undefined && to !== undefined && to <= from)
    throw new RequestValidationError([{ field: 'to', message: 'must be after from' }]);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one period filter for queries over different tables, by column name
  const received = <Q extends SelectQueryBuilder<any, any, any>>(query: Q, column = 'received_at'): Q => {
    let restricted = query;
    if (from !== undefined) restricted = restricted.where(column, '>=', from) as Q;
    if (to !== undefined) restricted = restricted.where(column, '<', to) as Q;
    return restricted;
  };

  // A deadline past due and still pending is a breach now, whether or not the deadline clock has recorded it yet.
  const judged = received(
    db
      .selectFrom(`${T.deadlines} as d`)
      .innerJoin(`${T.cases} as c`, 'c.case_id', 'd.case_id')
      .select(['c.regime as regime', 'd.kind as kind'])
      .select(
        sql<string>`case when d.status = 'pending' and d.due_at < ${now} then 'late' when d.status = 'breached' then 'late' when d.status = 'met' then 'on-time' else d.status end`.as(
          'judgement',
        ),
      )
      .where('d.status', '!=', 'cancelled'),
    'c.received_at',
  );

  const [cases, summaries, closures, outcomes, deadlines, goodwill] = await Promise.all([
    received(
      db
        .selectFrom(T.cases)
        .select(({ fn }) => ['regime', fn.countAll().as('count')])
        .groupBy('regime'),
    ).execute(),
    received(
      db
        .selectFrom(T.cases)
        .select(({ fn }) => ['regime', 'summary_resolution_qualifies', 'summary_resolution_sent', fn.countAll().as('count')])
        .where('summary_resolution_qualifies', 'is not', null)
        .groupBy(['regime', 'summary_resolution_qualifies', 'summary_resolution_sent']),
    ).execute(),
    received(
      db
        .selectFrom(T.cases)
        .select(({ fn }) => ['regime', 'closure_bucket', fn.countAll().as('count')])
        .groupBy(['regime', 'closure_bucket']),
    ).execute(),
    received(
      db
        .selectFrom(T.cases)
        .select(({ fn }) => ['regime', 'outcome', fn.countAll().as('count')])
        .where('outcome', 'is not', null)
        .groupBy(['regime', 'outcome']),
    ).execute(),
    db
      .selectFrom(judged.as('j'))
      .select(({ fn }) => ['regime', 'kind', 'judgement', fn.countAll().as('count')])
      .groupBy(['regime', 'kind', 'judgement'])
      .execute(),
    received(
      db
        .selectFrom(`${T.goodwill} as g`)
        .innerJoin(`${T.cases} as c`, 'c.case_id', 'g.case_id')
        .select(({ fn }) => ['c.regime as regime', 'g.currency as currency', fn.sum('g.amount').as('amount')])
        .where('g.status', 'in', ['accepted', 'fulfilled'])
        .groupBy(['c.regime', 'g.currency']),
      'c.received_at',
    ).execute(),
  ]);

  const reports = new Map<string, RegimeReport>();
  const report = (regime: string): RegimeReport => {
    let entry = reports.get(regime);
    if (!entry) reports.set(regime, (entry = emptyReport(regime)));
    return entry;
  };
  for (const row of cases) report(row.regime).cases = toNumber(row.count);
  for (const row of summaries) {
    const counts = report(row.regime).summaryResolution;
    const count = toNumber(row.count);
    counts.windows += count;
    if (Number(row.summary_resolution_qualifies) === 1) counts.qualifying += count;
    if (Number(row.summary_resolution_sent) === 1) counts.communicationSent += count;
  }
  for (const row of closures) report(row.regime).closure[row.closure_bucket] += toNumber(row.count);
  for (const row of outcomes) {
    const key = row.outcome === 'partially-upheld' ? 'partiallyUpheld' : (row.outcome as 'upheld' | 'rejected');
    report(row.regime).outcomes[key] += toNumber(row.count);
  }
  for (const row of deadlines) {
    const entry = report(row.regime);
    const count = toNumber(row.count);
    const kind = row.kind as DeadlineKind;
    if (row.judgement === 'late') {
      entry.breaches.total += count;
      entry.breaches.byKind[kind] += count;
    }
    const counts = kind === 'acknowledgement' ? entry.acknowledgement : kind === 'final-response' ? entry.finalResponse : undefined;
    if (!counts) continue;
    counts.due += count;
    if (row.judgement === 'on-time') counts.onTime += count;
    else if (row.judgement === 'late') counts.late += count;
    else if (row.judgement === 'excepted') counts.excepted += count;
    else counts.pending += count;
  }
  for (const row of goodwill) report(row.regime).goodwillGranted.push({ currency: row.currency, amount: toNumber(row.amount) });

  const order = (regime: string) => {
    const rank = (REGIMES as readonly string[]).indexOf(regime);
    return rank < 0 ? REGIMES.length : rank;
  };
  const regimes = [...reports.values()].sort((a, b) => order(a.regime) - order(b.regime) || a.regime.localeCompare(b.regime)).map(finish);
  const { regime: _regime, ...total } = finish(regimes.reduce(addInto, emptyReport('total')));
  return { period: { from: from ?? null, to: to ?? null }, asOf: now, regimes, total };
}

function emptyReport(regime: string): RegimeReport {
  const counts = (): DeadlineCounts => ({ due: 0, onTime: 0, late: 0, pending: 0, excepted: 0 });
  return {
    regime,
    cases: 0,
    summaryResolution: { windows: 0, qualifying: 0, communicationSent: 0 },
    acknowledgement: counts(),
    finalResponse: counts(),
    breaches: { total: 0, byKind: Object.fromEntries(DEADLINE_KINDS.map((kind) => [kind, 0])) as Record<DeadlineKind, number> },
    closure: Object.fromEntries(CLOSURE_BUCKETS.map((bucket) => [bucket, 0])) as Record<ClosureBucket, number>,
    outcomes: { upheld: 0, partiallyUpheld: 0, rejected: 0 },
    upheldRate: null,
    goodwillGranted: [],
  };
}

function finish(report: RegimeReport): RegimeReport {
  const { upheld, partiallyUpheld, rejected } = report.outcomes;
  const decided = upheld + partiallyUpheld + rejected;
  return {
    ...report,
    upheldRate: decided === 0 ? null : round((upheld + partiallyUpheld) / decided, 4),
    goodwillGranted: [...report.goodwillGranted].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

function addInto(total: RegimeReport, report: RegimeReport): RegimeReport {
  const add = <K extends string>(into: Record<K, number>, from: Record<K, number>) => {
    for (const key of Object.keys(from) as K[]) into[key] += from[key];
  };
  total.cases += report.cases;
  add(total.summaryResolution, report.summaryResolution);
  add(total.acknowledgement, report.acknowledgement);
  add(total.finalResponse, report.finalResponse);
  total.breaches.total += report.breaches.total;
  add(total.breaches.byKind, report.breaches.byKind);
  add(total.closure, report.closure);
  add(total.outcomes, report.outcomes);
  for (const granted of report.goodwillGranted) {
    const existing = total.goodwillGranted.find((entry) => entry.currency === granted.currency);
    if (existing) existing.amount += granted.amount;
    else total.goodwillGranted.push({ ...granted });
  }
  return total;
}
