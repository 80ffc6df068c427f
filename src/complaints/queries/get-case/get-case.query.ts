import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { CompiledQuery } from 'kysely';
import { CLOCK, type Clock } from '../../../core/clock';
import { NotFoundError } from '../../../core/errors';
import { READ_STORE, ReadStore } from '../../../core/read-store/read-store';
import type { CaseView } from '../../projections/case-view/case-view';
import { caseViewAt } from '../../projections/case-view/case-view.read-time';
import { CASE_VIEWS_TABLE, type CaseViewTables } from '../../projections/case-view/case-view.table';

export class GetCaseQuery extends Query<CaseView> {
  constructor(readonly caseId: string) {
    super();
  }
}

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery> {
  /** The one query of this handler, built and compiled once (the id is its only parameter): Kysely would build it anew each time. */
  private byId?: CompiledQuery<{ document: string }>;

  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore<CaseViewTables>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ caseId }: GetCaseQuery): Promise<CaseView> {
    this.byId ??= this.readStore.db.selectFrom(CASE_VIEWS_TABLE).select('document').where('id', '=', '').compile();
    const [row] = (await this.readStore.db.executeQuery<{ document: string }>({ ...this.byId, parameters: [caseId] })).rows;
    if (!row) throw new NotFoundError(`Case ${caseId} does not exist`);
    return caseViewAt(JSON.parse(row.document) as CaseView, this.clock.now().toISOString());
  }
}
