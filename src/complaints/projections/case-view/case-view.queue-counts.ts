import type { Kysely, Migration } from 'kysely';
import { isSqlite } from '../../../core/read-store/read-store';
import type { TableRow } from '../../../core/projections/row-changes';
import { type RowTallies, type TallyRow, tallyTableMigration } from '../../../core/projections/row-tallies';
import { CASE_VIEWS_TABLE } from './case-view.table';
import { SUMMARY_INDEX, isActiveStatus } from './case-view.queue-columns';

/**
 * How many cases sit in each of the desk's queues, per team, kept by the case-view projection as it writes the case
 * views: GET /queues/summary reads these counters instead of counting every case (42 ms at 135,600 cases, session 10).
 */
export const QUEUE_COUNTS_TABLE = 'case_queue_counts';

export type QueueCountTables = Record<typeof QUEUE_COUNTS_TABLE, TallyRow>;

/** The queues a case sits in by its state alone, as counted. */
export const STATE_QUEUES = {
  new: 'new',
  unassigned: 'unassigned',
  awaitingCustomer: 'awaiting-customer',
  awaitingApproval: 'awaiting-approval',
} as const;

/**
 * Cases whose next open deadline falls on a UTC date are counted per date (`due:2026-03-10`): the overdue count is the
 * days before today's, summed, and the rest of today's date read from the due-date index.
 */
export const DUE_ON = 'due:';

/** The scope of cases routed to no team: never a team's name (ID_PATTERN asks for at least one character). */
export const NO_TEAM = '';

export const caseQueueTallies: RowTallies = {
  table: QUEUE_COUNTS_TABLE,
  countedIn(row: TableRow) {
    const queues: string[] = [];
    if (row['status'] === 'received') queues.push(STATE_QUEUES.new);
    if (row['assignee'] === null && isActiveStatus(row['status'])) queues.push(STATE_QUEUES.unassigned);
    if (Number(row['awaiting_customer']) === 1) queues.push(STATE_QUEUES.awaitingCustomer);
    if (Number(row['awaiting_approval']) === 1) queues.push(STATE_QUEUES.awaitingApproval);
    if (typeof row['due_at'] === 'string') queues.push(`${DUE_ON}${row['due_at'].slice(0, 10)}`);
    const team = typeof row['team'] === 'string' ? row['team'] : NO_TEAM;
    return queues.map((queue) => [team, queue] as const);
  },
};

export const caseQueueCountMigrations: Record<string, Migration> = {
  // Numbered after every migration before it: a read store already migrated applies it next (the migrator keeps their order).
  '0710_case_queue_counts': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration runs before its tables exist: Kysely's documented practice
    async up(db: Kysely<any>) {
      await tallyTableMigration(caseQueueTallies, { table: CASE_VIEWS_TABLE, key: 'id' }).up(db);
      // The covering index the summary counted every case from: every case-view write kept it up to date for that alone.
      if (isSqlite(db)) await db.schema.dropIndex(SUMMARY_INDEX).ifExists().execute();
    },
  },
};
