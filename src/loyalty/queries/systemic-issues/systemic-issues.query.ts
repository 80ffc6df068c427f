import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { NotNull, SelectQueryBuilder } from 'kysely';
import { CLOCK, Clock } from '../../../core/clock';
import { RequestValidationError } from '../../../core/http/problem-details';
import { Queryable, READ_STORE, ReadStore, narrowTables } from '../../../core/read-store/read-store';
import { LOYALTY_TABLES as T, type LoyaltyTables } from '../../projection/loyalty-facts.tables';
import { addDays, boundaryInstant, round, toNumber } from '../shared/analytics-params';
import { CONFIDENCE_LEVEL, poissonInterval, rateRatioInterval } from '../shared/intervals';
import type { SystemicIssuesQueryDto } from './systemic-issues.dto';

export const DEFAULT_FIX_WINDOW_DAYS = 30;

export interface ComplaintWindow {
  from: string;
  to: string;
  /** Complaints of the fix's category received in the window. */
  complaints: number;
  /** Exact (Garwood) 95% Poisson interval of the expected complaint count in such a window, 4 decimals. */
  complaintsLow: number;
  complaintsHigh: number;
  /** Complaints per day of the window, 4 decimals. */
  perDay: number;
  /** Purchases (of any customer) in the window, and complaints per 1,000 of them (null without purchases): the rate against activity. */
  purchases: number;
  per1000Purchases: number | null;
}

export interface FixImpact {
  caseId: string;
  fixId: string;
  description: string;
  appliedAt: string;
  effectiveFrom: string;
  before: ComplaintWindow;
  /** `complete` is false while the window reaches past now. */
  after: ComplaintWindow & { complete: boolean };
  /** Change of the daily complaint rate, after / before − 1 (−0.8 = 80% fewer); null when there were none before. */
  change: number | null;
  /**
   * Exact 95% interval of the change, conditional on the total (Clopper–Pearson for after / (before + after), mapped onto
   * the rate ratio − 1), 4 decimals. changeHigh is null when nothing was counted before (unbounded); both null when nothing at all.
   */
  changeLow: number | null;
  changeHigh: number | null;
}

export interface SystemicIssues {
  period: { from: string | null; to: string | null };
  windowDays: number;
  /** The level of every interval (complaintsLow/High, changeLow/High): 0.95. */
  level: number;
  /** Categories by complaints received in the period, most first. */
  categories: Array<{ category: string; complaints: number; fixes: FixImpact[] }>;
  /** Complaints of the period not yet assessed (they have no category). */
  unassessed: number;
}

export class SystemicIssuesQuery extends Query<SystemicIssues> {
  constructor(readonly params: SystemicIssuesQueryDto) {
    super();
  }
}

@QueryHandler(SystemicIssuesQuery)
export class SystemicIssuesHandler implements IQueryHandler<SystemicIssuesQuery> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore<LoyaltyTables>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  execute({ params }: SystemicIssuesQuery): Promise<SystemicIssues> {
    return systemicIssues(this.readStore.reports, params, this.clock.now().toISOString());
  }
}

/** Per category: complaints, the system fixes applied on its cases, and whether complaints of the category fell after each fix. */
export async function systemicIssues<DB extends LoyaltyTables>(
  database: Queryable<DB>,
  params: SystemicIssuesQueryDto,
  now: string,
): Promise<SystemicIssues> {
  const db = narrowTables<DB, LoyaltyTables>(database);
  const from = params.from === undefined ? undefined : boundaryInstant(params.from, 'from', 'from');
  const to = params.to === undefined ? undefined : boundaryInstant(params.to, 'to', 'to');
  if (from !== undefined && to !== undefined && to <= from)
    throw new RequestValidationError([{ field: 'to', message: 'must be after from' }]);
  const days = params.windowDays ?? DEFAULT_FIX_WINDOW_DAYS;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one period filter for queries over different tables, by column name
  const inPeriod = <Q extends SelectQueryBuilder<any, any, any>>(query: Q, column: string): Q => {
    let restricted = query;
    if (from !== undefined) restricted = restricted.where(column, '>=', from) as Q;
    if (to !== undefined) restricted = restricted.where(column, '<', to) as Q;
    return restricted;
  };

  const [byCategory, unassessed, fixes] = await Promise.all([
    inPeriod(
      db
        .selectFrom(T.cases)
        .select(({ fn }) => ['category', fn.countAll().as('complaints')])
        .where('category', 'is not', null)
        .$narrowType<{ category: NotNull }>()
        .groupBy('category'),
      'received_at',
    ).execute(),
    inPeriod(
      db
        .selectFrom(T.cases)
        .select(({ fn }) => fn.countAll().as('count'))
        .where('category', 'is', null),
      'received_at',
    ).executeTakeFirst(),
    inPeriod(
      db
        .selectFrom(`${T.fixes} as f`)
        .innerJoin(`${T.cases} as c`, 'c.case_id', 'f.case_id')
        .select(['f.case_id', 'f.fix_id', 'f.description', 'f.applied_at', 'f.effective_from', 'c.category'])
        .where('c.category', 'is not', null)
        .$narrowType<{ category: NotNull }>(),
      'f.effective_from',
    )
      .orderBy('f.effective_from')
      .orderBy('f.case_id')
      .orderBy('f.fix_id')
      .execute(),
  ]);

  const window = async (category: string, start: string, end: string): Promise<ComplaintWindow> => {
    const [complaints, purchases] = await Promise.all([
      db
        .selectFrom(T.cases)
        .select(({ fn }) => fn.countAll().as('count'))
        .where('category', '=', category)
        .where('received_at', '>=', start)
        .where('received_at', '<', end)
        .executeTakeFirst(),
      db
        .selectFrom(T.purchases)
        .select(({ fn }) => fn.countAll().as('count'))
        .where('at', '>=', start)
        .where('at', '<', end)
        .executeTakeFirst(),
    ]);
    const count = toNumber(complaints?.count);
    const bought = toNumber(purchases?.count);
    const interval = poissonInterval(count);
    return {
      from: start,
      to: end,
      complaints: count,
      complaintsLow: round(interval.low, 4),
      complaintsHigh: round(interval.high, 4),
      perDay: round(count / days, 4),
      purchases: bought,
      per1000Purchases: bought === 0 ? null : round((count * 1000) / bought, 4),
    };
  };

  const impacts = new Map<string, FixImpact[]>();
  for (const fix of fixes) {
    const effectiveFrom = fix.effective_from;
    const before = await window(fix.category, addDays(effectiveFrom, -days), effectiveFrom);
    const afterEnd = addDays(effectiveFrom, days);
    const after = await window(fix.category, effectiveFrom, afterEnd);
    impacts.set(fix.category, [
      ...(impacts.get(fix.category) ?? []),
      {
        caseId: fix.case_id,
        fixId: fix.fix_id,
        description: fix.description,
        appliedAt: fix.applied_at,
        effectiveFrom,
        before,
        after: { ...after, complete: afterEnd <= now },
        change: before.complaints === 0 ? null : round(after.complaints / before.complaints - 1, 4),
        ...changeInterval(after.complaints, before.complaints),
      },
    ]);
  }

  const complaints = new Map(byCategory.map((row) => [row.category, toNumber(row.complaints)]));
  const categories = [...new Set([...complaints.keys(), ...impacts.keys()])]
    .map((category) => ({ category, complaints: complaints.get(category) ?? 0, fixes: impacts.get(category) ?? [] }))
    .sort((a, b) => b.complaints - a.complaints || a.category.localeCompare(b.category));
  return {
    period: { from: from ?? null, to: to ?? null },
    windowDays: days,
    level: CONFIDENCE_LEVEL,
    categories,
    unassessed: toNumber(unassessed?.count),
  };
}

function changeInterval(after: number, before: number): { changeLow: number | null; changeHigh: number | null } {
  const ratio = rateRatioInterval(after, before);
  return {
    changeLow: ratio.low === null ? null : round(ratio.low - 1, 4),
    changeHigh: ratio.high === null ? null : round(ratio.high - 1, 4),
  };
}
