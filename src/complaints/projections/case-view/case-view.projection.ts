import type { Kysely, Migration } from 'kysely';
import { documentProjection } from '../../../core/projections/document-projection';
import { COMPLAINT_STREAM_PREFIX } from '../../domain/complaint.decider';
import type { CaseView, DeadlineView } from './case-view';
import { evolveCaseView } from './case-view.evolve';

export const CASE_VIEWS_TABLE = 'case_views';

/** The columns queries filter and sort on; the rest lives in the JSON document. */
export interface CaseViewRow {
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
}

/**
 * Deadlines the clock must still look at: unmet ones, and ones answered late before the clock
 * recorded the breach (the view already says breached; the case's history must say it too).
 */
export function awaitsClock(deadline: DeadlineView): boolean {
  return deadline.status === 'pending' || (deadline.status === 'breached' && !deadline.breachRecorded);
}

export const caseViewProjection = documentProjection<CaseView>({
  name: 'case-views',
  table: CASE_VIEWS_TABLE,
  keyOf: (event) => (event.streamName.startsWith(COMPLAINT_STREAM_PREFIX) ? event.streamName.slice(COMPLAINT_STREAM_PREFIX.length) : undefined),
  evolve: evolveCaseView,
  columns: (view): Omit<CaseViewRow, 'id' | 'document'> => ({
    customer_id: view.customerId,
    status: view.status,
    category: view.category ?? null,
    severity: view.severity ?? null,
    assignee: view.assignee?.agentId ?? null,
    breached: view.breached ? 1 : 0,
    received_at: view.timestamps.receivedAt,
    updated_at: view.timestamps.updatedAt,
    next_deadline_at: view.deadlines.filter(awaitsClock).map((d) => d.dueAt).sort()[0] ?? null,
  }),
});

export const caseViewMigrations: Record<string, Migration> = {
  '0100_case_views': {
    async up(db: Kysely<any>) {
      await db.schema.createTable(CASE_VIEWS_TABLE)
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
};
