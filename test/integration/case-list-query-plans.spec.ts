/**
 * GET /cases stays flat as cases pile up only if each page is an index seek and a walk of `limit` entries:
 * the filter and the sort served by one index, no sort step, and the cursor a seek rather than a filter from
 * the first row. These tests run the list query handler itself on SQLite and PostgreSQL, capture the SQL it
 * sends, and ask each database for its plan.
 */
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { CASE_VIEWS_TABLE, caseViewMigrations } from '../../src/complaints/projections/case-view/case-view.projection';
import { ListCasesHandler, ListCasesQuery } from '../../src/complaints/queries/list-cases/list-cases.query';
import { QueueSummaryHandler, QueueSummaryQuery } from '../../src/complaints/queries/queue-summary/queue-summary.query';
import { QUEUE_COUNTS_TABLE } from '../../src/complaints/projections/case-view/case-view.queue-counts';
import { loadConfig } from '../../src/config/app-config';
import type { ListCasesQueryDto } from '../../src/complaints/queries/list-cases/list-cases.dto';
import { checkpointMigrations } from '../../src/core/projections/checkpoints';
import { customerVulnerabilityMigrations } from '../../src/customers/public';
import { ReadStore, ReadStoreDialect, migrateReadStore } from '../../src/core/read-store/read-store';
import type { QueueTables } from '../../src/complaints/queues/queue-filters';
import { describeWithPostgres, dropSchema, postgresUrl, temporarySchemaName } from '../support/postgres';

const CASES = 5000;
/** Open cases are most; each closing status a few per cent, as on a desk that keeps up. */
const statusOf = (n: number) => (n % 50 === 0 ? 'closed' : n % 50 === 1 ? 'resolved' : ['received', 'acknowledged', 'in-progress'][n % 3]);

function caseRow(n: number) {
  const receivedAt = new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString();
  const caseId = `case-${String(n).padStart(6, '0')}`;
  const status = statusOf(n);
  const document = {
    caseId,
    customerId: `c-${n % 400}`,
    status,
    channel: 'email',
    regime: 'default',
    summary: 'x',
    escalationLevel: 0,
    breached: false,
    reopenCount: 0,
    deadlines: [],
    revision: 1,
    timestamps: { receivedAt, updatedAt: receivedAt },
  };
  return {
    id: caseId,
    document: JSON.stringify(document),
    customer_id: document.customerId,
    status,
    category: n % 3 === 0 ? 'delivery' : 'billing',
    severity: null,
    assignee: `agent-${n % 20}`,
    team: null,
    regime: 'default',
    due_at: null,
    due_kind: null,
    severity_rank: 0,
    vulnerable: 0,
    awaiting_customer: 0,
    awaiting_approval: 0,
    breached: 0,
    received_at: receivedAt,
    updated_at: receivedAt,
    next_deadline_at: null,
  };
}

/** The list handler over `db`, with every statement it runs captured. */
function capturingHandler(dialect: ReadStoreDialect, db: Kysely<QueueTables>, captured: CompiledQuery[]) {
  const store: ReadStore<QueueTables> = { dialect, db, reports: db, close: async () => undefined };
  return async (filters: ListCasesQueryDto) => {
    captured.length = 0;
    return new ListCasesHandler(store, { now: () => new Date() }).execute(new ListCasesQuery(filters));
  };
}

async function seed(db: Kysely<QueueTables>): Promise<void> {
  const rows = Array.from({ length: CASES }, (_, n) => caseRow(n));
  for (let start = 0; start < rows.length; start += 500)
    await db
      .insertInto(CASE_VIEWS_TABLE)
      .values(rows.slice(start, start + 500))
      .execute();
}

const PAGES: Array<[string, ListCasesQueryDto, string]> = [
  ['status, newest received first', { status: 'closed', limit: 10 }, 'case_views_status_received_at_idx'],
  ['status, oldest updated first', { status: 'resolved', sort: 'updatedAt', limit: 10 }, 'case_views_status_updated_at_idx'],
  ['customer, newest first', { customerId: 'c-7', limit: 5 }, 'case_views_customer_id_received_at_idx'],
  ['assignee, newest first', { assignee: 'agent-3', limit: 50 }, 'case_views_assignee_received_at_idx'],
];

/**
 * A seeded SQLite read store for one describe block, every statement captured, and SQLite's plan for any of them;
 * `analyze` gives the planner statistics first.
 */
function sqlitePlans({ analyze }: { analyze: boolean }) {
  const fixture = { dir: '', db: undefined as unknown as Kysely<QueueTables>, captured: [] as CompiledQuery[] };
  let sqlite: Database.Database;
  beforeAll(async () => {
    fixture.dir = mkdtempSync(join(tmpdir(), 'redress-plans-'));
    sqlite = new Database(join(fixture.dir, 'read-models.db'));
    const db = new Kysely<QueueTables>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (event) => void fixture.captured.push(event.query),
    });
    fixture.db = db;
    await migrateReadStore(
      { dialect: 'sqlite', db, reports: db, close: async () => undefined },
      { ...checkpointMigrations, ...caseViewMigrations, ...customerVulnerabilityMigrations },
    );
    await seed(db);
    if (analyze) await sql`ANALYZE`.execute(db);
  });
  afterAll(async () => {
    await fixture.db.destroy();
    rmSync(fixture.dir, { recursive: true, force: true });
  });
  const planOf = (query: CompiledQuery) =>
    (sqlite.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...(query.parameters as unknown[])) as Array<{ detail: string }>)
      .map((row) => row.detail)
      .join('\n');
  return { fixture, planOf };
}

describe('GET /cases query plans on SQLite', () => {
  const { fixture, planOf } = sqlitePlans({ analyze: true });

  it.each(PAGES)('%s: the first page and the next are index seeks with no sort step', async (_, filters, index) => {
    const list = capturingHandler('sqlite', fixture.db, fixture.captured);
    const first = await list(filters);
    expect(first.items).toHaveLength(filters.limit!);
    const firstPlan = planOf(fixture.captured[0]);
    await list({ ...filters, cursor: first.nextCursor! });
    const nextPlan = planOf(fixture.captured[0]);
    for (const plan of [firstPlan, nextPlan]) {
      expect(plan).toContain(`USING INDEX ${index}`);
      expect(plan).not.toContain('TEMP B-TREE');
    }
    // The cursor is part of the seek (a range on the index), not a filter applied to every row before it.
    expect(nextPlan).toMatch(/\(status=\? AND \(received_at,id\)<\(\?,\?\)\)|\(\w+=\? AND \((received_at|updated_at),id\)[<>]\(\?,\?\)\)/);
  });
});

/**
 * The desk's summary reads the counters the case-view projection keeps (case-view.queue-counts.ts) and counts from the
 * case views only those due today and those due earlier today: every statement a search of an index over a range, none
 * a pass over every case (or every case of a team). Redress never ANALYZEs the read store: these are the plans it gets.
 */
describe('GET /queues/summary query plans on SQLite', () => {
  const { fixture, planOf } = sqlitePlans({ analyze: false });

  it.each([[undefined], ['complaints-tier-1']])(
    'GET /queues/summary (team %s) seeks counters and due-date ranges, never every case',
    async (team) => {
      const config = loadConfig({ DATA_DIR: fixture.dir, AUTH_SECRET: 'plans-'.repeat(8) });
      const { db, captured } = fixture;
      const store: ReadStore<QueueTables> = { dialect: 'sqlite', db, reports: db, close: async () => undefined };
      captured.length = 0;
      await new QueueSummaryHandler(store, { now: () => new Date() }, config).execute(new QueueSummaryQuery(team));
      // Its reads, in the one transaction they share.
      expect(captured.map((query) => query.sql.split(' ')[0].toLowerCase())).toEqual([
        'begin',
        'select',
        'select',
        'select',
        'select',
        'commit',
      ]);
      const plans = captured.filter((query) => /^select/i.test(query.sql)).map(planOf);
      expect(plans).toHaveLength(4);
      for (const plan of plans) {
        expect(plan).not.toMatch(/\bSCAN\b/);
        expect(plan).toMatch(/^SEARCH|\nSEARCH|INDEX \d+: SEARCH/);
      }
      expect(plans.filter((plan) => plan.includes(`SEARCH ${QUEUE_COUNTS_TABLE}`))).toHaveLength(2);
      // The cases read are a range of due dates (a team's, with a team): today's, never the whole index.
      for (const plan of plans.filter((plan) => plan.includes(`SEARCH ${CASE_VIEWS_TABLE}`)))
        expect(plan).toMatch(team ? /\(team=\? AND due_at>\? AND due_at<\?\)/ : /due_at>\? AND due_at<\?\)/);
    },
  );
});

describeWithPostgres('GET /cases query plans on PostgreSQL', () => {
  const schema = temporarySchemaName();
  let pool: Pool;
  let db: Kysely<QueueTables>;
  const captured: CompiledQuery[] = [];
  beforeAll(async () => {
    const setup = new Pool({ connectionString: postgresUrl() });
    await setup.query(`CREATE SCHEMA ${schema}`);
    await setup.end();
    pool = new Pool({ connectionString: postgresUrl(), max: 1, options: `-c search_path=${schema}` });
    db = new Kysely<QueueTables>({ dialect: new PostgresDialect({ pool }), log: (event) => void captured.push(event.query) });
    await migrateReadStore(
      { dialect: 'postgres', db, reports: db, close: async () => undefined },
      { ...checkpointMigrations, ...caseViewMigrations, ...customerVulnerabilityMigrations },
    );
    await seed(db);
    await sql`ANALYZE case_views`.execute(db);
  });
  afterAll(async () => {
    await db.destroy();
    await dropSchema(schema);
  });

  const planOf = async (query: CompiledQuery) => {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.sql}`, query.parameters as unknown[]);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  };

  it.each(PAGES)('%s: the first page and the next are index scans with no sort step', async (_, filters, index) => {
    const list = capturingHandler('postgres', db, captured);
    const first = await list(filters);
    expect(first.items).toHaveLength(filters.limit!);
    const firstPlan = await planOf(captured[0]);
    await list({ ...filters, cursor: first.nextCursor! });
    const nextPlan = await planOf(captured[0]);
    for (const plan of [firstPlan, nextPlan]) {
      expect(plan).toMatch(new RegExp(`Index Scan( Backward)? using ${index}`));
      expect(plan).not.toMatch(/\bSort\b/);
    }
    expect(nextPlan).toMatch(/Index Cond: .*ROW\(\((received_at|updated_at)\)::text, \(id\)::text\) [<>] ROW/);
  });
});
