/**
 * The read-store contract: what every read-store dialect (SQLite, PostgreSQL) must do for the
 * projections and queries written once against Kysely. Run by read-store.spec.ts on each dialect.
 */
import { Logger } from '@nestjs/common';
import type { Kysely, Migration } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DomainEvent } from '../../src/core/decider';
import type { EventStore, RecordedEvent } from '../../src/core/event-store/event-store.port';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { RequestValidationError } from '../../src/core/http/problem-details';
import { checkpointMigrations, readCheckpoint, writeCheckpoint } from '../../src/core/projections/checkpoints';
import { documentProjection } from '../../src/core/projections/document-projection';
import { Projection, ProjectionEventError } from '../../src/core/projections/projection';
import { ProjectionRunner } from '../../src/core/projections/projection-runner';
import { ReadStore, insertRows, migrateReadStore, narrowTables } from '../../src/core/read-store/read-store';
import { caseViewProjection } from '../../src/complaints/projections/case-view/case-view.projection';
import { CASE_VIEWS_TABLE, type CaseViewTables } from '../../src/complaints/projections/case-view/case-view.table';
import type { QueueTables } from '../../src/complaints/queues/queue-filters';
import { CustomerCasesHandler, CustomerCasesQuery } from '../../src/complaints/queries/customer-cases/customer-cases.query';
import { GetCaseHandler, GetCaseQuery } from '../../src/complaints/queries/get-case/get-case.query';
import type { ListCasesQueryDto } from '../../src/complaints/queries/list-cases/list-cases.dto';
import { CasePage, ListCasesHandler, ListCasesQuery } from '../../src/complaints/queries/list-cases/list-cases.query';
import { toCaseSummary } from '../../src/complaints/queries/shared/case-summary';
import type { CustomerVulnerabilityTables } from '../../src/customers/public';
import { READ_MODELS, type ReadModelTables } from '../../src/read-models';
import { CaseViewRecord, expectedCaseViews, readCaseViews, writeComplaintHistory } from '../support/complaint-history';

/** Read before any deadline fell due, so the views read back exactly as the projection stored them (see caseViewAt). */
const BEFORE_ANY_DEADLINE = { now: () => new Date(0) };

const clock = { now: () => new Date() };

// ── The shared event log ─────────────────────────────────────────────────────

export interface ComplaintLog {
  readonly store: EventStore;
  readonly events: readonly RecordedEvent[];
  readonly head: number;
}

let sharedLog: { dir: string; store: SqliteEventStore; log: Promise<ComplaintLog> } | undefined;

/** One realistic complaint log per test file, so every dialect projects exactly the same events. */
export function sharedComplaintLog(): Promise<ComplaintLog> {
  if (!sharedLog) {
    const dir = mkdtempSync(join(tmpdir(), 'redress-read-contract-'));
    const store = new SqliteEventStore(join(dir, 'events.db'));
    const log = writeComplaintHistory(store, { cases: 30, idPrefix: 'read-contract' }).then(async ({ head }) => ({
      store,
      head,
      events: await store.readAll(),
    }));
    sharedLog = { dir, store, log };
  }
  return sharedLog.log;
}

/** Call from the spec's top-level afterAll. */
export async function disposeSharedComplaintLog(): Promise<void> {
  if (!sharedLog) return;
  const { dir, store } = sharedLog;
  sharedLog = undefined;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

// ── A small document read model, to exercise documentProjection's upsert and delete paths ──

const DOCS_TABLE = 'contract_documents';

interface ContractDoc {
  key: string;
  value: string;
  puts: number;
}

/** The read store the contract runs on: the real read models, the test table, and Kysely's migration history. */
export type ContractTables = ReadModelTables & {
  [DOCS_TABLE]: { id: string; document: string; value: string; puts: number };
  kysely_migration: { name: string; timestamp: string };
};

/** The contract's read store as the case queries see it. */
export function caseViewsOf(store: ReadStore<ContractTables>): ReadStore<CaseViewTables> {
  return {
    dialect: store.dialect,
    db: narrowTables<ContractTables, CaseViewTables>(store.db),
    reports: narrowTables<ContractTables, CaseViewTables>(store.reports),
    close: () => store.close(),
  };
}

/** What a case and a customer's cases read: the case views and the customers flagged vulnerable. */
export function caseReadsOf(store: ReadStore<ContractTables>): ReadStore<CaseViewTables & CustomerVulnerabilityTables> {
  return {
    dialect: store.dialect,
    db: narrowTables<ContractTables, CaseViewTables & CustomerVulnerabilityTables>(store.db),
    reports: narrowTables<ContractTables, CaseViewTables & CustomerVulnerabilityTables>(store.reports),
    close: () => store.close(),
  };
}

/** What the case list reads: the case views and their tags. */
export function queueTablesOf(store: ReadStore<ContractTables>): ReadStore<QueueTables> {
  return {
    dialect: store.dialect,
    db: narrowTables<ContractTables, QueueTables>(store.db),
    reports: narrowTables<ContractTables, QueueTables>(store.reports),
    close: () => store.close(),
  };
}

const contractDocuments = documentProjection({
  name: 'contract-documents',
  table: DOCS_TABLE,
  keyOf: (event) => (event.streamName.startsWith('doc-') ? event.streamName.slice('doc-'.length) : undefined),
  evolve: (doc: ContractDoc | null, event): ContractDoc | null => {
    const data = event.data as { value?: string };
    switch (event.type) {
      case 'Put':
        return { key: event.streamName.slice('doc-'.length), value: data.value!, puts: (doc?.puts ?? 0) + 1 };
      case 'Delete':
        return null;
      default:
        return doc;
    }
  },
  columns: (doc) => ({ value: doc.value, puts: doc.puts }),
});

/** Every table the contract uses: the real read models' migrations plus the test table. */
export const CONTRACT_MIGRATIONS: Record<string, Migration> = {
  ...checkpointMigrations,
  ...READ_MODELS.migrations,
  '0900_contract_documents': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable(DOCS_TABLE)
        .addColumn('id', 'varchar(128)', (column) => column.primaryKey())
        .addColumn('document', 'text', (column) => column.notNull())
        .addColumn('value', 'varchar(64)', (column) => column.notNull())
        .addColumn('puts', 'integer', (column) => column.notNull())
        .execute();
    },
  },
};

function docEvent(position: number, key: string, type: 'Put' | 'Delete' | 'Touch', value?: string): RecordedEvent {
  return {
    id: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
    streamName: `doc-${key}`,
    type,
    data: value === undefined ? {} : { value },
    metadata: {},
    revision: 0,
    position,
    recordedAt: '2025-03-03T09:00:00.000Z',
  };
}

async function documents(db: Kysely<ContractTables>): Promise<Array<{ id: string; document: ContractDoc; value: string; puts: number }>> {
  const rows = await db.selectFrom(DOCS_TABLE).selectAll().execute();
  return rows
    .map((row) => ({ id: row.id, document: JSON.parse(row.document) as ContractDoc, value: row.value, puts: Number(row.puts) }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

// ── List queries, computed in memory from the expected rows ─────────────────

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function expectedList(rows: readonly CaseViewRecord[], filters: ListCasesQueryDto): CaseViewRecord[] {
  const sort = filters.sort ?? '-receivedAt';
  const column = sort.endsWith('updatedAt') ? 'updated_at' : 'received_at';
  const direction = sort.startsWith('-') ? -1 : 1;
  const from = filters.receivedFrom && new Date(filters.receivedFrom).toISOString();
  const to = filters.receivedTo && new Date(filters.receivedTo).toISOString();
  return rows
    .filter(
      (row) =>
        (filters.status === undefined || row['status'] === filters.status) &&
        (filters.customerId === undefined || row['customer_id'] === filters.customerId) &&
        (filters.category === undefined || row['category'] === filters.category) &&
        (filters.assignee === undefined || row['assignee'] === filters.assignee) &&
        (filters.severity === undefined || row['severity'] === filters.severity) &&
        (filters.breached === undefined || row['breached'] === (filters.breached ? 1 : 0)) &&
        (!from || (row['received_at'] as string) >= from) &&
        (!to || (row['received_at'] as string) < to),
    )
    .sort((a, b) => direction * (byteOrder(a[column] as string, b[column] as string) || byteOrder(a.id, b.id)));
}

/** Every page of a listing, following nextCursor to the end. */
export async function listAllPages(handler: ListCasesHandler, filters: ListCasesQueryDto): Promise<CasePage[]> {
  const pages: CasePage[] = [];
  let cursor: string | undefined;
  do {
    const page = await handler.execute(new ListCasesQuery({ ...filters, ...(cursor ? { cursor } : {}) }));
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
    if (pages.length > 100) throw new Error('listing does not terminate');
  } while (cursor);
  return pages;
}

/** The listings compared between the in-memory model and each dialect. */
export const LIST_QUERIES: ReadonlyArray<ListCasesQueryDto> = [
  {},
  { sort: 'receivedAt', limit: 4 },
  { sort: '-receivedAt', limit: 7 },
  { sort: 'updatedAt', limit: 5 },
  { sort: '-updatedAt', limit: 200 },
  { status: 'resolved' },
  { status: 'closed', customerId: 'cust-1' },
  { customerId: 'cust-3', sort: 'receivedAt', limit: 2 },
  { category: 'delivery' },
  { assignee: 'agent-bob' },
  { severity: 'critical' },
  { breached: true },
  { breached: false, limit: 3 },
  { receivedFrom: '2025-03-04', receivedTo: '2025-03-05T12:00:00+02:00', sort: 'receivedAt', limit: 3 },
  { status: 'in-progress', severity: 'low', receivedFrom: '2025-03-03T09:00:00.000Z' },
].map((query) => query as ListCasesQueryDto);

// ── The contract ─────────────────────────────────────────────────────────────

export function readStoreContract(name: string, open: () => Promise<ReadStore<ContractTables>>): void {
  describe(`read store contract: ${name}`, () => {
    const opened: ReadStore<ContractTables>[] = [];
    const fresh = async (): Promise<ReadStore<ContractTables>> => {
      const store = await open();
      opened.push(store);
      return store;
    };
    const migrated = async (): Promise<ReadStore<ContractTables>> => {
      const store = await fresh();
      await migrateReadStore(store, CONTRACT_MIGRATIONS);
      return store;
    };
    const runners: ProjectionRunner<DomainEvent, ContractTables>[] = [];
    const runnerFor = (
      readStore: ReadStore<ContractTables>,
      log: ComplaintLog,
      projection: Projection<DomainEvent, ContractTables> = caseViewProjection,
      batchSize = 7,
    ) => {
      // Batches of exactly `batchSize` whatever the machine's speed: these tests reason about where a batch ends.
      const runner = new ProjectionRunner(log.store, readStore, projection, {
        clock,
        batchSize,
        batchMs: Number.POSITIVE_INFINITY,
        idlePollMs: 60_000,
      });
      runners.push(runner);
      return runner;
    };

    beforeAll(() => Logger.overrideLogger(false));
    afterEach(async () => {
      // Even when a test failed midway: no runner may outlive its store.
      for (const runner of runners.splice(0)) await runner.stop();
      for (const store of opened.splice(0)) await store.close();
    });

    it('writes rows as given with insertRows, in as many statements as they take, each ending with its conflict clause', async () => {
      const store = await migrated();
      const awkward = ['', 'NULL', 'null', '{a,b}', '"quoted"', "it's", 'back\\slash', 'line\nbreak', 'ünïcødé 😀', ' padded '];
      const rows = Array.from({ length: 3001 }, (_, n) => [
        `doc-${String(n).padStart(4, '0')}`,
        `{"n":${n}}`,
        awkward[n % awkward.length],
        n,
      ]);
      const columns = { id: 'text', document: 'text', value: 'text', puts: 'integer' };
      await insertRows(store.db, DOCS_TABLE, columns, rows);
      await insertRows(
        store.db,
        DOCS_TABLE,
        columns,
        [rows[7].map((value, column) => (column === 2 ? 'replaced' : value))],
        'on conflict ("id") do update set "value" = excluded."value"',
      );
      await insertRows(store.db, DOCS_TABLE, columns, [], 'on conflict ("id") do nothing');

      const stored = await store.db.selectFrom(DOCS_TABLE).selectAll().orderBy('id').execute();
      expect(stored.map((row) => [row.id, row.document, row.value, Number(row.puts)])).toEqual(
        rows.map((row, n) => (n === 7 ? [row[0], row[1], 'replaced', row[3]] : row)),
      );
      await insertRows(
        store.db,
        'attachment_references',
        { case_id: 'text', attachment_id: 'text', sha256: 'text', customer_id: 'text', key_generation: 'integer' },
        [['case-1', 'a-1', 'f'.repeat(64), null, null]],
      );
      expect(await store.db.selectFrom('attachment_references').select(['customer_id', 'key_generation']).execute()).toEqual([
        { customer_id: null, key_generation: null },
      ]);
    });

    it('applies the migrations, and applying them again is a no-op', async () => {
      const store = await migrated();
      await writeCheckpoint(store.db, {
        name: 'probe',
        position: 3,
        failed_position: null,
        error: null,
        updated_at: '2025-03-03T09:00:00.000Z',
      });
      await store.db.insertInto(DOCS_TABLE).values({ id: 'kept', document: '{}', value: 'v', puts: 1 }).execute();

      await migrateReadStore(store, CONTRACT_MIGRATIONS);

      const applied = await store.db.selectFrom('kysely_migration').select('name').execute();
      expect(applied.map((row) => row.name).sort()).toEqual(Object.keys(CONTRACT_MIGRATIONS).sort());
      expect(await readCheckpoint(store.db, 'probe')).toMatchObject({ position: 3 });
      expect(await store.db.selectFrom(DOCS_TABLE).select('id').execute()).toEqual([{ id: 'kept' }]);
      expect(await store.db.selectFrom(CASE_VIEWS_TABLE).selectAll().execute()).toEqual([]);
    });

    it('projects the complaint log into exactly the case views the events imply, checkpoint at the head', async () => {
      const log = await sharedComplaintLog();
      const store = await migrated();
      const runner = runnerFor(store, log);
      await runner.start();
      expect(await runner.waitForPosition(log.head, 20_000)).toBe(true);
      await runner.stop();

      const rows = await readCaseViews(store.db);
      expect(rows).toHaveLength(30);
      expect(rows).toEqual(expectedCaseViews(log.events));
      expect(await readCheckpoint(store.db, caseViewProjection.name)).toMatchObject({
        position: log.head,
        failed_position: null,
        error: null,
      });
    });

    describe('a batch and its checkpoint commit together', () => {
      /** Writes the batch's events before `poison`, then throws: the writes must not survive. */
      const failingAt = (poison: RecordedEvent, error: () => Error): Projection<DomainEvent, CaseViewTables> => ({
        name: caseViewProjection.name,
        reset: (trx) => caseViewProjection.reset(trx),
        async apply(trx, events) {
          if (!events.some((event) => event.position === poison.position)) return caseViewProjection.apply(trx, events);
          await caseViewProjection.apply(
            trx,
            events.filter((event) => event.position < poison.position),
          );
          throw error();
        },
      });

      it('rolls back the rows and the checkpoint when an event cannot be projected mid-batch', async () => {
        const log = await sharedComplaintLog();
        const store = await migrated();
        const poison = log.events[24]; // batches of 10: the fourth one (positions 21-30) fails after writing 21-24
        const runner = runnerFor(
          store,
          log,
          failingAt(poison, () => new ProjectionEventError(poison, new Error('cannot project'))),
          10,
        );
        await runner.start();
        expect(await runner.waitForPosition(log.head, 20_000)).toBe(false);

        const checkpoint = log.events[19].position;
        expect(await runner.status()).toMatchObject({ state: 'failed', checkpoint, failure: { position: poison.position } });
        expect(await readCheckpoint(store.db, caseViewProjection.name)).toMatchObject({
          position: checkpoint,
          failed_position: poison.position,
        });
        expect(await readCaseViews(store.db)).toEqual(expectedCaseViews(log.events, checkpoint));
      });

      it('rolls back a batch that hit an infrastructure error, then retries it and applies it once', async () => {
        const log = await sharedComplaintLog();
        const store = await migrated();
        const poison = log.events[24];
        let failures = 0;
        const flaky: Projection<DomainEvent, CaseViewTables> = {
          name: caseViewProjection.name,
          reset: (trx) => caseViewProjection.reset(trx),
          async apply(trx, events) {
            if (failures > 0 || !events.some((event) => event.position === poison.position)) return caseViewProjection.apply(trx, events);
            await caseViewProjection.apply(
              trx,
              events.filter((event) => event.position < poison.position),
            );
            failures += 1;
            throw new Error('connection reset');
          },
        };
        const runner = runnerFor(store, log, flaky, 10);
        await runner.start();
        expect(await runner.waitForPosition(log.head, 20_000)).toBe(true);
        await runner.stop();
        expect(failures).toBe(1);
        // Events 21-24 were applied twice, the first time rolled back: a double apply would show in contacts, offers, revisions.
        expect(await readCaseViews(store.db)).toEqual(expectedCaseViews(log.events));
        expect(await readCheckpoint(store.db, caseViewProjection.name)).toMatchObject({
          position: log.head,
          failed_position: null,
          error: null,
        });
      });

      it('keeps nothing of a transaction that wrote rows and a checkpoint, then threw', async () => {
        const store = await migrated();
        await expect(
          store.db.transaction().execute(async (trx) => {
            await trx.insertInto(DOCS_TABLE).values({ id: 'ghost', document: '{}', value: 'v', puts: 1 }).execute();
            await writeCheckpoint(trx, {
              name: 'ghost',
              position: 7,
              failed_position: null,
              error: null,
              updated_at: '2025-03-03T09:00:00.000Z',
            });
            throw new Error('crash before commit');
          }),
        ).rejects.toThrow('crash before commit');
        expect(await store.db.selectFrom(DOCS_TABLE).selectAll().execute()).toEqual([]);
        expect(await readCheckpoint(store.db, 'ghost')).toBeUndefined();
      });
    });

    it('upserts, deletes and re-creates documents through documentProjection', async () => {
      const store = await migrated();
      const apply = (events: RecordedEvent[]) => store.db.transaction().execute((trx) => contractDocuments.apply(trx, events));

      await apply([docEvent(1, 'a', 'Put', 'a1'), docEvent(2, 'b', 'Put', 'b1'), docEvent(3, 'a', 'Put', 'a2')]);
      expect(await documents(store.db)).toEqual([
        { id: 'a', document: { key: 'a', value: 'a2', puts: 2 }, value: 'a2', puts: 2 },
        { id: 'b', document: { key: 'b', value: 'b1', puts: 1 }, value: 'b1', puts: 1 },
      ]);

      // Delete a stored document; create and delete one within the batch; an ignored event on a missing document.
      await apply([
        docEvent(4, 'b', 'Delete'),
        docEvent(5, 'c', 'Put', 'c1'),
        docEvent(6, 'c', 'Delete'),
        docEvent(7, 'd', 'Touch'),
        docEvent(8, 'a', 'Touch'),
      ]);
      expect(await documents(store.db)).toEqual([{ id: 'a', document: { key: 'a', value: 'a2', puts: 2 }, value: 'a2', puts: 2 }]);

      // Re-create a deleted document; delete and re-create one within the batch (it starts over).
      await apply([docEvent(9, 'b', 'Put', 'b2'), docEvent(10, 'a', 'Delete'), docEvent(11, 'a', 'Put', 'a3')]);
      expect(await documents(store.db)).toEqual([
        { id: 'a', document: { key: 'a', value: 'a3', puts: 1 }, value: 'a3', puts: 1 },
        { id: 'b', document: { key: 'b', value: 'b2', puts: 1 }, value: 'b2', puts: 1 },
      ]);

      await store.db.transaction().execute((trx) => contractDocuments.reset(trx));
      expect(await documents(store.db)).toEqual([]);
    });

    it('returns bigint positions as JavaScript numbers', async () => {
      const log = await sharedComplaintLog();
      const store = await migrated();
      const big = Number.MAX_SAFE_INTEGER;
      await writeCheckpoint(store.db, {
        name: caseViewProjection.name,
        position: big - 1,
        failed_position: big,
        error: 'x',
        updated_at: '2025-03-03T09:00:00.000Z',
      });
      const checkpoint = await readCheckpoint(store.db, caseViewProjection.name);
      expect(checkpoint).toMatchObject({ position: big - 1, failed_position: big });
      expect(typeof checkpoint!.position).toBe('number');
      expect(typeof checkpoint!.failed_position).toBe('number');

      const runner = runnerFor(store, log);
      await runner.start();
      const status = await runner.status();
      await runner.stop();
      expect(status.checkpoint).toBe(big - 1);
      expect(status.lag.events).toBe(0);
    });

    describe('case queries', () => {
      let store: ReadStore<ContractTables>;
      let expected: CaseViewRecord[];
      beforeAll(async () => {
        const log = await sharedComplaintLog();
        store = await open();
        await migrateReadStore(store, CONTRACT_MIGRATIONS);
        const runner = runnerFor(store, log, caseViewProjection, 50);
        await runner.start();
        if (!(await runner.waitForPosition(log.head, 20_000))) throw new Error('the case views did not catch up');
        await runner.stop();
        expected = expectedCaseViews(log.events);
      });
      afterAll(() => store?.close());

      it.each(LIST_QUERIES.map((query) => [JSON.stringify(query), query] as const))(
        'lists cases for %s, page by page',
        async (_, query) => {
          const handler = new ListCasesHandler(queueTablesOf(store), BEFORE_ANY_DEADLINE);
          const pages = await listAllPages(handler, query);
          const limit = query.limit ?? 50;
          const want = expectedList(expected, query);
          expect(pages.flatMap((page) => page.items)).toEqual(want.map((row) => toCaseSummary(row.document)));
          expect(pages.map((page) => page.items.length)).toEqual(
            want.length === 0
              ? [0]
              : Array.from({ length: Math.ceil(want.length / limit) }, (_, i) => Math.min(limit, want.length - i * limit)),
          );
          expect(pages[pages.length - 1].nextCursor).toBeNull();
        },
      );

      it('has listings that are not trivially empty', () => {
        const sizes = LIST_QUERIES.map((query) => expectedList(expected, query).length);
        expect(sizes.filter((size) => size > 0).length).toBeGreaterThanOrEqual(LIST_QUERIES.length - 1);
        // Pairs of cases received at the same instant: the id tie-break is exercised.
        expect(new Set(expected.map((row) => row['received_at'])).size).toBeLessThan(expected.length);
      });

      it('refuses a cursor that is not one, or was made for another sort', async () => {
        const handler = new ListCasesHandler(queueTablesOf(store), BEFORE_ANY_DEADLINE);
        const first = await handler.execute(new ListCasesQuery({ sort: 'receivedAt', limit: 2 }));
        await expect(handler.execute(new ListCasesQuery({ sort: '-receivedAt', cursor: first.nextCursor! }))).rejects.toBeInstanceOf(
          RequestValidationError,
        );
        await expect(handler.execute(new ListCasesQuery({ cursor: 'not-a-cursor' }))).rejects.toBeInstanceOf(RequestValidationError);
      });

      it("gets a case and a customer's cases", async () => {
        for (const row of expected.slice(0, 9)) {
          expect(await new GetCaseHandler(caseReadsOf(store), BEFORE_ANY_DEADLINE).execute(new GetCaseQuery(row.id))).toEqual(row.document);
        }
        const customer = 'cust-2';
        const theirs = expected
          .filter((row) => row['customer_id'] === customer)
          .sort((a, b) => byteOrder(a['received_at'] as string, b['received_at'] as string) || byteOrder(a.id, b.id));
        const answer = await new CustomerCasesHandler(caseReadsOf(store), BEFORE_ANY_DEADLINE).execute(new CustomerCasesQuery(customer));
        expect(answer.cases).toEqual(theirs.map((row) => toCaseSummary(row.document)));
        expect(answer.totals.cases).toBe(theirs.length);
      });
    });
  });
}
