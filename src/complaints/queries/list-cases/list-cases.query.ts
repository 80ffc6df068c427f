import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../../core/clock';
import { RequestValidationError } from '../../../core/http/problem-details';
import { READ_STORE, ReadStore } from '../../../core/read-store/read-store';
import type { CaseView } from '../../projections/case-view/case-view';
import { caseViewAt } from '../../projections/case-view/case-view.read-time';
import { CASE_VIEWS_TABLE, type CaseViewTables } from '../../projections/case-view/case-view.table';
import { CaseSummary, toCaseSummary } from '../shared/case-summary';
import { CaseListSort, ListCasesQueryDto } from './list-cases.dto';

export interface CasePage {
  items: CaseSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export class ListCasesQuery extends Query<CasePage> {
  constructor(readonly filters: ListCasesQueryDto) {
    super();
  }
}

const SORT_COLUMNS = { receivedAt: 'received_at', updatedAt: 'updated_at' } as const;

interface Cursor {
  sort: CaseListSort;
  value: string;
  id: string;
}

/** Keyset pagination: the cursor holds the last row's sort value and id, so pages stay stable while cases change. */
@QueryHandler(ListCasesQuery)
export class ListCasesHandler implements IQueryHandler<ListCasesQuery> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore<CaseViewTables>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ filters }: ListCasesQuery): Promise<CasePage> {
    const now = this.clock.now().toISOString();
    const sort = filters.sort ?? '-receivedAt';
    const descending = sort.startsWith('-');
    const column = SORT_COLUMNS[sort.replace('-', '') as keyof typeof SORT_COLUMNS];
    const limit = filters.limit ?? 50;
    const cursor = filters.cursor === undefined ? undefined : decodeCursor(filters.cursor, sort);

    let query = this.readStore.db.selectFrom(CASE_VIEWS_TABLE).select(['id', 'document', column]);
    const equals = {
      status: 'status',
      customerId: 'customer_id',
      category: 'category',
      assignee: 'assignee',
      severity: 'severity',
    } as const;
    for (const [field, dbColumn] of Object.entries(equals)) {
      const value = filters[field as keyof typeof equals];
      if (value !== undefined) query = query.where(dbColumn, '=', value);
    }
    // Breached as of now (see caseViewAt): recorded so, or with a deadline past due the clock has yet to record.
    if (filters.breached === true) query = query.where((eb) => eb.or([eb('breached', '=', 1), eb('next_deadline_at', '<', now)]));
    if (filters.breached === false)
      query = query.where((eb) =>
        eb.and([eb('breached', '=', 0), eb.or([eb('next_deadline_at', 'is', null), eb('next_deadline_at', '>=', now)])]),
      );
    if (filters.receivedFrom) query = query.where('received_at', '>=', toUtc(filters.receivedFrom));
    if (filters.receivedTo) query = query.where('received_at', '<', toUtc(filters.receivedTo));
    if (cursor) {
      const after = descending ? '<' : '>';
      // A row-value comparison, so both dialects seek the index to the cursor instead of filtering from the first row.
      query = query.where((eb) => eb(eb.refTuple(column, 'id'), after, eb.tuple(cursor.value, cursor.id)));
    }
    const rows = await query
      .orderBy(column, descending ? 'desc' : 'asc')
      .orderBy('id', descending ? 'desc' : 'asc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => toCaseSummary(caseViewAt(JSON.parse(row.document) as CaseView, now))),
      nextCursor: rows.length > limit && last ? encodeCursor({ sort, value: last[column], id: last.id }) : null,
    };
  }
}

function toUtc(instant: string): string {
  return new Date(instant).toISOString();
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(raw: string, sort: CaseListSort): Cursor {
  const invalid = (message: string) => new RequestValidationError([{ field: 'cursor', message }]);
  let cursor: Partial<Cursor>;
  try {
    cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    throw invalid('is not a cursor returned by this endpoint');
  }
  if (typeof cursor?.value !== 'string' || typeof cursor.id !== 'string') throw invalid('is not a cursor returned by this endpoint');
  if (cursor.sort !== sort) throw invalid(`was made for sort=${String(cursor.sort)}; keep the same sort while paging`);
  return cursor as Cursor;
}
