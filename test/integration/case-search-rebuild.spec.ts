import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { checkpointMigrations, type CheckpointTables } from '../../src/core/projections/checkpoints';
import { ProjectionRunner } from '../../src/core/projections/projection-runner';
import { migrateReadStore, openReadStore, type ReadStore } from '../../src/core/read-store/read-store';
import {
  type CaseSearchTables,
  SEARCH_DOCS_TABLE,
  SEARCH_FTS_TABLE,
  caseSearchMigrations,
  caseSearchProjection,
} from '../../src/complaints/projections/case-search/case-search.projection';
import { customerStreamName } from '../../src/customers/domain/customer.decider';
import { writeComplaintHistory } from '../support/complaint-history';
import { countingReads, rebuildCountingReads } from '../support/counting-reads';

type Tables = CheckpointTables & CaseSearchTables;
const clock = { now: () => new Date('2025-06-01T00:00:00.000Z') };

describe('case search rebuilt in transactions of several pages', () => {
  let dir: string;
  let store: SqliteEventStore;
  const readStores: ReadStore<Tables>[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'redress-search-rebuild-'));
    store = new SqliteEventStore(join(dir, 'events.db'));
  });

  afterEach(async () => {
    for (const readStore of readStores.splice(0)) await readStore.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function readStoreIn(name: string): Promise<ReadStore<Tables>> {
    const readStore = await openReadStore<Tables>({ dataDir: join(dir, name) });
    readStores.push(readStore);
    await migrateReadStore(readStore, { ...checkpointMigrations, ...caseSearchMigrations });
    return readStore;
  }

  async function index(readStore: ReadStore<Tables>) {
    const docs = await readStore.db.selectFrom(SEARCH_DOCS_TABLE).selectAll().orderBy('case_id').execute();
    const fts = await sql`SELECT rowid, summary, body FROM ${sql.table(SEARCH_FTS_TABLE)} ORDER BY rowid`.execute(readStore.db);
    return { docs, fts: fts.rows };
  }

  it('indexes the same documents, under the same rows, as batches applied one by one, an erasure included', async () => {
    const first = await writeComplaintHistory(store, { cases: 8, idPrefix: 'search-before' });
    await store.appendToStream(customerStreamName(first.customerIds[0]), [
      {
        id: '00000000-0000-4000-8000-000000000001',
        type: 'PersonalDataErased',
        data: { customerId: first.customerIds[0], keyGeneration: 1, at: '2025-05-01T00:00:00.000Z', by: { id: 'dpo', role: 'admin' } },
        metadata: {},
      },
    ]);
    const { head } = await writeComplaintHistory(store, { cases: 8, idPrefix: 'search-after' });

    const live = await readStoreIn('live');
    const batches = new ProjectionRunner(
      store,
      live,
      caseSearchProjection(() => undefined),
      { clock, batchSize: 3, idlePollMs: 60_000 },
    );
    await batches.start();
    expect(await batches.waitForPosition(head, 10_000)).toBe(true);
    await batches.stop();

    const rebuilt = await readStoreIn('rebuilt');
    const counted = countingReads(store);
    const pages = new ProjectionRunner(
      counted.store,
      rebuilt,
      caseSearchProjection(() => undefined),
      { clock, rebuildBatchSize: 5, idlePollMs: 60_000 },
    );
    await ProjectionRunner.rebuildTogether([pages]);
    await pages.stop();
    // Each page read once in the shared pass; the runner's look for more at the head is answered by the store's own
    // appends (this store wrote the whole log), not read.
    expect(counted.reads()).toBe(Math.ceil(head / 5));

    expect((await pages.status()).checkpoint).toBe(head);
    const expected = await index(live);
    expect(expected.fts.length).toBeGreaterThan(0);
    expect(await index(rebuilt)).toEqual(expected);

    // Two cases held at most: the others written and let go at each page's end, read back (with their rows) when met again.
    const boundedStore = await readStoreIn('bounded');
    const options = { clock, rebuildBatchSize: 5, heldDocuments: 2, idlePollMs: 60_000 };
    expect(
      await rebuildCountingReads(
        store,
        boundedStore,
        caseSearchProjection(() => undefined),
        options,
      ),
    ).toBe(Math.ceil(head / 5));
    expect(await index(boundedStore)).toEqual(expected);
  }, 60_000);
});
