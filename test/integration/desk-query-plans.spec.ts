import { CompiledQuery, sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ListCasesQueryDto } from '../../src/complaints/queries/list-cases/list-cases.dto';
import { ListCasesHandler } from '../../src/complaints/queries/list-cases/list-cases.query';
import type { QueueTables } from '../../src/complaints/queues/queue-filters';
import { checkpointMigrations } from '../../src/core/projections/checkpoints';
import { migrateReadStore, openReadStore, type ReadStore } from '../../src/core/read-store/read-store';
import { READ_MODELS } from '../../src/read-models';
import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';

const NOW = new Date('2026-03-10T12:00:00.000Z');

/** The queue queries a desk runs all day, and the index each must be able to use. */
const QUEUES: Array<[string, ListCasesQueryDto, RegExp]> = [
  ["a team's queue by due date", { team: 't1', sort: 'dueAt' }, /case_views_team_due_at_id_idx/],
  ['overdue, most overdue first', { overdue: true, sort: 'dueAt' }, /case_views_(team_)?due_at_id_idx|case_views_regime_due_at_idx/],
  // Each regime's day on its own index, or the span of them all (a day and a few hours) on the due dates' index.
  ['due today in each regime', { dueToday: true }, /case_views_regime_due_at_idx|case_views_due_at_id_idx/],
  [
    'due before an instant',
    { dueBefore: '2026-03-11T00:00:00Z', sort: 'dueAt' },
    /case_views_(team_)?due_at_id_idx|case_views_regime_due_at_idx/,
  ],
  ['a tag', { tag: 'vip' }, /case_tags_pk|sqlite_autoindex_case_tags_1 \(tag=\?\)/],
  // Flagged on the case, or through a customer flagged on their own: each arm of the union seeks its own index.
  [
    'vulnerable customers',
    { vulnerable: true },
    /case_views_vulnerable_id_idx[\s\S]*case_views_customer_id_(received_at_)?idx|case_views_customer_id_(received_at_)?idx[\s\S]*case_views_vulnerable_id_idx/,
  ],
  ['most severe first', { sort: '-severity' }, /case_views_severity_rank_id_idx/],
  ["an agent's own cases", { assignee: 'agent-7' }, /case_views_assignee_(received_at_)?idx/],
];

async function explain(store: ReadStore<QueueTables>, query: CompiledQuery): Promise<string> {
  return store.db.connection().execute(async (connection) => {
    if (store.dialect === 'sqlite') {
      const { rows } = await connection.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]),
      );
      return rows.map((row) => row.detail).join('\n');
    }
    // An empty table is cheapest to scan: forbid that, so the plan shows which index the query can use.
    await connection.executeQuery(CompiledQuery.raw('SET enable_seqscan = off'));
    const { rows } = await connection.executeQuery<{ 'QUERY PLAN': string }>(
      CompiledQuery.raw(`EXPLAIN ${query.sql}`, [...query.parameters]),
    );
    await connection.executeQuery(CompiledQuery.raw('RESET enable_seqscan'));
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

/** A desk's worth of cases (4,000, spread over teams, regimes, due dates and severities), so the planners have statistics. */
async function seed(store: ReadStore<QueueTables>): Promise<void> {
  const regimes = ['default', 'FCA', 'CFPB', 'ASIC'];
  const rows = Array.from({ length: 4000 }, (_, i) => ({
    id: `case-${String(i).padStart(5, '0')}`,
    document: '{}',
    customer_id: `cust-${i % 900}`,
    status: ['received', 'acknowledged', 'in-progress', 'resolved', 'closed'][i % 5],
    category: ['delivery', 'billing', 'product'][i % 3],
    severity: null,
    assignee: i % 4 === 0 ? null : `agent-${i % 40}`,
    breached: i % 17 === 0 ? 1 : 0,
    received_at: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 1_800_000).toISOString(),
    updated_at: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 1_900_000).toISOString(),
    next_deadline_at: null,
    team: `team-${i % 25}`,
    regime: regimes[i % 4],
    due_at: i % 5 === 4 ? null : new Date(NOW.getTime() + ((i * 7919) % 120) * 3_600_000 * 12 - 5 * 86_400_000).toISOString(),
    due_kind: 'final-response',
    severity_rank: i % 5,
    vulnerable: i % 50 === 0 ? 1 : 0,
    awaiting_customer: i % 7 === 0 ? 1 : 0,
    awaiting_approval: i % 31 === 0 ? 1 : 0,
  }));
  for (let i = 0; i < rows.length; i += 200)
    await store.db
      .insertInto('case_views')
      .values(rows.slice(i, i + 200))
      .execute();
  const tags = rows.filter((_, i) => i % 40 === 0).map((row) => ({ tag: 'vip', case_id: row.id }));
  await store.db.insertInto('case_tags').values(tags).execute();
  await store.db
    .insertInto('case_tags')
    .values(rows.filter((_, i) => i % 3 === 0).map((row) => ({ tag: 'common', case_id: row.id })))
    .execute();
  // A few customers flagged vulnerable on their own.
  await store.db
    .insertInto('customer_vulnerability')
    .values([3, 77, 412].map((n) => ({ customer_id: `cust-${n}`, reason: 'health', flagged_at: NOW.toISOString() })))
    .execute();
  await sql`ANALYZE`.execute(store.db);
}

function queuePlans(open: () => Promise<ReadStore<QueueTables>>): void {
  let store: ReadStore<QueueTables>;
  beforeAll(async () => {
    store = await open();
    await migrateReadStore(store, { ...checkpointMigrations, ...READ_MODELS.migrations });
    await seed(store);
  });
  afterAll(() => store?.close());

  it.each(QUEUES)('%s uses its index', async (_, filters, index) => {
    const handler = new ListCasesHandler(store, { now: () => NOW });
    const plan = await explain(store, handler.query(filters, NOW).compile());
    expect({ filters, plan }).toEqual({ filters, plan: expect.stringMatching(index) });
  });
}

describe('queue query plans on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-plans-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  queuePlans(() => openReadStore<QueueTables>({ dataDir: dir }));
});

describeWithPostgres('queue query plans on PostgreSQL', () => {
  const schema = useTemporarySchemas();
  queuePlans(() => openReadStore<QueueTables>({ dataDir: '', url: postgresUrl(), schema: schema() }));
});
