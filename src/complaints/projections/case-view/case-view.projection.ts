import { documentProjection } from '../../../core/projections/document-projection';
import { COMPLAINT_STREAM_PREFIX } from '../../domain/complaint.decider';
import type { CaseView, DeadlineView } from './case-view';
import { foldCaseView } from './case-view.shared-fold';
import { caseViewQueueMigrations, queueColumns } from './case-view.queue-columns';
import { caseQueueCountMigrations, caseQueueTallies } from './case-view.queue-counts';
import { CASE_VIEWS_TABLE, type CaseViewRow, caseViewTableMigrations } from './case-view.table';

export { CASE_VIEWS_TABLE } from './case-view.table';

/** The case-view table, its queue columns and the queues' counters: the projection writes all three. */
export const caseViewMigrations = { ...caseViewTableMigrations, ...caseViewQueueMigrations, ...caseQueueCountMigrations };

/**
 * Deadlines the clock must still look at: unmet ones, and ones answered late before the clock
 * recorded the breach (the view already says breached; the case's history must say it too).
 */
export function awaitsClock(deadline: DeadlineView): boolean {
  return deadline.status === 'pending' || (deadline.status === 'breached' && !deadline.breachRecorded);
}

export const caseViewProjection = documentProjection({
  name: 'case-views',
  table: CASE_VIEWS_TABLE,
  keyOf: (event) =>
    event.streamName.startsWith(COMPLAINT_STREAM_PREFIX) ? event.streamName.slice(COMPLAINT_STREAM_PREFIX.length) : undefined,
  evolve: foldCaseView,
  columns: (view: CaseView): Omit<CaseViewRow, 'id' | 'document'> => ({
    customer_id: view.customerId,
    status: view.status,
    category: view.category ?? null,
    severity: view.severity ?? null,
    assignee: view.assignee?.agentId ?? null,
    breached: view.breached ? 1 : 0,
    received_at: view.timestamps.receivedAt,
    updated_at: view.timestamps.updatedAt,
    next_deadline_at:
      view.deadlines
        .filter(awaitsClock)
        .map((d) => d.dueAt)
        .sort()[0] ?? null,
    ...queueColumns(view),
  }),
  tallies: caseQueueTallies,
});
