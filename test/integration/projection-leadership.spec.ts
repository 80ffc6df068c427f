import { Logger } from '@nestjs/common';
import { Kysely, Migration, sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/core/clock';
import type { DomainEvent } from '../../src/core/decider';
import type { RecordedEvent } from '../../src/core/event-store/event-store.port';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { type CheckpointTables, checkpointMigrations } from '../../src/core/projections/checkpoints';
import type { Projection } from '../../src/core/projections/projection';
import { PostgresAdvisoryLeadership, ProjectionLeadership } from '../../src/core/projections/projection-leadership';
import { LiveCatchUp } from '../../src/core/projections/live-catch-up';
import { ProjectionRunner } from '../../src/core/projections/projection-runner';
import { BigintColumn, Queryable, ReadStore, migrateReadStore, narrowTables, openReadStore } from '../../src/core/read-store/read-store';
import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';

/**
 * Several API instances on one PostgreSQL read store: each projection is run by exactly one of
 * them, the holder of its advisory lock; the others follow its checkpoint and take over when it
 * stops. Two runners (two "instances", each with its own connection pool) on one database.
 */

const clock: Clock = { now: () => new Date() };
const PROJECTION = 'applications';
const APPLIED_TABLE = 'applied_events';

/** The test projection's one table. */
interface AppliedTables {
  [APPLIED_TABLE]: { position: BigintColumn; instance: string };
}

/** The tables `migrations` create. */
type LeadershipTables = CheckpointTables & AppliedTables;

/** Records which instance applied each event; the primary key makes applying one twice fail loudly. */
function recordingProjection(instance: string): Projection<DomainEvent, AppliedTables> {
  return {
    name: PROJECTION,
    async apply<DB extends AppliedTables>(trx: Queryable<DB>, events: readonly RecordedEvent[]) {
      const db = narrowTables<DB, AppliedTables>(trx);
      for (const event of events) await db.insertInto(APPLIED_TABLE).values({ position: event.position, instance }).execute();
    },
    async reset<DB extends AppliedTables>(trx: Queryable<DB>) {
      await narrowTables<DB, AppliedTables>(trx).deleteFrom(APPLIED_TABLE).execute();
    },
  };
}

const migrations: Record<string, Migration> = {
  ...checkpointMigrations,
  '0100_applied_events': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable(APPLIED_TABLE)
        .addColumn('position', 'bigint', (column) => column.primaryKey())
        .addColumn('instance', 'varchar(20)', (column) => column.notNull())
        .execute();
    },
  },
};

async function applied(db: Kysely<any>): Promise<Array<{ position: number; instance: string }>> {
  const rows = await db.selectFrom(APPLIED_TABLE).selectAll().orderBy('position').execute();
  return rows.map((row) => ({ position: Number(row.position), instance: row.instance as string }));
}

async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A leadership that always leads: two of them model a deposed leader that has not noticed yet. */
const alwaysLeader = (): ProjectionLeadership => ({
  isLeader: true,
  retryMs: 50,
  tryAcquire: async () => true,
  release: async () => undefined,
});

describeWithPostgres('projection leadership on one PostgreSQL read store', () => {
  const temporarySchema = useTemporarySchemas();
  const cleanups: Array<() => Promise<void>> = [];
  let store: SqliteEventStore;
  let ids = 0;

  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['error', 'warn']));
  beforeEach(() => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-leadership-'));
    store = new SqliteEventStore(join(dir, 'events.db'));
    cleanups.push(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function instance(
    schema: string,
    name: string,
    leadership: ProjectionLeadership,
    carried: boolean,
  ): Promise<{ runner: ProjectionRunner<DomainEvent, LeadershipTables>; readStore: ReadStore<LeadershipTables> }> {
    const readStore = await openReadStore<LeadershipTables>({ url: postgresUrl(), schema, dataDir: tmpdir() });
    await migrateReadStore(readStore, migrations);
    // Carried: the instance's live projections are applied together, as ProjectionsModule wires them.
    const liveCatchUp = carried ? new LiveCatchUp(store, readStore, { batchSize: 3, idlePollMs: 50 }) : undefined;
    const runner = new ProjectionRunner(store, readStore, recordingProjection(name), {
      clock,
      batchSize: 3,
      idlePollMs: 50,
      leadership,
      liveCatchUp,
    });
    cleanups.push(async () => {
      await runner.stop();
      await readStore.close();
    });
    return { runner, readStore };
  }

  const leadershipOf = (schema: string) =>
    new PostgresAdvisoryLeadership({ url: postgresUrl(), schema, projection: PROJECTION, retryMs: 50 });

  async function append(count: number): Promise<number> {
    let position = 0;
    for (let n = 0; n < count; n++) {
      ({ position } = await store.appendToStream(`complaint-leadership-${n % 3}`, [
        {
          id: `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
          type: 'Something',
          data: { n },
          metadata: {},
        },
      ]));
    }
    return position;
  }

  describe.each([false, true])('carried by a live catch-up loop: %s', (carried) => {
    it('lets exactly one of two instances apply events; the other follows its checkpoint, then takes over when it stops', async () => {
      const schema = temporarySchema();
      const a = await instance(schema, 'a', leadershipOf(schema), carried);
      const b = await instance(schema, 'b', leadershipOf(schema), carried);
      await Promise.all([a.runner.start(), b.runner.start()]);

      const firstHead = await append(10);
      // Both answer reads that wait for the position: the leader by applying, the standby by following.
      expect(await a.runner.waitForPosition(firstHead, 10_000)).toBe(true);
      expect(await b.runner.waitForPosition(firstHead, 10_000)).toBe(true);
      const firstRows = await applied(a.readStore.db);
      expect(firstRows.map((row) => row.position)).toEqual((await store.readAll()).map((event) => event.position));
      const leaderName = firstRows[0].instance;
      expect(new Set(firstRows.map((row) => row.instance))).toEqual(new Set([leaderName]));
      const [leader, standby] = leaderName === 'a' ? [a, b] : [b, a];
      expect(await leader.runner.status()).toMatchObject({ role: 'leader', checkpoint: firstHead, state: 'running' });
      expect(await standby.runner.status()).toMatchObject({ role: 'standby', checkpoint: firstHead, state: 'running' });

      await leader.runner.stop();
      const secondHead = await append(7);
      expect(await standby.runner.waitForPosition(secondHead, 10_000)).toBe(true);
      await eventually(async () => (await standby.runner.status()).role === 'leader', 'the standby leads');
      const rows = await applied(standby.readStore.db);
      expect(rows.map((row) => row.position)).toEqual((await store.readAll()).map((event) => event.position));
      expect(rows.filter((row) => row.position > firstHead).every((row) => row.instance !== leaderName)).toBe(true);
    });

    it('takes over from a leader whose database session died, without a graceful hand-over', async () => {
      const schema = temporarySchema();
      const leadership = leadershipOf(schema);
      const a = await instance(schema, 'a', leadership, carried);
      await a.runner.start();
      const head = await append(4);
      expect(await a.runner.waitForPosition(head, 10_000)).toBe(true);
      expect((await a.runner.status()).role).toBe('leader');

      const b = await instance(schema, 'b', leadershipOf(schema), carried);
      await b.runner.start();
      expect((await b.runner.status()).role).toBe('standby');
      // The leader's lock session is killed, as a crash or a network partition does; A stays cut off
      // (a crashed process does not come back to compete for the lock).
      leadership.tryAcquire = async () => false;
      const lockConnection = (leadership as unknown as { client: { processID: number } }).client;
      await sql`SELECT pg_terminate_backend(${lockConnection.processID})`.execute(a.readStore.db);

      await eventually(async () => (await a.runner.status()).role === 'standby', 'A notices it lost the lead');
      await eventually(async () => (await b.runner.status()).role === 'leader', 'the standby leads');
      const more = await append(5);
      expect(await b.runner.waitForPosition(more, 10_000)).toBe(true);
      const rows = await applied(b.readStore.db);
      expect(rows.map((row) => row.position)).toEqual((await store.readAll()).map((event) => event.position));
    });

    it('never applies an event twice, even with two runners that both believe they lead (the checkpoint fences them)', async () => {
      const schema = temporarySchema();
      const a = await instance(schema, 'a', alwaysLeader(), carried);
      const b = await instance(schema, 'b', alwaysLeader(), carried);
      await append(30);
      await Promise.all([a.runner.start(), b.runner.start()]);
      const head = await append(30);
      expect(await a.runner.waitForPosition(head, 10_000)).toBe(true);
      expect(await b.runner.waitForPosition(head, 10_000)).toBe(true);
      const rows = await applied(a.readStore.db);
      expect(rows.map((row) => row.position)).toEqual((await store.readAll()).map((event) => event.position));
      expect((await a.runner.status()).state).toBe('running');
      expect((await b.runner.status()).state).toBe('running');
    });
  });
});
