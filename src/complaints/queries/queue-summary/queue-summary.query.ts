import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Expression, SqlBool } from 'kysely';
import { CLOCK, type Clock } from '../../../core/clock';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { READ_STORE, ReadStore } from '../../../core/read-store/read-store';
import { CASE_VIEWS_TABLE } from '../../projections/case-view/case-view.table';
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

  async execute({ team }: QueueSummaryQuery): Promise<QueueSummary> {
    const now = this.clock.now();
    let query = this.readStore.reports.selectFrom(CASE_VIEWS_TABLE).select((eb) => {
      const count = (condition: Expression<SqlBool>) => eb.fn.sum<number | string>(eb.case().when(condition).then(1).else(0).end());
      return [
        count(eb('status', '=', 'received')).as('new'),
        count(eb.and([eb('assignee', 'is', null), eb('status', 'not in', ['closed', 'withdrawn'])])).as('unassigned'),
        count(dueToday(eb, now, this.config.deadlineCalendars)).as('dueToday'),
        count(overdue(eb, now)).as('overdue'),
        count(eb('awaiting_customer', '=', 1)).as('awaitingCustomer'),
        count(eb('awaiting_approval', '=', 1)).as('awaitingApproval'),
      ];
    });
    if (team !== undefined) query = query.where('team', '=', team);
    const row = await query.executeTakeFirstOrThrow();
    const number = (value: number | string | null) => Number(value ?? 0);
    return {
      team: team ?? null,
      at: now.toISOString(),
      counts: {
        new: number(row.new),
        unassigned: number(row.unassigned),
        dueToday: number(row.dueToday),
        overdue: number(row.overdue),
        awaitingCustomer: number(row.awaitingCustomer),
        awaitingApproval: number(row.awaitingApproval),
      },
    };
  }
}
