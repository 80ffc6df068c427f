import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { CLOCK, type Clock } from '../../../core/clock';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { type Queryable, READ_STORE, ReadStore } from '../../../core/read-store/read-store';
import type { CalendarSettings } from '../../domain/deadline-policies';
import { CASE_VIEWS_TABLE } from '../../projections/case-view/case-view.table';
import { DUE_ON, QUEUE_COUNTS_TABLE, STATE_QUEUES } from '../../projections/case-view/case-view.queue-counts';
import { dueToday, overdue, type QueueTables } from '../../queues/queue-filters';

/** A team's dashboard: how many cases sit in each queue. A case may sit in several (new and unassigned and due today). */
export interface QueueSummary {
  team: string | null;
  /** When "today" and "overdue" were judged. */
  at: string;
  counts: {
    /** Received and not yet acknowledged nor assessed. */
    new: number;
    /** Neither closed nor withdrawn, and no agent owns it. */
    unassigned: number;
    /** Its next open deadline falls on today's date in its regime's time zone. */
    dueToday: number;
    /** Its next open deadline has passed. */
    overdue: number;
    /** A plan or an approved goodwill offer the customer has not answered. */
    awaitingCustomer: number;
    /** A goodwill offer waiting for a supervisor. */
    awaitingApproval: number;
  };
}

export class QueueSummaryQuery extends Query<QueueSummary> {
  constructor(readonly team: string | undefined) {
    super();
  }
}

@QueryHandler(QueueSummaryQuery)
export class QueueSummaryHandler implements IQueryHandler<QueueSummaryQuery> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore<QueueTables>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'deadlineCalendars'>,
  ) {}

  /**
   * A few counters and two ranges of today's due dates, read in one transaction so that they add up to one moment's
   * counts; on the service's own connection, not the reports' thread, where it would wait behind an analyst's report.
   */
  async execute({ team }: QueueSummaryQuery): Promise<QueueSummary> {
    const now = this.clock.now();
    const counts = await this.readStore.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute((trx) => countQueues(trx, team, now, this.config.deadlineCalendars));
    return { team: team ?? null, at: now.toISOString(), counts };
  }
}

type CaseViewWhere = (eb: ExpressionBuilder<QueueTables, typeof CASE_VIEWS_TABLE>) => Expression<SqlBool>;

async function countQueues(
  db: Queryable<QueueTables>,
  team: string | undefined,
  now: Date,
  calendars: CalendarSettings,
): Promise<QueueSummary['counts']> {
  const counters = await db
    .selectFrom(QUEUE_COUNTS_TABLE)
    .select((eb) => ['tally', eb.fn.sum<number | string>('counted').as('counted')])
    .where('tally', 'in', Object.values(STATE_QUEUES))
    .$if(team !== undefined, (query) => query.where('scope', '=', team!))
    .groupBy('tally')
    .execute();
  // Overdue: the counted days before today's (UTC) date, and today's cases due before now.
  const today = now.toISOString().slice(0, 10);
  const overdueDays = await db
    .selectFrom(QUEUE_COUNTS_TABLE)
    .select((eb) => eb.fn.sum<number | string>('counted').as('counted'))
    .where('tally', '>=', DUE_ON)
    .where('tally', '<', `${DUE_ON}${today}`)
    .$if(team !== undefined, (query) => query.where('scope', '=', team!))
    .executeTakeFirstOrThrow();
  const casesWhere = async (where: CaseViewWhere) => {
    const row = await db
      .selectFrom(CASE_VIEWS_TABLE)
      .select((eb) => eb.fn.countAll<number | string>().as('counted'))
      .where(where)
      .$if(team !== undefined, (query) => query.where('team', '=', team!))
      .executeTakeFirstOrThrow();
    return Number(row.counted);
  };
  const overdueToday = await casesWhere((eb) => eb.and([eb('due_at', '>=', `${today}T00:00:00.000Z`), overdue(eb, now)]));
  const counted = (queue: string) => Number(counters.find((row) => row.tally === queue)?.counted ?? 0);
  return {
    new: counted(STATE_QUEUES.new),
    unassigned: counted(STATE_QUEUES.unassigned),
    dueToday: await casesWhere((eb) => dueToday(eb, now, calendars)),
    overdue: Number(overdueDays.counted ?? 0) + overdueToday,
    awaitingCustomer: counted(STATE_QUEUES.awaitingCustomer),
    awaitingApproval: counted(STATE_QUEUES.awaitingApproval),
  };
}
