/**
 * An ungrouped loyalty report classifies customers in SQL (their worst outcome), a grouped one from their cases in
 * code (`classify`, for the deciding case): both must put every customer in the same cohort, on both stores.
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

async function seed(db: ReadStore<LoyaltyTables>['db']): Promise<void> {
  let n = 0;
  for (const [customerId, outcomes] of Object.entries(COMPLAINTS)) {
    for (const recovery of outcomes) {
      n += 1;
      await db
        .insertInto(LOYALTY_TABLES.cases)
        .values({
          case_id: `case-${n}`,
          document: '{}',
          customer_id: customerId,
          received_at: `2025-03-${10 + n}T10:00:00.000Z`,
          channel: n % 2 ? 'email' : 'phone',
          regime: 'FCA',
          status: recovery === 'open' ? 'open' : 'closed',
          recovery,
          first_response_bucket: '1-24h',
          closure_bucket: 'within-8-weeks',
          reopen_count: 0,
          goodwill_kind: 'none',
        } as never)
        .execute();
    }
  }
  await db
    .insertInto(LOYALTY_TABLES.purchases)
    .values({ customer_id: 'no-complaint', order_id: 'order-1', amount: 500, currency: 'GBP', at: '2025-03-02T10:00:00.000Z', position: 1 })
    .execute();
}

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
});
