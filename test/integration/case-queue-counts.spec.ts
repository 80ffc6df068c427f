/**
 * GET /queues/summary reads counters the case-view projection keeps as it writes (case-view.queue-counts.ts) instead
 * of counting every case. These tests hold the counters to what a count over every case view gives — at instants on
 * every deadline's edge, for the whole desk and each team, on SQLite and PostgreSQL — whatever the batches, after a
 * rebuild, and on a store migrated onto them with cases already in it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { CASE_VIEWS_TABLE, caseViewMigrations, caseViewProjection } from '../../src/complaints/projections/case-view/case-view.projection';
import { QUEUE_COUNTS_TABLE, caseQueueTallies } from '../../src/complaints/projections/case-view/case-view.queue-counts';
import { QueueSummaryHandler, QueueSummaryQuery } from '../../src/complaints/queries/queue-summary/queue-summary.query';
import type { QueueTables } from '../../src/complaints/queues/queue-filters';
import { loadConfig } from '../../src/config/app-config';
import type { Clock } from '../../src/core/clock';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { type CheckpointTables, checkpointMigrations } from '../../src/core/projections/checkpoints';
import { documentProjection } from '../../src/core/projections/document-projection';
import { ProjectionRunner } from '../../src/core/projections/projection-runner';
import { tallyChanges } from '../../src/core/projections/row-tallies';
import { type ReadStore, migrateReadStore, openReadStore } from '../../src/core/read-store/read-store';
import { writeComplaintHistory } from '../support/complaint-history';
import { rebuildCountingReads } from '../support/counting-reads';
import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';

const clock: Clock = { now: () => new Date() };
/** Memory where there is some: these stores fsync every batch, and only the rows matter here. */
const SCRATCH = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const MIGRATIONS = { ...checkpointMigrations, ...caseViewMigrations };
const config = loadConfig({ DATA_DIR: SCRATCH, AUTH_SECRET: 'queue-counts-'.repeat(4) });

type Store = ReadStore<QueueTables & CheckpointTables>;

async function project(
  readStore: Store,
  store: SqliteEventStore,
  head: number,
  batchSize: number,
  projection = caseViewProjection,
): Promise<void> {
  const runner = new ProjectionRunner(store, readStore, projection, { clock, batchSize, idlePollMs: 60_000 });
  await runner.start();
  expect(await runner.waitForPosition(head, 20_000)).toBe(true);
  await runner.stop();
}

/** The counters as stored, zero-free and in a stable order, counts as numbers (PostgreSQL sums and bigints come as text). */
async function counters(readStore: Store): Promise<string[]> {
  const rows = await readStore.db.selectFrom(QUEUE_COUNTS_TABLE).selectAll().execute();
  return rows.map((row) => `${row.scope}|${row.tally}|${Number(row.counted)}`).sort();
}

/** The counters a count of every stored case view gives, through the same membership as the projection. */
async function recounted(readStore: Store): Promise<string[]> {
  const rows = await readStore.db.selectFrom(CASE_VIEWS_TABLE).selectAll().execute();
  return [...tallyChanges(caseQueueTallies, [], rows).values()].map((row) => `${row.scope}|${row.tally}|${row.counted}`).sort();
}

/** The summary's counts as a count over every case view would give them, written out here as plain SQL. */
async function scanned(readStore: Store, now: Date, team: string | undefined) {
  const at = now.toISOString();
  const { rows } = await sql<Record<string, number | string | null>>`
    SELECT SUM(CASE WHEN status = 'received' THEN 1 ELSE 0 END) AS new,
           SUM(CASE WHEN assignee IS NULL AND status NOT IN ('closed', 'withdrawn') THEN 1 ELSE 0 END) AS unassigned,
           SUM(CASE WHEN due_at < ${at} THEN 1 ELSE 0 END) AS overdue,
           SUM(CASE WHEN awaiting_customer = 1 THEN 1 ELSE 0 END) AS awaiting_customer,
           SUM(CASE WHEN awaiting_approval = 1 THEN 1 ELSE 0 END) AS awaiting_approval
    FROM case_views WHERE ${team === undefined ? sql`TRUE` : sql`team = ${team}`}`.execute(readStore.db);
  const row = rows[0];
  return {
    new: Number(row['new'] ?? 0),
    unassigned: Number(row['unassigned'] ?? 0),
    overdue: Number(row['overdue'] ?? 0),
    awaitingCustomer: Number(row['awaiting_customer'] ?? 0),
    awaitingApproval: Number(row['awaiting_approval'] ?? 0),
  };
}

/** Every instant where a count may change: each open deadline, the millisecond after it, and the start of its UTC day. */
async function edges(readStore: Store): Promise<Date[]> {
  const rows = await readStore.db.selectFrom(CASE_VIEWS_TABLE).select('due_at').distinct().where('due_at', 'is not', null).execute();
  const dueAts = rows.map((row) => Date.parse(row.due_at!));
  const instants = dueAts.flatMap((due) => [due, due + 1, Date.parse(new Date(due).toISOString().slice(0, 10))]);
  return [...new Set([Date.parse('2020-01-01T00:00:00.000Z'), ...instants, Date.parse('2030-01-01T00:00:00.000Z')])].map(
    (ms) => new Date(ms),
  );
}

/** The summary against the plain count, at every edge, for the whole desk and each team (and a team with no case). */
async function expectSummariesToMatchScans(readStore: Store): Promise<number> {
  const teams = (await readStore.db.selectFrom(CASE_VIEWS_TABLE).select('team').distinct().where('team', 'is not', null).execute()).map(
    (row) => row.team!,
  );
  const instants = await edges(readStore);
  let compared = 0;
  for (const now of instants) {
    const handler = new QueueSummaryHandler(readStore as unknown as ReadStore<QueueTables>, { now: () => now }, config);
    for (const team of [undefined, ...teams, 'no-such-team']) {
      const { counts } = await handler.execute(new QueueSummaryQuery(team));
      const { dueToday: _judgedByTheSameFilterAsBefore, ...counted } = counts;
      expect({ at: now.toISOString(), team, counts: counted }).toEqual({
        at: now.toISOString(),
        team,
        counts: await scanned(readStore, now, team),
      });
      compared++;
    }
  }
  return compared;
}

describe("the desk queues' counters", () => {
  let dir: string;
  let store: SqliteEventStore;
  let head: number;
  const stores: Store[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(SCRATCH, 'redress-queue-counts-'));
    store = new SqliteEventStore(join(dir, 'events.db'));
    ({ head } = await writeComplaintHistory(store, { cases: 36, idPrefix: 'queues' }));
  }, 60_000);

  afterAll(async () => {
    for (const readStore of stores.splice(0)) await readStore.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sqlite = async (migrations = MIGRATIONS) => {
    const readStore = await openReadStore<QueueTables & CheckpointTables>({ dataDir: mkdtempSync(join(dir, 'read-')) });
    stores.push(readStore);
    await migrateReadStore(readStore, migrations);
    return readStore;
  };

  it('answers the summary as a count over every case would, at every deadline edge, for the desk and each team', async () => {
    const readStore = await sqlite();
    await project(readStore, store, head, 500);
    expect(await counters(readStore)).toEqual(await recounted(readStore));
    // Enough to mean something: teams, deadlines on many days and the state queues are among the cases (a goodwill offer
    // awaiting approval is not: the desk's e2e tests count one).
    const tallies = (await counters(readStore)).join('\n');
    for (const queue of ['|new|', '|unassigned|', '|awaiting-customer|', '\n|due:', 'social-leads|due:']) expect(tallies).toContain(queue);
    expect(await expectSummariesToMatchScans(readStore)).toBeGreaterThan(100);
  }, 60_000);

  it('keeps the same counters whatever the batches, through a rebuild, and counts a store migrated with cases already in it', async () => {
    const whole = await sqlite();
    await project(whole, store, head, 500);
    const expected = await counters(whole);

    const small = await sqlite();
    await project(small, store, head, 3);
    expect(await counters(small)).toEqual(expected);

    const runner = new ProjectionRunner(store, small, caseViewProjection, { clock, rebuildBatchSize: 7, idlePollMs: 60_000 });
    await ProjectionRunner.rebuildTogether([runner]);
    await runner.stop();
    expect(await counters(small)).toEqual(expected);
    // Cases let go past two held and read back, all in the shared pass: each write moves the counters from the row as the
    // last one left it.
    const options = { clock, rebuildBatchSize: 7, heldDocuments: 2, idlePollMs: 60_000 };
    expect(await rebuildCountingReads(store, small, caseViewProjection, options)).toBe(Math.ceil(head / 7));
    expect(await counters(small)).toEqual(expected);

    const { '0710_case_queue_counts': counting, ...before } = MIGRATIONS;
    const upgraded = await sqlite(before);
    // As the case views were projected before the counters.
    await project(upgraded, store, head, 500, documentProjection({ ...caseViewProjection.definition, tallies: undefined }));
    await migrateReadStore(upgraded, { ...before, '0710_case_queue_counts': counting });
    expect(await counters(upgraded)).toEqual(expected);
  }, 60_000);

  describeWithPostgres('on PostgreSQL', () => {
    const schema = useTemporarySchemas();

    it('keeps the same counters as SQLite and answers the summary as a count over every case would', async () => {
      const lite = await sqlite();
      await project(lite, store, head, 500);
      const postgres = await openReadStore<QueueTables & CheckpointTables>({ url: postgresUrl(), schema: schema(), dataDir: dir });
      stores.push(postgres);
      await migrateReadStore(postgres, MIGRATIONS);
      await project(postgres, store, head, 13);
      expect(await counters(postgres)).toEqual(await counters(lite));
      expect(await expectSummariesToMatchScans(postgres)).toBeGreaterThan(100);
    }, 60_000);
  });
});
