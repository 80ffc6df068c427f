import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { CompiledQuery } from 'kysely';
import { CLOCK, type Clock } from '../../../core/clock';
import { NotFoundError } from '../../../core/errors';
import { READ_STORE, ReadStore } from '../../../core/read-store/read-store';
import { customerVulnerabilities, type CustomerVulnerabilityTables, type CustomerVulnerabilityView } from '../../../customers/public';
import type { CaseView } from '../../projections/case-view/case-view';
import { caseViewAt } from '../../projections/case-view/case-view.read-time';
import { CASE_VIEWS_TABLE, type CaseViewTables } from '../../projections/case-view/case-view.table';

/** The case view as read: with its customer's own vulnerability flag beside the case's (README, "Vulnerable customers"). */
export type CaseViewRead = CaseView & { customerVulnerability?: CustomerVulnerabilityView };

export class GetCaseQuery extends Query<CaseViewRead> {
  constructor(readonly caseId: string) {
    super();
  }
}

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery> {
  /** The one query of this handler, built and compiled once (the id is its only parameter): Kysely would build it anew each time. */
  private byId?: CompiledQuery<{ document: string; customer_id: string }>;

  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore<CaseViewTables & CustomerVulnerabilityTables>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ caseId }: GetCaseQuery): Promise<CaseViewRead> {
    this.byId ??= this.readStore.db.selectFrom(CASE_VIEWS_TABLE).select(['document', 'customer_id']).where('id', '=', '').compile();
    const [row] = (await this.readStore.db.executeQuery<{ document: string; customer_id: string }>({ ...this.byId, parameters: [caseId] }))
      .rows;
    if (!row) throw new NotFoundError(`Case ${caseId} does not exist`);
    const view = caseViewAt(JSON.parse(row.document) as CaseView, this.clock.now().toISOString());
    const customerVulnerability = (await customerVulnerabilities(this.readStore.db, [row.customer_id])).get(row.customer_id);
    return customerVulnerability ? { ...view, customerVulnerability } : view;
  }
}
