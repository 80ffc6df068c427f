/**
 * An ungrouped loyalty report classifies customers in SQL (their worst outcome), a grouped one from each customer's
 * candidate cases in code (`classify`, for the deciding case): both must put every customer in the same cohort, and a
 * grouped one must group them by the deciding case, on both stores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointMigrations } from '../../src/core/projections/checkpoints';
import { ReadStore, migrateReadStore, openReadStore } from '../../src/core/read-store/read-store';
import type { RecoveryClass } from '../../src/loyalty/projection/case-facts';
import { LOYALTY_TABLES, loyaltyMigrations, type LoyaltyTables } from '../../src/loyalty/projection/loyalty-facts.tables';
import { loyaltyOutcomes } from '../../src/loyalty/queries/loyalty-outcomes/loyalty-outcomes.query';
import { describeWithPostgres, dropSchema, postgresUrl, temporarySchemaName } from '../support/postgres';

/** Each customer's complaints of the period, in the order received. */
const COMPLAINTS: Record<string, RecoveryClass[]> = {
  'only-withdrawn': ['withdrawn'],
  'withdrawn-then-recovered': ['withdrawn', 'recovered'],
  'recovered-then-open': ['recovered', 'open'],
  'open-not-recovered-recovered': ['open', 'not-recovered', 'recovered'],
  'recovered-twice': ['recovered', 'recovered'],
};

interface SeededCase {
  caseId: string;
  customerId: string;
  receivedAt: string;
  channel: string;
  recovery: RecoveryClass;
}

async function insertCase(db: ReadStore<LoyaltyTables>['db'], seeded: SeededCase): Promise<void> {
  await db
    .insertInto(LOYALTY_TABLES.cases)
    .values({
      case_id: seeded.caseId,
      document: '{}',
      customer_id: seeded.customerId,
      received_at: seeded.receivedAt,
      channel: seeded.channel,
      regime: 'FCA',
      status: seeded.recovery === 'open' ? 'open' : 'closed',
      recovery: seeded.recovery,
      first_response_bucket: '1-24h',
      closure_bucket: 'within-8-weeks',
      reopen_count: 0,
      goodwill_kind: 'none',
    } as never)
    .execute();
}

/**
 * April: which case decides a grouped customer's group. The earliest case of the deciding outcome; at the same instant,
 * the lower case id as code compares it ('tie-B' before 'tie-a', which a linguistic collation would put the other way).
 */
const DECIDING: SeededCase[] = [
  { caseId: 'tie-a', customerId: 'tie', receivedAt: '2025-04-03T10:00:00.000Z', channel: 'email', recovery: 'recovered' },
  { caseId: 'tie-B', customerId: 'tie', receivedAt: '2025-04-03T10:00:00.000Z', channel: 'phone', recovery: 'recovered' },
  { caseId: 'early-z', customerId: 'earliest', receivedAt: '2025-04-02T10:00:00.000Z', channel: 'chat', recovery: 'recovered' },
  { caseId: 'early-a', customerId: 'earliest', receivedAt: '2025-04-05T10:00:00.000Z', channel: 'phone', recovery: 'recovered' },
  { caseId: 'worst-1', customerId: 'worst', receivedAt: '2025-04-02T10:00:00.000Z', channel: 'email', recovery: 'recovered' },
  { caseId: 'worst-2', customerId: 'worst', receivedAt: '2025-04-06T10:00:00.000Z', channel: 'letter', recovery: 'not-recovered' },
  { caseId: 'worst-3', customerId: 'worst', receivedAt: '2025-04-07T10:00:00.000Z', channel: 'chat', recovery: 'not-recovered' },
];

async function seed(db: ReadStore<LoyaltyTables>['db']): Promise<void> {
  let n = 0;
  for (const [customerId, outcomes] of Object.entries(COMPLAINTS)) {
    for (const recovery of outcomes) {
      n += 1;
      const channel = n % 2 ? 'email' : 'phone';
      await insertCase(db, { caseId: `case-${n}`, customerId, receivedAt: `2025-03-${10 + n}T10:00:00.000Z`, channel, recovery });
    }
  }
  for (const seeded of DECIDING) await insertCase(db, seeded);
  await db
    .insertInto(LOYALTY_TABLES.purchases)
    .values({ customer_id: 'no-complaint', order_id: 'order-1', amount: 500, currency: 'GBP', at: '2025-03-02T10:00:00.000Z', position: 1 })
    .execute();
}

async function decidingGroups(db: ReadStore<LoyaltyTables>['db']) {
  const report = await loyaltyOutcomes(
    db,
    { from: '2025-04-01', to: '2025-04-30', minCohort: 1, resamples: 10, groupBy: 'channel' },
    '2026-01-01T00:00:00.000Z',
  );
  return report.rows.map((row) => `${row.group} ${row.cohort} ${row.customers}`);
}

const EXPECTED_GROUPS = ['chat recovered 1', 'letter not-recovered 1', 'phone recovered 1'];

async function cohorts(db: ReadStore<LoyaltyTables>['db']) {
  const params = { from: '2025-03-01', to: '2025-03-31', minCohort: 1, resamples: 10 };
  const ungrouped = await loyaltyOutcomes(db, params, '2026-01-01T00:00:00.000Z');
  const grouped = await loyaltyOutcomes(db, { ...params, groupBy: 'channel' }, '2026-01-01T00:00:00.000Z');
  const count = (rows: typeof grouped.rows) =>
    rows.reduce<Record<string, number>>((counts, row) => ({ ...counts, [row.cohort]: (counts[row.cohort] ?? 0) + row.customers }), {});
  return {
    ungrouped: { customers: ungrouped.customers, excluded: ungrouped.excluded, cohorts: count(ungrouped.rows) },
    grouped: { customers: grouped.customers, excluded: grouped.excluded, cohorts: count(grouped.rows) },
  };
}

const EXPECTED = {
  customers: 5,
  excluded: { withdrawnOnly: 1 },
  cohorts: { 'no-complaint': 1, recovered: 2, 'not-recovered': 1, open: 1 },
};

describe('loyalty report classification on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redress-loyalty-classes-'));
  let store: ReadStore<LoyaltyTables>;

  beforeAll(async () => {
    store = await openReadStore<LoyaltyTables>({ dataDir: dir });
    await migrateReadStore(store, { ...checkpointMigrations, ...loyaltyMigrations });
    await seed(store.db);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts every customer in the same cohort ungrouped and grouped: the worst outcome, withdrawn complaints left out', async () => {
    expect(await cohorts(store.db)).toEqual({ ungrouped: EXPECTED, grouped: EXPECTED });
  });

  it("groups a customer by the deciding case: the worst outcome's earliest, a tie going to the lower case id", async () => {
    expect(await decidingGroups(store.db)).toEqual(EXPECTED_GROUPS);
  });
});

describeWithPostgres('loyalty report classification on PostgreSQL', () => {
  const schema = temporarySchemaName();
  let store: ReadStore<LoyaltyTables>;

  beforeAll(async () => {
    store = await openReadStore<LoyaltyTables>({ url: postgresUrl(), schema, dataDir: tmpdir() });
    await migrateReadStore(store, { ...checkpointMigrations, ...loyaltyMigrations });
    await seed(store.db);
  });
  afterAll(async () => {
    await store.close();
    await dropSchema(schema);
  });

  it('puts every customer in the same cohort ungrouped and grouped: the worst outcome, withdrawn complaints left out', async () => {
    expect(await cohorts(store.db)).toEqual({ ungrouped: EXPECTED, grouped: EXPECTED });
  });

  it("groups a customer by the deciding case: the worst outcome's earliest, a tie going to the lower case id", async () => {
    expect(await decidingGroups(store.db)).toEqual(EXPECTED_GROUPS);
  });
});
