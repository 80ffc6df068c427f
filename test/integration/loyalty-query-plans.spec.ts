/**
 * The loyalty report reads every case received in its period. At 135,600 cases, one table lookup per case (rows carry
 * a ~1.6 KB document) took 2.7 s of a 3 s answer; these tests run the report itself on SQLite and PostgreSQL, ungrouped
 * (cases classified per customer in SQL) and grouped (the cases themselves), capture the statement it sends for the
 * period's cases, and ask each database for its plan: the index alone must serve it.
 */
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { checkpointMigrations } from '../../src/core/projections/checkpoints';
import { ReadStore, ReadStoreDialect, migrateReadStore } from '../../src/core/read-store/read-store';
import { LOYALTY_TABLES, loyaltyMigrations, type LoyaltyTables } from '../../src/loyalty/projection/loyalty-facts.tables';
import type { LoyaltyGroupBy } from '../../src/loyalty/queries/loyalty-outcomes/loyalty-outcomes.compute';
import { loyaltyOutcomes } from '../../src/loyalty/queries/loyalty-outcomes/loyalty-outcomes.query';
import { describeWithPostgres, dropSchema, postgresUrl, temporarySchemaName } from '../support/postgres';

const CASES = 3000;

function caseRow(n: number) {
  return {
    case_id: `case-${String(n).padStart(6, '0')}`,
    document: JSON.stringify({ padding: 'x'.repeat(1500) }),
    customer_id: `c-${n % 500}`,
    received_at: new Date(Date.UTC(2024, 0, 1) + n * 3_600_000).toISOString(),
    channel: 'email',
    regime: 'FCA',
    status: 'closed',
    recovery: n % 3 === 0 ? 'recovered' : 'not-recovered',
    first_response_bucket: 'same-day',
    closure_bucket: 'within-8-weeks',
    reopen_count: 0,
    goodwill_kind: 'none',
  };
}

async function seed(db: Kysely<LoyaltyTables>): Promise<void> {
  const rows = Array.from({ length: CASES }, (_, n) => caseRow(n));
  for (let start = 0; start < rows.length; start += 200) {
    await db
      .insertInto(LOYALTY_TABLES.cases)
      .values(rows.slice(start, start + 200) as never)
      .execute();
  }
}

/** The report over `db`, as the analytics route runs it; returns the statement that read the period's cases. */
async function periodCasesStatement(
  db: Kysely<LoyaltyTables>,
  captured: CompiledQuery[],
  groupBy: LoyaltyGroupBy | undefined,
): Promise<CompiledQuery> {
  captured.length = 0;
  await loyaltyOutcomes(db, { from: '2024-02-01', to: '2024-03-01', groupBy }, '2026-01-01T00:00:00.000Z');
  const statement = captured.find((query) => /from "loyalty_cases"/.test(query.sql) && query.sql.includes('"recovery"'));
  if (!statement) throw new Error(`no statement read the period's cases:\n${captured.map((query) => query.sql).join('\n')}`);
  return statement;
}

function readStoreOf(db: Kysely<LoyaltyTables>, dialect: ReadStoreDialect): ReadStore<LoyaltyTables> {
  return { db, reports: db, dialect, close: () => db.destroy() };
}

describe('loyalty report query plan on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-loyalty-plans-'));
  const sqlite = new Database(join(dir, 'read.db'));
  const captured: CompiledQuery[] = [];
  const db = new Kysely<LoyaltyTables>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (event) => void captured.push(event.query),
  });

  beforeAll(async () => {
    await migrateReadStore(readStoreOf(db as never, 'sqlite'), { ...checkpointMigrations, ...loyaltyMigrations });
    await seed(db);
    sqlite.exec('ANALYZE');
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['ungrouped', undefined],
    ['grouped', 'category' as const],
  ])("reads the period's cases from the covering index alone, never the rows (%s)", async (_, groupBy) => {
    const statement = await periodCasesStatement(db, captured, groupBy);
    const plan = (
      sqlite.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...(statement.parameters as unknown[])) as Array<{ detail: string }>
    )
      .map((row) => row.detail)
      .join('\n');
    expect(plan).toMatch(/COVERING INDEX loyalty_cases_period_idx \(received_at>\? AND received_at<\?\)/);
    // A grouped report then fetches its candidates' fields by a seek into the same index: no row is read either.
    for (const step of plan.split('\n').filter((line) => / loyalty_cases /.test(line)))
      expect(step).toMatch(/COVERING INDEX loyalty_cases_period_idx/);
  });
});

describeWithPostgres('loyalty report query plan on PostgreSQL', () => {
  const schema = temporarySchemaName();
  let pool: Pool;
  let db: Kysely<LoyaltyTables>;
  const captured: CompiledQuery[] = [];

  beforeAll(async () => {
    pool = new Pool({ connectionString: postgresUrl(), options: `-c search_path=${schema}` });
    await pool.query(`CREATE SCHEMA ${schema}`);
    db = new Kysely<LoyaltyTables>({ dialect: new PostgresDialect({ pool }), log: (event) => void captured.push(event.query) });
    await migrateReadStore(readStoreOf(db, 'postgres'), { ...checkpointMigrations, ...loyaltyMigrations });
    await seed(db);
    await pool.query(`VACUUM ANALYZE ${schema}.loyalty_cases`);
  });
  afterAll(async () => {
    await db.destroy();
    await dropSchema(schema);
  });

  it.each([
    ['ungrouped', undefined],
    ['grouped', 'category' as const],
  ])("reads the period's cases by an index-only scan of the covering index (%s)", async (_, groupBy) => {
    const statement = await periodCasesStatement(db, captured, groupBy);
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${statement.sql}`, statement.parameters as unknown[]);
    expect(rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Index Only Scan using loyalty_cases_period_idx/);
  });
});
