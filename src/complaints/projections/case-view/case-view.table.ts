import type { Kysely, Migration } from 'kysely';
import type { QueueColumns } from './case-view.queue-columns';
import type { QueueCountTables } from './case-view.queue-counts';

export const CASE_VIEWS_TABLE = 'case_views';

/** A case view row: the columns queries filter and sort on; the rest lives in the JSON document. */
export type CaseViewRow = {
  id: string;
  document: string;
  customer_id: string;
  status: string;
  category: string | null;
  severity: string | null;
  assignee: string | null;
  breached: number;
  received_at: string;
  updated_at: string;
  /** Earliest deadline the clock may have to record a breach of: what the deadline clock scans. */
  next_deadline_at: string | null;
} & QueueColumns;

/** The case views' tables in the read store: the views and their queues' counters. */
export interface CaseViewTables extends QueueCountTables {
  [CASE_VIEWS_TABLE]: CaseViewRow;
}

/** The (filter column, sort column) pairs of GET /cases that have an index of their own. */
export const CASE_LIST_INDEXES = [
  ['status', 'received_at'],
  ['status', 'updated_at'],
  ['customer_id', 'received_at'],
  ['assignee', 'received_at'],
  ['category', 'received_at'],
] as const;

export const caseViewTableMigrations: Record<string, Migration> = {
  '0100_case_views': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration runs before its tables exist: Kysely's documented practice
    async up(db: Kysely<any>) {
      await db.schema
        .createTable(CASE_VIEWS_TABLE)
        .addColumn('id', 'varchar(128)', (column) => column.primaryKey())
        .addColumn('document', 'text', (column) => column.notNull())
        .addColumn('customer_id', 'varchar(128)', (column) => column.notNull())
        .addColumn('status', 'varchar(20)', (column) => column.notNull())
        .addColumn('category', 'varchar(64)')
        .addColumn('severity', 'varchar(20)')
        .addColumn('assignee', 'varchar(128)')
        .addColumn('breached', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('received_at', 'varchar(40)', (column) => column.notNull())
        .addColumn('updated_at', 'varchar(40)', (column) => column.notNull())
        .addColumn('next_deadline_at', 'varchar(40)')
        .execute();
      for (const column of ['customer_id', 'status', 'received_at', 'updated_at', 'next_deadline_at', 'assignee', 'category']) {
        await db.schema.createIndex(`${CASE_VIEWS_TABLE}_${column}_idx`).on(CASE_VIEWS_TABLE).columns([column, 'id']).execute();
      }
    },
  },
  '0110_case_views_list_indexes': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration runs before its tables exist: Kysely's documented practice
    async up(db: Kysely<any>) {
      // Filter and sort served by one index: a list page is a seek to the cursor and a walk of `limit` entries,
      // whatever the number of cases (test/integration/case-list-query-plans.spec.ts shows the plans).
      for (const [filter, sort] of CASE_LIST_INDEXES) {
        await db.schema
          .createIndex(`${CASE_VIEWS_TABLE}_${filter}_${sort}_idx`)
          .on(CASE_VIEWS_TABLE)
          .columns([filter, sort, 'id'])
          .execute();
      }
    },
  },
};
