import type { Kysely, Migration } from 'kysely';
import type { CaseView, DeadlineView } from './case-view';
import { CHECKPOINTS_TABLE } from '../../../core/projections/checkpoints';
import { isSqlite } from '../../../core/read-store/read-store';
import { CASE_VIEWS_TABLE } from './case-view.table';

/**
 * The columns a desk's queues filter and sort on (GET /cases, /queues/summary, /queues/live), derived from the case view
 * like the others. Kept apart from the base columns so the queue work is one local addition to the case-view table.
 */
export interface QueueColumns {
  team: string | null;
  regime: string | null;
  /** The next open deadline: the earliest one still owed (pending, or breached and not yet answered). */
  due_at: string | null;
  due_kind: string | null;
  /** 0 unassessed, then low 1 … critical 4: what `sort=severity` orders by. */
  severity_rank: number;
  vulnerable: number;
  /** Waiting for the customer: a plan or an approved goodwill offer they have not answered. */
  awaiting_customer: number;
  /** Waiting for a supervisor: a goodwill offer pending approval. */
  awaiting_approval: number;
}

const SEVERITY_RANK: Readonly<Record<string, number>> = { low: 1, medium: 2, high: 3, critical: 4 };

/** A deadline is still owed until it is answered or cancelled: a breached one without an answer is owed all the more. */
export function isOpenDeadline(deadline: DeadlineView): boolean {
  return deadline.status === 'pending' || (deadline.status === 'breached' && deadline.answeredAt === undefined);
}

export function nextOpenDeadline(view: Pick<CaseView, 'deadlines'>): DeadlineView | undefined {
  return view.deadlines.filter(isOpenDeadline).sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))[0];
}

/** Neither closed nor withdrawn: a case a desk still works on. */
export const isActiveStatus = (status: unknown): boolean => status !== 'closed' && status !== 'withdrawn';

export function queueColumns(view: CaseView): QueueColumns {
  const next = nextOpenDeadline(view);
  const active = isActiveStatus(view.status);
  return {
    team: view.team ?? null,
    regime: view.regime,
    due_at: next ? new Date(next.dueAt).toISOString() : null,
    due_kind: next?.kind ?? null,
    severity_rank: view.severity ? (SEVERITY_RANK[view.severity] ?? 0) : 0,
    vulnerable: view.vulnerability ? 1 : 0,
    awaiting_customer:
      active && (view.plan?.response === 'pending' || view.goodwill.offers.some((offer) => offer.status === 'approved')) ? 1 : 0,
    awaiting_approval: active && view.goodwill.offers.some((offer) => offer.status === 'pending-approval') ? 1 : 0,
  };
}

const QUEUE_INDEXES: ReadonlyArray<readonly string[]> = [
  ['team', 'due_at', 'id'],
  ['due_at', 'id'],
  ['severity_rank', 'id'],
  ['regime', 'due_at'],
  ['vulnerable', 'id'],
];

/**
 * Every column GET /queues/summary counted by, team first, so that it read this index rather than the case documents.
 * Dropped by 0710 (case-view.queue-counts.ts) once the summary read counters instead; kept here as the history it is.
 */
export const SUMMARY_INDEX = `${CASE_VIEWS_TABLE}_summary_idx`;
const SUMMARY_COLUMNS = ['team', 'status', 'assignee', 'regime', 'due_at', 'awaiting_customer', 'awaiting_approval'] as const;

export const caseViewQueueMigrations: Record<string, Migration> = {
  '0101_case_views_queues': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration runs before its tables exist: Kysely's documented practice
    async up(db: Kysely<any>) {
      const columns: ReadonlyArray<readonly [string, 'varchar(128)' | 'integer']> = [
        ['team', 'varchar(128)'],
        ['regime', 'varchar(128)'],
        ['due_at', 'varchar(128)'],
        ['due_kind', 'varchar(128)'],
        ['severity_rank', 'integer'],
        ['vulnerable', 'integer'],
        ['awaiting_customer', 'integer'],
        ['awaiting_approval', 'integer'],
      ];
      for (const [name, type] of columns) {
        await db.schema
          .alterTable(CASE_VIEWS_TABLE)
          .addColumn(name, type, (column) => (type === 'integer' ? column.notNull().defaultTo(0) : column))
          .execute();
      }
      // Rows written before these columns existed lack their values: the case views are rebuilt from the log on start.
      await db.deleteFrom(CASE_VIEWS_TABLE).execute();
      await db.deleteFrom(CHECKPOINTS_TABLE).where('name', '=', 'case-views').execute();
      for (const columns of QUEUE_INDEXES) {
        await db.schema
          .createIndex(`${CASE_VIEWS_TABLE}_${columns.join('_')}_idx`)
          .on(CASE_VIEWS_TABLE)
          .columns([...columns])
          .execute();
      }
    },
  },
  // Numbered after every migration before it: a read store already migrated applies it next (the migrator keeps their order).
  '0700_case_views_summary_index': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration runs before its tables exist: Kysely's documented practice
    async up(db: Kysely<any>) {
      // SQLite only: on PostgreSQL the count waits on the server, not the event loop, and its planner took this index
      // for a team's queue by due date, with a sort step (test/integration/desk-query-plans.spec.ts).
      if (!isSqlite(db)) return;
      await db.schema
        .createIndex(SUMMARY_INDEX)
        .on(CASE_VIEWS_TABLE)
        .columns([...SUMMARY_COLUMNS])
        .execute();
    },
  },
};
