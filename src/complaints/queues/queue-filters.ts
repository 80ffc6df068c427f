import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { CaseViewTables } from '../projections/case-view/case-view.table';
import { CASE_VIEWS_TABLE } from '../projections/case-view/case-view.table';
import { CASE_TAGS_TABLE, type CaseTagTables } from '../projections/case-tags/case-tags.projection';
import type { CaseSearchTables } from '../projections/case-search/case-search.projection';
import type { CalendarSettings } from '../domain/deadline-policies';
import { CUSTOMER_VULNERABILITY_TABLE, type CustomerVulnerabilityTables } from '../../customers/public';
import { regimeDays } from './regime-day';

/** What the desk's lists read: the case views, their tags, the search index and the customers flagged vulnerable. */
export type QueueTables = CaseViewTables & CaseTagTables & CaseSearchTables & CustomerVulnerabilityTables;

/** What a queue narrows cases by: GET /cases and GET /queues/summary share these. */
export interface QueueFilters {
  team?: string;
  /** An agent id (`me` already replaced by the caller's). */
  assignee?: string;
  dueBefore?: string;
  dueAfter?: string;
  deadlineKind?: string;
  overdue?: boolean;
  dueToday?: boolean;
  vulnerable?: boolean;
  tag?: string;
}

type CaseQuery<O> = SelectQueryBuilder<QueueTables, typeof CASE_VIEWS_TABLE, O>;
type Where = ExpressionBuilder<QueueTables, typeof CASE_VIEWS_TABLE>;

export const toUtc = (instant: string): string => new Date(instant).toISOString();

/**
 * The next open deadline falls on today's date in the case's regime zone (as the firm's calendars set it): one indexed
 * range per regime, within the span of all of them, so that a team's cases are read over that span of its due-date index
 * rather than all of them.
 */
export function dueToday(eb: Where, now: Date, calendars: CalendarSettings) {
  const days = regimeDays(now, calendars);
  const starts = days.map((day) => day.start).sort();
  const ends = days.map((day) => day.end).sort();
  return eb.and([
    eb('due_at', '>=', starts[0]),
    eb('due_at', '<', ends[ends.length - 1]),
    eb.or(days.map(({ regime, start, end }) => eb.and([eb('regime', '=', regime), eb('due_at', '>=', start), eb('due_at', '<', end)]))),
  ]);
}

export function overdue(eb: Where, now: Date) {
  return eb('due_at', '<', now.toISOString());
}

/**
 * Flagged on the case itself, or its customer flagged on their own (README, "Vulnerable customers"). As a union of the two
 * sets of ids, so each arm seeks its own index (vulnerable, and customer_id through the few flagged customers) on both
 * dialects, where an OR across them would scan.
 */
function vulnerable(eb: Where) {
  return eb(
    'id',
    'in',
    eb
      .selectFrom(`${CASE_VIEWS_TABLE} as flagged`)
      .select('flagged.id')
      .where('flagged.vulnerable', '=', 1)
      .union(
        eb
          .selectFrom(`${CASE_VIEWS_TABLE} as theirs`)
          .innerJoin(CUSTOMER_VULNERABILITY_TABLE, `${CUSTOMER_VULNERABILITY_TABLE}.customer_id`, 'theirs.customer_id')
          .select('theirs.id'),
      ),
  );
}

/** Neither flagged on the case nor through its customer. */
function notVulnerable(eb: Where) {
  return eb.and([
    eb('vulnerable', '=', 0),
    eb('customer_id', 'not in', eb.selectFrom(CUSTOMER_VULNERABILITY_TABLE).select(`${CUSTOMER_VULNERABILITY_TABLE}.customer_id`)),
  ]);
}

export function applyQueueFilters<O>(query: CaseQuery<O>, filters: QueueFilters, now: Date, calendars: CalendarSettings): CaseQuery<O> {
  let q = query;
  if (filters.team !== undefined) q = q.where('team', '=', filters.team);
  if (filters.assignee !== undefined) q = q.where('assignee', '=', filters.assignee);
  if (filters.dueBefore !== undefined) q = q.where('due_at', '<', toUtc(filters.dueBefore));
  if (filters.dueAfter !== undefined) q = q.where('due_at', '>=', toUtc(filters.dueAfter));
  if (filters.deadlineKind !== undefined) q = q.where('due_kind', '=', filters.deadlineKind);
  if (filters.overdue === true) q = q.where((eb) => overdue(eb, now));
  if (filters.overdue === false) q = q.where((eb) => eb.or([eb('due_at', 'is', null), eb('due_at', '>=', now.toISOString())]));
  if (filters.dueToday) q = q.where((eb) => dueToday(eb, now, calendars));
  if (filters.vulnerable !== undefined) q = q.where((eb) => (filters.vulnerable ? vulnerable(eb) : notVulnerable(eb)));
  if (filters.tag !== undefined) {
    const tag = filters.tag;
    q = q.where('id', 'in', (eb) => eb.selectFrom(CASE_TAGS_TABLE).select('case_id').where('tag', '=', tag));
  }
  return q;
}

/** 1 where the row has no open deadline: ordering by it first puts undated cases last in either direction. */
export const UNDATED = sql<number>`case when due_at is null then 1 else 0 end`;
