import { Inject, Optional } from '@nestjs/common';
import { sql } from 'kysely';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { CLOCK, systemClock, type Clock } from '../../../core/clock';
import { APP_CONFIG, type AppConfig } from '../../../config/app-config';
import { RequestValidationError } from '../../../core/http/problem-details';
import { READ_STORE, ReadStore, narrowTables } from '../../../core/read-store/read-store';
import { SEARCH_HITS_LIMIT, searchCases, type CaseSearchTables } from '../../projections/case-search/case-search.projection';
import type { CaseView } from '../../projections/case-view/case-view';
import { caseViewAt } from '../../projections/case-view/case-view.read-time';
import { CASE_VIEWS_TABLE } from '../../projections/case-view/case-view.table';
import { applyQueueFilters, toUtc, UNDATED, type QueueTables } from '../../queues/queue-filters';
import { customerVulnerabilities } from '../../../customers/public';
import { CaseSummary, toCaseSummary } from '../shared/case-summary';
import { CaseListSort, ListCasesQueryDto } from './list-cases.dto';

export interface CasePage {
  items: CaseSummary[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export class ListCasesQuery extends Query<CasePage> {
  /** `filters.assignee` is an agent id here: the controller has replaced `me` with the caller's. */
  constructor(readonly filters: ListCasesQueryDto) {
    super();
  }
}

type SearchableTables = QueueTables;

const SORT_COLUMNS = { receivedAt: 'received_at', updatedAt: 'updated_at', dueAt: 'due_at', severity: 'severity_rank' } as const;

type SortValue = string | number | null;

interface Cursor {
  /** `relevance`: a search without a sort, paged by offset. */
  sort: CaseListSort | 'relevance';
  value: SortValue;
  id: string;
}

/** Keyset pagination: the cursor holds the last row's sort value and id, so pages stay stable while cases change. */
@QueryHandler(ListCasesQuery)
export class ListCasesHandler implements IQueryHandler<ListCasesQuery> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore<SearchableTables>,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
    // The firm's calendars: a regime's "today" is counted in the zone its deadlines are (default zones without them).
    @Optional() @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'deadlineCalendars'> = { deadlineCalendars: { closures: [] } },
  ) {}

  async execute({ filters }: ListCasesQuery): Promise<CasePage> {
    if (filters.q !== undefined && filters.sort === undefined) return this.bestMatches(filters, filters.q);
    const sort = filters.sort ?? '-receivedAt';
    const column = SORT_COLUMNS[sort.replace('-', '') as keyof typeof SORT_COLUMNS];
    const limit = filters.limit ?? 50;
    const matching = filters.q === undefined ? undefined : (await this.search(filters.q)).map((hit) => hit.caseId);
    const now = this.clock.now();
    const rows = await this.query(filters, now, matching).execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: await this.summaries(page, now),
      nextCursor: rows.length > limit && last ? encodeCursor({ sort, value: last[column], id: last.id }) : null,
    };
  }

  /**
   * A search without a sort: the matching cases (at most SEARCH_HITS_LIMIT) that pass the filters, best match first, then
   * newest received, then id. The cursor holds how many were already listed: the hits are ranked afresh for each page.
   */
  private async bestMatches(filters: ListCasesQueryDto, q: string): Promise<CasePage> {
    const limit = filters.limit ?? 50;
    const offset = filters.cursor === undefined ? 0 : Number(decodeCursor(filters.cursor, 'relevance').value);
    const hits = await this.search(q);
    if (hits.length === 0) return { items: [], nextCursor: null };
    const score = new Map(hits.map((hit) => [hit.caseId, hit.score]));
    const now = this.clock.now();
    const rows = await this.query({ ...filters, cursor: undefined, limit: SEARCH_HITS_LIMIT, sort: '-receivedAt' }, now, [
      ...score.keys(),
    ]).execute();
    // Rows come newest first, then by id descending: a stable sort by score keeps that order among equal scores.
    const ranked = [...rows].sort((a, b) => score.get(b.id)! - score.get(a.id)!);
    const page = ranked.slice(offset, offset + limit);
    return {
      items: await this.summaries(page, now),
      nextCursor: ranked.length > offset + limit ? encodeCursor({ sort: 'relevance', value: offset + limit, id: '' }) : null,
    };
  }

  /** The page's rows as summaries as of `now`, each with its customer's own vulnerability flag. */
  private async summaries(rows: ReadonlyArray<{ document: string; customer_id: string }>, now: Date): Promise<CaseSummary[]> {
    const flags = await customerVulnerabilities(
      this.readStore.db,
      rows.map((row) => row.customer_id),
    );
    return rows.map((row) =>
      toCaseSummary(caseViewAt(JSON.parse(row.document) as CaseView, now.toISOString()), flags.get(row.customer_id)),
    );
  }

  private search(q: string): Promise<Array<{ caseId: string; score: number }>> {
    return searchCases(narrowTables<SearchableTables, CaseSearchTables>(this.readStore.db), q);
  }

  /** The page's query (one row more than the page, to know whether another follows): also what the query-plan test explains. */
  query(filters: ListCasesQueryDto, now: Date, matching?: readonly string[]) {
    const sort = filters.sort ?? '-receivedAt';
    const descending = sort.startsWith('-');
    const column = SORT_COLUMNS[sort.replace('-', '') as keyof typeof SORT_COLUMNS];
    const nullable = column === 'due_at';
    const limit = filters.limit ?? 50;
    const cursor = filters.cursor === undefined ? undefined : decodeCursor(filters.cursor, sort);

    let query = this.readStore.db.selectFrom(CASE_VIEWS_TABLE).select(['id', 'document', 'customer_id', column]);
    const equals = {
      status: 'status',
      customerId: 'customer_id',
      category: 'category',
      severity: 'severity',
    } as const;
    for (const [field, dbColumn] of Object.entries(equals)) {
      const value = filters[field as keyof typeof equals];
      if (value !== undefined) query = query.where(dbColumn, '=', value);
    }
    // Breached as of now (see caseViewAt): recorded so, or with a deadline past due the clock has yet to record.
    const at = now.toISOString();
    if (filters.breached === true) query = query.where((eb) => eb.or([eb('breached', '=', 1), eb('next_deadline_at', '<', at)]));
    if (filters.breached === false)
      query = query.where((eb) =>
        eb.and([eb('breached', '=', 0), eb.or([eb('next_deadline_at', 'is', null), eb('next_deadline_at', '>=', at)])]),
      );
    if (filters.receivedFrom) query = query.where('received_at', '>=', toUtc(filters.receivedFrom));
    if (filters.receivedTo) query = query.where('received_at', '<', toUtc(filters.receivedTo));
    query = applyQueueFilters(query, filters, now, this.config.deadlineCalendars);
    // With a sort of its own, a search is one more filter: the keyset pages through the matching cases.
    if (matching !== undefined) query = query.where('id', 'in', matching.length > 0 ? matching : ['']);
    if (cursor) {
      const after = descending ? '<' : '>';
      const { value, id } = cursor;
      query = query.where((eb) =>
        !nullable
          ? // A row-value comparison, so both dialects seek the index to the cursor instead of filtering from the first row.
            sql<boolean>`(${sql.ref(column)}, id) ${sql.raw(after)} (${value}, ${id})`
          : value === null
            ? // Past the dated rows: only undated ones remain, in id order.
              eb.and([eb(column, 'is', null), eb('id', after, id)])
            : eb.or([
                eb(column, after, String(value)),
                eb.and([eb(column, '=', String(value)), eb('id', after, id)]),
                eb(column, 'is', null),
              ]),
      );
    }
    if (nullable) query = query.orderBy(UNDATED, 'asc');
    return query
      .orderBy(column, descending ? 'desc' : 'asc')
      .orderBy('id', descending ? 'desc' : 'asc')
      .limit(limit + 1);
  }
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(raw: string, sort: CaseListSort | 'relevance'): Cursor {
  const invalid = (message: string) => new RequestValidationError([{ field: 'cursor', message }]);
  let cursor: Partial<Cursor>;
  try {
    cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    throw invalid('is not a cursor returned by this endpoint');
  }
  const value = cursor?.value;
  if (!(typeof value === 'string' || typeof value === 'number' || value === null) || typeof cursor.id !== 'string')
    throw invalid('is not a cursor returned by this endpoint');
  if (cursor.sort !== sort) throw invalid(`was made for sort=${String(cursor.sort)}; keep the same sort while paging`);
  return cursor as Cursor;
}
