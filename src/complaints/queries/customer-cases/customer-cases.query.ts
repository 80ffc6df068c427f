import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../../core/clock';
import { NotFoundError } from '../../../core/errors';
import { READ_STORE, ReadStore } from '../../../core/read-store/read-store';
import type { CaseView } from '../../projections/case-view/case-view';
import { caseViewAt } from '../../projections/case-view/case-view.read-time';
import { CASE_VIEWS_TABLE, type CaseViewTables } from '../../projections/case-view/case-view.table';
import { customerVulnerabilities, type CustomerVulnerabilityTables, type CustomerVulnerabilityView } from '../../../customers/public';
import { CaseSummary, toCaseSummary } from '../shared/case-summary';

export interface CustomerCases {
  customerId: string;
  /** The customer's own vulnerability flag (FCA FG21/1), while it stands. */
  vulnerability?: CustomerVulnerabilityView;
  totals: {
    cases: number;
    open: number;
    resolved: number;
    closed: number;
    withdrawn: number;
    satisfied: number;
    notSatisfied: number;
    reopened: number;
  };
  /** Oldest first. */
  cases: CaseSummary[];
}

export class CustomerCasesQuery extends Query<CustomerCases> {
  constructor(readonly customerId: string) {
    super();
  }
}

@QueryHandler(CustomerCasesQuery)
export class CustomerCasesHandler implements IQueryHandler<CustomerCasesQuery> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore<CaseViewTables & CustomerVulnerabilityTables>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ customerId }: CustomerCasesQuery): Promise<CustomerCases> {
    const rows = await this.readStore.db
      .selectFrom(CASE_VIEWS_TABLE)
      .select('document')
      .where('customer_id', '=', customerId)
      .orderBy('received_at')
      .orderBy('id')
      .execute();
    if (rows.length === 0) throw new NotFoundError(`No complaints are on record for customer ${customerId}`);
    const now = this.clock.now().toISOString();
    const vulnerability = (await customerVulnerabilities(this.readStore.db, [customerId])).get(customerId);
    const cases = rows.map((row) => toCaseSummary(caseViewAt(JSON.parse(row.document) as CaseView, now), vulnerability));
    const count = (predicate: (summary: CaseSummary) => boolean) => cases.filter(predicate).length;
    return {
      customerId,
      ...(vulnerability ? { vulnerability } : {}),
      totals: {
        cases: cases.length,
        open: count((c) => ['received', 'acknowledged', 'in-progress'].includes(c.status)),
        resolved: count((c) => c.status === 'resolved'),
        closed: count((c) => c.status === 'closed'),
        withdrawn: count((c) => c.status === 'withdrawn'),
        satisfied: count((c) => c.satisfied === true),
        notSatisfied: count((c) => c.satisfied === false),
        reopened: count((c) => c.reopenCount > 0),
      },
      cases,
    };
  }
}
