import { Logger } from '@nestjs/common';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseView } from '../../src/complaints/projections/case-view/case-view';
import { evolveCaseView } from '../../src/complaints/projections/case-view/case-view.evolve';
import type { Clock } from '../../src/core/clock';
import type { RecordedEvent } from '../../src/core/event-store/event-store.port';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { type CheckpointTables, checkpointMigrations } from '../../src/core/projections/checkpoints';
import { ProjectionRunner } from '../../src/core/projections/projection-runner';
import { ReadStore, migrateReadStore, openReadStore } from '../../src/core/read-store/read-store';
import { executeStreamCommand } from '../../src/core/commands/execute-stream-command';
import { customerStream } from '../../src/customers/customer-commands';
import { purchaseCommandId } from '../../src/customers/domain/customer.decider';
import { caseFacts, deadlineRows, fixRows, goodwillRows } from '../../src/loyalty/projection/case-facts';
import { LOYALTY_PROJECTION, loyaltyFactsProjection } from '../../src/loyalty/projection/loyalty-facts.projection';
import { LOYALTY_TABLES, type LoyaltyTables, loyaltyMigrations } from '../../src/loyalty/projection/loyalty-facts.tables';
import { deadlinesReport } from '../../src/loyalty/queries/deadlines/deadlines.query';
import { loyaltyOutcomes } from '../../src/loyalty/queries/loyalty-outcomes/loyalty-outcomes.query';
import { systemicIssues } from '../../src/loyalty/queries/systemic-issues/systemic-issues.query';
import { HISTORY_START, writeComplaintHistory } from '../support/complaint-history';
import { rebuildCountingReads } from '../support/counting-reads';
import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';

const clock: Clock = { now: () => new Date() };
/** Memory where there is some: these stores fsync every batch, and only the rows matter here, not durability. */
const SCRATCH = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const MIGRATIONS = { ...checkpointMigrations, ...loyaltyMigrations };
/** The tables MIGRATIONS create. */
type LoyaltyStoreTables = CheckpointTables & LoyaltyTables;
const NOW = '2025-09-01T00:00:00.000Z';
const SHOP = { id: 'shop', role: 'agent' } as const;

/** Every loyalty table, rows in a stable order, numbers as numbers (PostgreSQL answers bigint as text). */
async function readTables(db: ReadStore<LoyaltyStoreTables>['db']): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  for (const table of Object.values(LOYALTY_TABLES)) {
    const rows = await db.selectFrom(table).selectAll().execute();
    tables[table] = rows
      .map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([column, value]) => [column, ['amount', 'position'].includes(column) ? Number(value) : value]),
        ),
      )
      .map((row) => JSON.stringify(row, Object.keys(row).sort()))
      .sort();
  }
  return tables;
}

async function project(readStore: ReadStore<LoyaltyStoreTables>, store: SqliteEventStore, head: number, batchSize: number): Promise<void> {
  await migrateReadStore(readStore, MIGRATIONS);
  const runner = new ProjectionRunner(store, readStore, loyaltyFactsProjection, { clock, batchSize, idlePollMs: 60_000 });
  await runner.start();
  expect(await runner.waitForPosition(head, 20_000)).toBe(true);
  await runner.stop();
}

describe('the loyalty-facts projection', () => {
  let dir: string;
  let store: SqliteEventStore;
  let head: number;
  let events: RecordedEvent[];
  const stores: ReadStore<LoyaltyStoreTables>[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(['error', 'warn']);
    dir = mkdtempSync(join(SCRATCH, 'redress-loyalty-'));
    store = new SqliteEventStore(join(dir, 'events.db'));
    const history = await writeComplaintHistory(store, { cases: 32, idPrefix: 'loyalty' });
    // Purchases of the same customers (cust-0 … cust-6) before and after the complaints, a repeat, a referral and a churn.
    for (let index = 0; index < 40; index++) {
      const customerId = `cust-${index % 7}`;
      const at = new Date(Date.parse(HISTORY_START) + (index - 10) * 5 * 86_400_000).toISOString();
      const orderId = `order-${index}`;
      await executeStreamCommand(
        store,
        customerStream,
        customerId,
        {
          type: 'RecordPurchase',
          data: { customerId, orderId, amount: 1_000 + index * 37, currency: index % 9 === 0 ? 'EUR' : 'GBP', at },
          by: SHOP,
          at: NOW,
        },
        {
          commandId: purchaseCommandId(orderId),
          correlationId: 'c',
          causationId: 'c',
          actor: SHOP,
          occurredAt: NOW,
        },
      );
    }
    const context = (id: string) => ({ commandId: id, correlationId: id, causationId: id, actor: SHOP, occurredAt: NOW });
    await executeStreamCommand(
      store,
      customerStream,
      'cust-1',
      { type: 'RecordReferral', data: { customerId: 'cust-1', referralId: 'r1', at: '2025-04-01T00:00:00.000Z' }, by: SHOP, at: NOW },
      context('ref'),
    );
    const last = await executeStreamCommand(
      store,
      customerStream,
      'cust-2',
      { type: 'RecordChurn', data: { customerId: 'cust-2', at: '2025-04-02T00:00:00.000Z' }, by: SHOP, at: NOW },
      context('churn'),
    );
    head = Math.max(history.head, last.position);
    events = await store.readAll();
  });

  afterAll(async () => {
    for (const readStore of stores.splice(0)) await readStore.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sqlite = async () => {
    const readStore = await openReadStore<LoyaltyStoreTables>({ dataDir: mkdtempSync(join(dir, 'read-')) });
    stores.push(readStore);
    return readStore;
  };

  it('holds one row per purchase, referral and churn, and the facts of each case as the case view folds them', async () => {
    const readStore = await sqlite();
    await project(readStore, store, head, 500);
    const tables = await readTables(readStore.db);
    expect(tables[LOYALTY_TABLES.purchases]).toHaveLength(40);
    expect(tables[LOYALTY_TABLES.referrals]).toHaveLength(1);
    expect(tables[LOYALTY_TABLES.churn]).toHaveLength(1);

    const views = new Map<string, CaseView | null>();
    for (const event of events.filter((e) => e.streamName.startsWith('complaint-')))
      views.set(event.streamName, evolveCaseView(views.get(event.streamName) ?? null, event));
    const folded = [...views.values()].filter((view): view is CaseView => view !== null);
    const expected = {
      [LOYALTY_TABLES.cases]: folded.map(caseFacts),
      [LOYALTY_TABLES.goodwill]: folded.flatMap(goodwillRows),
      [LOYALTY_TABLES.fixes]: folded.flatMap(fixRows),
      [LOYALTY_TABLES.deadlines]: folded.flatMap(deadlineRows),
    };
    for (const [table, rows] of Object.entries(expected)) {
      expect({ table, rows: tables[table] }).toEqual({
        table,
        rows: rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort(),
      });
    }
    const recoveries = folded
      .map(caseFacts)
      .map((facts) => facts.recovery)
      .sort();
    expect(new Set(recoveries)).toEqual(new Set(['recovered', 'not-recovered', 'open', 'withdrawn']));
  });

  it('comes out the same whatever the batch size, and after a rebuild', async () => {
    const whole = await sqlite();
    await project(whole, store, head, 500);
    const small = await sqlite();
    await project(small, store, head, 3);
    expect(await readTables(small.db)).toEqual(await readTables(whole.db));

    const runner = new ProjectionRunner(store, small, loyaltyFactsProjection, { clock, batchSize: 11, idlePollMs: 60_000 });
    await runner.rebuild();
    await runner.stop();
    expect((await runner.status()).checkpoint).toBe(head);
    expect(await readTables(small.db)).toEqual(await readTables(whole.db));

    // As `redress rebuild` does: transactions of several pages, each case's facts evolved across them and written once.
    const together = new ProjectionRunner(store, small, loyaltyFactsProjection, { clock, rebuildBatchSize: 7, idlePollMs: 60_000 });
    await ProjectionRunner.rebuildTogether([together]);
    await together.stop();
    expect((await together.status()).checkpoint).toBe(head);
    expect(await readTables(small.db)).toEqual(await readTables(whole.db));

    // Holding two cases at most: the others written and let go at each page's end, read back when met again, all in the
    // shared pass (each page read once: a transaction it could not commit would be read again by the runner alone).
    const options = { clock, rebuildBatchSize: 7, heldDocuments: 2, idlePollMs: 60_000 };
    expect(await rebuildCountingReads(store, small, loyaltyFactsProjection, options)).toBe(Math.ceil(head / 7));
    expect(await readTables(small.db)).toEqual(await readTables(whole.db));
  }, 60_000);

  describeWithPostgres('on PostgreSQL', () => {
    const schema = useTemporarySchemas();

    it('projects the same rows and answers every analytics query as SQLite does', async () => {
      const lite = await sqlite();
      await project(lite, store, head, 500);
      const postgres = await openReadStore<LoyaltyStoreTables>({ url: postgresUrl(), schema: schema(), dataDir: dir });
      stores.push(postgres);
      await project(postgres, store, head, 13);
      expect(await readTables(postgres.db)).toEqual(await readTables(lite.db));

      const queries = [
        (db: ReadStore<LoyaltyStoreTables>['db']) =>
          loyaltyOutcomes(db, { from: '2025-03-01', to: '2025-03-31', windowDays: 60, currency: 'GBP' }, NOW),
        (db: ReadStore<LoyaltyStoreTables>['db']) =>
          loyaltyOutcomes(db, { from: '2025-03-01', to: '2025-03-31', groupBy: 'category', currency: 'EUR' }, NOW),
        (db: ReadStore<LoyaltyStoreTables>['db']) =>
          loyaltyOutcomes(db, { from: '2025-03-01', to: '2025-03-31', groupBy: 'firstResponseBucket', currency: 'GBP' }, NOW),
        (db: ReadStore<LoyaltyStoreTables>['db']) => systemicIssues(db, { windowDays: 7 }, NOW),
        (db: ReadStore<LoyaltyStoreTables>['db']) => deadlinesReport(db, {}, NOW),
        (db: ReadStore<LoyaltyStoreTables>['db']) => deadlinesReport(db, { from: '2025-03-03', to: '2025-03-04' }, NOW),
      ];
      for (const query of queries) {
        const [onSqlite, onPostgres] = [await query(lite.db), await query(postgres.db)];
        expect(onPostgres).toEqual(onSqlite);
      }
      expect((await loyaltyOutcomes(lite.db, { from: '2025-03-01', to: '2025-03-31', currency: 'GBP' }, NOW)).customers).toBeGreaterThan(0);
      expect((await deadlinesReport(lite.db, {}, NOW)).total.cases).toBe(32);
      expect(LOYALTY_PROJECTION).toBe('loyalty-facts');
    });
  });
});
