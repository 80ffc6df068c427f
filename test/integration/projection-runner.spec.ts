import { Logger } from '@nestjs/common';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Clock } from '../../src/core/clock';
import type { DomainEvent } from '../../src/core/decider';
import type { EventStore, RecordedEvent } from '../../src/core/event-store/event-store.port';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { UpcastingEventStore } from '../../src/core/event-store/upcasting-event-store';
import { type CheckpointTables, checkpointMigrations, readCheckpoint } from '../../src/core/projections/checkpoints';
import { documentProjection } from '../../src/core/projections/document-projection';
import { LiveCatchUp } from '../../src/core/projections/live-catch-up';
import { ProcessLock } from '../../src/core/projections/process-lock';
import type { Projection } from '../../src/core/projections/projection';
import { PostgresAdvisoryLeadership } from '../../src/core/projections/projection-leadership';
import { ProjectionRunner, ProjectionRunnerOptions } from '../../src/core/projections/projection-runner';
import { ReadStore, migrateReadStore, openReadStore } from '../../src/core/read-store/read-store';
import { complaintStreamName } from '../../src/complaints/domain/complaint.decider';
import type { CaseView } from '../../src/complaints/projections/case-view/case-view';
import { evolveCaseView } from '../../src/complaints/projections/case-view/case-view.evolve';
import { CASE_VIEWS_TABLE, caseViewMigrations, caseViewProjection } from '../../src/complaints/projections/case-view/case-view.projection';
import type { CaseViewRow, CaseViewTables } from '../../src/complaints/projections/case-view/case-view.table';
import { EVENT_UPCASTERS } from '../../src/event-schemas';
import { expectedCaseViews, readCaseViews, writeComplaintHistory } from '../support/complaint-history';
import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';

/** The harness's read store: what checkpointMigrations and caseViewMigrations create. */
type RunnerTables = CheckpointTables & CaseViewTables;
/** The projections these tests run: case views, or variants of it. */
type CaseViewsProjection = Projection<DomainEvent, CaseViewTables>;

const REPO = resolve(__dirname, '../..');
const systemClock: Clock = { now: () => new Date() };
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
let eventIds = 0;
const newEventId = () => `00000000-0000-4000-8000-${String(++eventIds).padStart(12, '0')}`;

interface Harness {
  readonly dir: string;
  readonly store: SqliteEventStore;
  readonly readStore: ReadStore<RunnerTables>;
  runner(
    projection?: CaseViewsProjection,
    options?: Partial<ProjectionRunnerOptions<DomainEvent, RunnerTables>>,
    eventStore?: EventStore,
  ): ProjectionRunner<DomainEvent, RunnerTables>;
  events(): Promise<RecordedEvent[]>;
  /** An event no read model knows, to pad the log to a batch boundary. */
  appendFiller(count: number): Promise<number>;
}

const cleanups: Array<() => Promise<void> | void> = [];

/** Batches of exactly the size asked for, however fast the machine: these tests reason about where batches end. */
const EXACT_BATCHES = { batchMs: Number.POSITIVE_INFINITY };

async function harness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'redress-runner-'));
  const store = new SqliteEventStore(join(dir, 'events.db'));
  const readStore = await openReadStore<RunnerTables>({ dataDir: dir });
  await migrateReadStore(readStore, { ...checkpointMigrations, ...caseViewMigrations });
  const runners: ProjectionRunner<DomainEvent, RunnerTables>[] = [];
  cleanups.push(async () => {
    for (const runner of runners) await runner.stop();
    await readStore.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    store,
    readStore,
    runner(projection = caseViewProjection, options = {}, eventStore = store) {
      const runner = new ProjectionRunner(eventStore, readStore, projection, {
        clock: systemClock,
        batchSize: 5,
        ...EXACT_BATCHES,
        idlePollMs: 60_000,
        ...options,
      });
      runners.push(runner);
      return runner;
    },
    events: () => store.readAll(),
    async appendFiller(count) {
      let position = 0;
      for (let i = 0; i < count; i++) {
        ({ position } = await store.appendToStream('audit-filler', [{ id: newEventId(), type: 'Filler', data: {}, metadata: {} }]));
      }
      return position;
    },
  };
}

/** A case-view projection whose evolve rejects one event type until `fixed` is set (as a deploy of a fix would). */
function fixableCaseViews() {
  const control = { fixed: false };
  const projection: typeof caseViewProjection = documentProjection({
    ...caseViewProjection.definition,
    evolve: (doc, event) => (event.type === 'ComplaintTeleported' && control.fixed ? doc : evolveCaseView(doc, event)),
  });
  const fixedEvolve = (doc: CaseView | null, event: RecordedEvent) =>
    event.type === 'ComplaintTeleported' ? doc : evolveCaseView(doc, event);
  return { control, projection, fixedEvolve };
}

/** A receipt copied from the log's first, without `field`, in a case stream of its own: data no command would have written. */
async function appendIncompleteReceipt(h: Harness, field: 'customerId' | 'summary', caseId: string): Promise<number> {
  const receipt = (await h.events()).find((event) => event.type === 'ComplaintReceived')!;
  const { [field]: _left, ...data } = receipt.data as Record<string, unknown>;
  const appended = await h.store.appendToStream(complaintStreamName(caseId), [
    { id: newEventId(), type: 'ComplaintReceived', data: { ...data, caseId }, metadata: {} },
  ]);
  return appended.position;
}

/** Cases, then the incomplete receipt in the middle of a batch of 5 (two events of the batch before it), then more cases. */
async function logWithIncompleteReceipt(h: Harness, field: 'customerId' | 'summary') {
  const { head: before } = await writeComplaintHistory(h.store, { cases: 4, idPrefix: `before-${field}` });
  const padding = (3 - ((before + 1) % 5) + 5) % 5;
  if (padding > 0) await h.appendFiller(padding);
  const poison = await appendIncompleteReceipt(h, field, `incomplete-${field}`);
  const { head } = await writeComplaintHistory(h.store, { cases: 4, idPrefix: `after-${field}` });
  return { poison, head };
}

/** Every method delegated to `store`, some replaced. */
function delegating(store: EventStore, overrides: Partial<EventStore>): EventStore {
  return {
    appendToStream: (...args) => store.appendToStream(...args),
    readStream: (...args) => store.readStream(...args),
    readAll: (...args) => store.readAll(...args),
    headPosition: () => store.headPosition(),
    countEventsAfter: (position) => store.countEventsAfter(position),
    findEventById: (id) => store.findEventById(id),
    onAppended: (listener) => store.onAppended(listener),
    close: () => store.close(),
    ...overrides,
  };
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await sleep(10);
  }
}

beforeAll(() => Logger.overrideLogger(false));
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('ProjectionRunner: waking', () => {
  it('wakes at once on a local append (the idle poll is a minute away)', async () => {
    const h = await harness();
    const { head } = await writeComplaintHistory(h.store, { cases: 3, idPrefix: 'wake' });
    const runner = h.runner(caseViewProjection, { idlePollMs: 60_000 });
    await runner.start();
    expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    for (let round = 0; round < 3; round++) {
      await sleep(20); // let the runner go idle
      const appended = await h.appendFiller(1);
      expect(await runner.waitForPosition(appended, 10_000)).toBe(true);
    }
    const more = await writeComplaintHistory(h.store, { cases: 2, idPrefix: 'wake-more' });
    expect(await runner.waitForPosition(more.head, 10_000)).toBe(true);
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));
  });

  it('does not lose the wake-up of an append that lands between reading an empty batch and going idle', async () => {
    const h = await harness();
    await h.appendFiller(1);
    let raced: Promise<number> | undefined;
    // The append lands after the runner's read returned nothing, before it goes to sleep:
    // with an asynchronous event store (EventStoreDB) that window is the whole network round trip.
    const racing = delegating(h.store, {
      readAll: async (options) => {
        const events = await h.store.readAll(options);
        if (events.length === 0 && !raced) {
          raced = new Promise((done) =>
            queueMicrotask(() => {
              h.appendFiller(1).then(done, () => done(-1));
            }),
          );
        }
        return events;
      },
    });
    const runner = h.runner(caseViewProjection, { idlePollMs: 60_000 }, racing);
    await runner.start();
    expect(await runner.waitForPosition(1, 10_000)).toBe(true);
    await eventually(async () => raced !== undefined, 'the racing append was made');
    const position = await raced!;
    expect(position).toBe(2);
    expect(await runner.waitForPosition(position, 5_000)).toBe(true);
  });
});

describe('ProjectionRunner: batches', () => {
  it('applies the log in order, in batches of at most batchSize, one transaction each', async () => {
    const h = await harness();
    const written = await writeComplaintHistory(h.store, { cases: 4, idPrefix: 'batches' });
    const head = written.head % 5 === 3 ? written.head : await h.appendFiller((3 - (written.head % 5) + 5) % 5);
    const batches: number[][] = [];
    const recording: CaseViewsProjection = {
      name: caseViewProjection.name,
      reset: (trx) => caseViewProjection.reset(trx),
      async apply(trx, events) {
        batches.push(events.map((event) => event.position));
        await caseViewProjection.apply(trx, events);
      },
    };
    const runner = h.runner(recording, { batchSize: 5 });
    await runner.start();
    expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    expect(head % 5).not.toBe(0); // a short last batch
    expect(batches.map((batch) => batch.length)).toEqual([...Array(Math.floor(head / 5)).fill(5), head % 5]);
    expect(batches.flat()).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));
  });

  it('catches up in long batches where each read is a round trip (EventStoreDB), not in the few events 4 ms would allow', async () => {
    const h = await harness();
    const head = await h.appendFiller(1000);
    let reads = 0;
    const distant = delegating(h.store, {
      readAll: async (options) => {
        reads++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return h.store.readAll(options);
      },
    });
    const runner = h.runner(caseViewProjection, { batchSize: 500, batchMs: undefined }, distant);
    await runner.start();
    expect(await runner.waitForPosition(head, 20_000)).toBe(true);
    // Batches sized to 4 ms alone shrink to their least (4 events) once a 5 ms read is counted in: about 200 reads.
    expect(reads).toBeLessThanOrEqual(20);
  });
});

describe('ProjectionRunner: an event it cannot project', () => {
  /** A log with an unknown event in a case stream at `poison`, the first position of a batch of 5, and more cases after it. */
  async function poisonedLog(h: Harness) {
    const { caseIds, head: before } = await writeComplaintHistory(h.store, { cases: 4, idPrefix: 'before-poison' });
    if (before % 5 !== 0) await h.appendFiller(5 - (before % 5));
    const poisoned = await h.store.appendToStream(complaintStreamName(caseIds[1]), [
      {
        id: newEventId(),
        type: 'ComplaintTeleported',
        data: { at: '2025-03-04T10:00:00.000Z' },
        metadata: {},
      },
    ]);
    const { head } = await writeComplaintHistory(h.store, { cases: 4, idPrefix: 'after-poison' });
    return { poison: poisoned.position, head };
  }

  it('stops there: failed at its position, checkpoint just before, nothing after applied, failure persisted', async () => {
    const h = await harness();
    const { poison, head } = await poisonedLog(h);
    const { projection } = fixableCaseViews();
    const runner = h.runner(projection, { batchSize: 5 });
    await runner.start();

    expect(await runner.waitForPosition(head, 10_000)).toBe(false);
    const status = await runner.status();
    expect(status).toMatchObject({
      state: 'failed',
      checkpoint: poison - 1,
      headPosition: head,
      lag: { events: head - poison + 1 },
      failure: { position: poison, error: expect.stringContaining('ComplaintTeleported') },
    });
    expect(await readCheckpoint(h.readStore.db, projection.name)).toMatchObject({
      position: poison - 1,
      failed_position: poison,
      error: expect.stringContaining('ComplaintTeleported'),
    });
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events(), poison - 1));

    // It stays stopped: new appends are not applied, waits answer false at once.
    const appended = await h.appendFiller(1);
    expect(await runner.waitForPosition(appended, 60_000)).toBe(false);
    expect((await runner.status()).checkpoint).toBe(poison - 1);
  });

  it('resumes from its checkpoint once the projection is fixed, on the same runner or on a new one', async () => {
    const h = await harness();
    const { poison, head } = await poisonedLog(h);
    const { control, projection, fixedEvolve } = fixableCaseViews();
    const runner = h.runner(projection, { batchSize: 5 });
    await runner.start();
    expect(await runner.waitForPosition(head, 10_000)).toBe(false);

    control.fixed = true;
    await runner.stop();
    expect((await runner.status()).state).toBe('failed');
    await runner.start();
    expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    const status = await runner.status();
    expect(status).toMatchObject({ state: 'running', checkpoint: head, lag: { events: 0, seconds: 0 } });
    expect(status.failure).toBeUndefined();
    expect(await readCheckpoint(h.readStore.db, projection.name)).toMatchObject({ position: head, failed_position: null, error: null });
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events(), Infinity, fixedEvolve));
    expect(poison).toBeLessThan(head);
  });

  it('lets a new runner (a restarted process with the fix deployed) resume from the persisted checkpoint', async () => {
    const h = await harness();
    const { poison, head } = await poisonedLog(h);
    const broken = h.runner(fixableCaseViews().projection, { batchSize: 5 });
    await broken.start();
    expect(await broken.waitForPosition(head, 10_000)).toBe(false);

    const { control, projection, fixedEvolve } = fixableCaseViews();
    control.fixed = true;
    const seen: number[] = [];
    const watching: CaseViewsProjection = {
      ...projection,
      apply: (trx, events) => {
        seen.push(...events.map((e) => e.position));
        return projection.apply(trx, events);
      },
    };
    const fixed = h.runner(watching, { batchSize: 5 });
    await fixed.start();
    expect(await fixed.waitForPosition(head, 10_000)).toBe(true);
    expect(seen[0]).toBe(poison);
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events(), Infinity, fixedEvolve));
  });
});

describe('ProjectionRunner: an event whose apply throws a plain error', () => {
  /** Case views behind a step that reads each receipt's summary: a TypeError on a receipt without one, until `fixed`. */
  function summaryReadingCaseViews() {
    const control = { fixed: false };
    const projection: CaseViewsProjection = {
      name: caseViewProjection.name,
      reset: (trx) => caseViewProjection.reset(trx),
      async apply(trx, events) {
        for (const event of events) {
          if (event.type === 'ComplaintReceived' && !control.fixed) (event.data as { summary: string }).summary.trim();
        }
        await caseViewProjection.apply(trx, events);
      },
    };
    return { control, projection };
  }

  it('the read store refusing it (NOT NULL): the events before it applied, failed at it and persisted, waiters answered at once, logged once', async () => {
    const h = await harness();
    const { poison, head } = await logWithIncompleteReceipt(h, 'customerId');
    expect(poison % 5).toBe(3);
    const logged = jest.spyOn(Logger.prototype, 'error');
    const runner = h.runner(caseViewProjection, { batchSize: 5 });
    const waiting = runner.waitForPosition(head, 60_000);
    const started = Date.now();
    await runner.start();

    expect(await waiting).toBe(false);
    expect(Date.now() - started).toBeLessThan(10_000);
    const status = await runner.status();
    expect(status).toMatchObject({
      state: 'failed',
      checkpoint: poison - 1,
      failure: {
        position: poison,
        error: expect.stringMatching(/^ComplaintReceived at position \d+: .*NOT NULL constraint failed: case_views\.customer_id/),
      },
    });
    expect(status.lastError).toBeUndefined();
    expect(await readCheckpoint(h.readStore.db, caseViewProjection.name)).toMatchObject({
      position: poison - 1,
      failed_position: poison,
      error: status.failure!.error,
    });
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events(), poison - 1));
    expect(logged.mock.calls.filter(([message]) => String(message).includes('stopped'))).toHaveLength(1);
    logged.mockRestore();

    // A restart (POST /projections/:name/restart) retries it, and stops at it again while the data is what it is.
    await runner.stop();
    await runner.start();
    expect(await runner.waitForPosition(head, 10_000)).toBe(false);
    expect(await runner.status()).toMatchObject({ state: 'failed', checkpoint: poison - 1, failure: { position: poison } });
  });

  it('a TypeError in the projection: failed at it; once fixed, a restart resumes from it and reaches the head', async () => {
    const h = await harness();
    const { poison, head } = await logWithIncompleteReceipt(h, 'summary');
    const { control, projection } = summaryReadingCaseViews();
    const runner = h.runner(projection, { batchSize: 5 });
    await runner.start();

    expect(await runner.waitForPosition(head, 10_000)).toBe(false);
    expect(await runner.status()).toMatchObject({
      state: 'failed',
      checkpoint: poison - 1,
      failure: { position: poison, error: expect.stringContaining("reading 'trim'") },
    });
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events(), poison - 1));

    control.fixed = true;
    await runner.stop();
    await runner.start();
    expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    expect(await readCheckpoint(h.readStore.db, projection.name)).toMatchObject({ position: head, failed_position: null, error: null });
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));
  });

  it('a rebuild stops every projection at an event the upcasters cannot read (a receipt without a regime) instead of retrying', async () => {
    const h = await harness();
    await writeComplaintHistory(h.store, { cases: 3, idPrefix: 'before-unreadable' });
    // As the event-store bench once wrote them: no regime, no deadlines, no actor, no schema version.
    const unreadable = await h.store.appendToStream(complaintStreamName('unreadable'), [
      {
        id: newEventId(),
        type: 'ComplaintReceived',
        data: { caseId: 'unreadable', customerId: 'customer-1', channel: 'email', summary: 'Late', receivedAt: '2026-11-27T10:00:00.000Z' },
        metadata: {},
      },
    ]);
    const { head } = await writeComplaintHistory(h.store, { cases: 3, idPrefix: 'after-unreadable' });
    const upcasting = new UpcastingEventStore(h.store, EVENT_UPCASTERS) as unknown as EventStore;
    const recorder: CaseViewsProjection = { name: 'recording', apply: async () => undefined, reset: async () => undefined };
    const runners = [caseViewProjection, recorder].map((projection) => h.runner(projection, { rebuildBatchSize: 4 }, upcasting));

    await expect(ProjectionRunner.rebuildTogether(runners)).rejects.toThrow(/deadline policy/);

    for (const runner of runners) {
      const status = await runner.status();
      expect(status).toMatchObject({
        state: 'failed',
        failure: { position: unreadable.position, error: expect.stringContaining('unreadable') },
      });
      // The position once: the event store's own description of the event leaves it to the projection's.
      expect(status.failure!.error).toMatch(
        new RegExp(
          `^ComplaintReceived at position ${unreadable.position}: complaint-unreadable revision 0 holds a ComplaintReceived that cannot be read at today's schema: `,
        ),
      );
      expect(status.failure!.error.match(/position/g)).toHaveLength(1);
      // The pages before the one that holds it are applied (a page the store cannot read is not applied at all).
      expect(status.checkpoint).toBeLessThan(unreadable.position);
      expect(status.checkpoint).toBeGreaterThanOrEqual(unreadable.position - 4);
    }
    expect(unreadable.position).toBeLessThan(head);
  });

  it('a write lock another connection holds (SQLITE_BUSY while reads answer) is an outage: retrying, never failed, then caught up', async () => {
    const h = await harness();
    const { head } = await writeComplaintHistory(h.store, { cases: 2, idPrefix: 'locked' });
    const impatient = await openReadStore<RunnerTables>({ dataDir: h.dir, timeouts: { statementMs: 1000, connectMs: 1000, busyMs: 20 } });
    cleanups.push(() => impatient.close());
    const runner = new ProjectionRunner(h.store, impatient, caseViewProjection, { clock: systemClock, batchSize: 5, idlePollMs: 60_000 });
    cleanups.push(() => runner.stop());
    const other = new Database(join(h.dir, 'read-models.db'));
    other.prepare('BEGIN IMMEDIATE').run();
    try {
      await runner.start();
      await eventually(async () => (await runner.status()).state === 'retrying', 'the runner is retrying');
      await sleep(300); // several attempts
      const retrying = await runner.status();
      expect(retrying).toMatchObject({ state: 'retrying', checkpoint: 0, lastError: expect.stringMatching(/locked|busy/i) });
      expect(retrying.failure).toBeUndefined();
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect(await runner.waitForPosition(head, 20_000)).toBe(true);
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));
  });
});

describe('ProjectionRunner: waitForPosition', () => {
  it('answers false after its timeout when the position is not reached', async () => {
    const h = await harness();
    const head = await h.appendFiller(3);
    const stopped = h.runner();
    expect(await stopped.waitForPosition(1, 50)).toBe(false);
    expect(await stopped.waitForPosition(1, 0)).toBe(false);

    const running = h.runner();
    await running.start();
    expect(await running.waitForPosition(head, 10_000)).toBe(true);
    expect(await running.waitForPosition(head + 1, 100)).toBe(false);
    expect(await running.waitForPosition(head, 0)).toBe(true);
  });

  it('answers false to a waiter as soon as the projection fails', async () => {
    const h = await harness();
    const head = await h.appendFiller(2);
    const poisoned = await h.store.appendToStream(complaintStreamName('nowhere'), [
      {
        id: newEventId(),
        type: 'ComplaintAcknowledged',
        data: { at: '2025-03-04T10:00:00.000Z' },
        metadata: {},
      },
    ]);
    const runner = h.runner(caseViewProjection, { batchSize: 2 });
    const waiting = runner.waitForPosition(poisoned.position, 60_000);
    await runner.start();
    expect(await waiting).toBe(false);
    expect(await runner.status()).toMatchObject({ state: 'failed', checkpoint: head, failure: { position: poisoned.position } });
  });
});

describe('ProjectionRunner: status', () => {
  it('reports lag in events and in seconds against the injected clock', async () => {
    const h = await harness();
    const { head } = await writeComplaintHistory(h.store, { cases: 3, idPrefix: 'lag' });
    const [first] = await h.events();
    let now = Date.parse(first.recordedAt) + 90_000;
    const clock: Clock = { now: () => new Date(now) };
    const runner = h.runner(caseViewProjection, { clock });

    expect(await runner.status()).toEqual({
      name: 'case-views',
      state: 'stopped',
      checkpoint: 0,
      headPosition: head,
      lag: { events: head, seconds: 90 },
    });

    await runner.start();
    expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    expect(await runner.status()).toEqual({
      name: 'case-views',
      state: 'running',
      checkpoint: head,
      headPosition: head,
      lag: { events: 0, seconds: 0 },
    });
    await runner.stop();

    const appended = await h.appendFiller(2);
    const [pending] = await h.store.readAll({ after: head, maxCount: 1 });
    now = Date.parse(pending.recordedAt) + 12_500;
    expect(await runner.status()).toEqual({
      name: 'case-views',
      state: 'stopped',
      checkpoint: head,
      headPosition: appended,
      lag: { events: 2, seconds: 12.5 },
    });
    // A clock behind the log (skew) never reports negative lag.
    now = Date.parse(pending.recordedAt) - 5_000;
    expect((await runner.status()).lag).toEqual({ events: 2, seconds: 0 });
  });
});

describe('ProjectionRunner: rebuild', () => {
  it('empties the read model and replays it to the same result as incremental processing, reporting progress', async () => {
    const h = await harness();
    const { head } = await writeComplaintHistory(h.store, { cases: 10, idPrefix: 'rebuild' });
    let sessions = 0;
    let applies = 0;
    const counted: CaseViewsProjection = {
      name: caseViewProjection.name,
      reset: (trx) => caseViewProjection.reset(trx),
      apply: (trx, events) => (applies++, caseViewProjection.apply(trx, events)),
      session: (trx) => (sessions++, caseViewProjection.session!(trx)),
    };
    const runner = h.runner(counted, { batchSize: 7, rebuildBatchSize: 7 });
    await runner.start();
    expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    const incremental = await readCaseViews(h.readStore.db);
    expect(incremental).toEqual(expectedCaseViews(await h.events()));
    await h.readStore.db
      .insertInto(CASE_VIEWS_TABLE)
      .values({
        ...incremental[0],
        id: 'stray',
        document: JSON.stringify(incremental[0].document),
      } as CaseViewRow)
      .execute();

    const progress: Array<[number, number]> = [];
    [sessions, applies] = [0, 0];
    await runner.rebuild((processed, total) => progress.push([processed, total]));

    expect(await readCaseViews(h.readStore.db)).toEqual(incremental);
    // As `redress rebuild`: pages of 7 through sessions, none applied page by page (the service's rebuild commits about every
    // 25 ms, so a loaded machine may take more than one transaction for this log: see the next test).
    expect(applies).toBe(0);
    expect(sessions).toBeGreaterThanOrEqual(1);
    expect(progress[0]).toEqual([0, head]);
    expect(progress[progress.length - 1]).toEqual([head, head]);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThanOrEqual(progress[i - 1][0]);
    expect(progress.length).toBeGreaterThan(2);
    const status = await runner.status();
    expect(status).toMatchObject({ state: 'running', checkpoint: head });
    expect(status.rebuild).toBeUndefined();

    // Still live after the rebuild.
    const more = await writeComplaintHistory(h.store, { cases: 1, idPrefix: 'after-rebuild' });
    expect(await runner.waitForPosition(more.head, 10_000)).toBe(true);
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));
  });
  it("the service's rebuild commits every few pages, never holding the read store long; redress rebuild commits a short log once", async () => {
    const h = await harness();
    const { head } = await writeComplaintHistory(h.store, { cases: 10, idPrefix: 'rebuild-held' });
    let sessions = 0;
    // Ten milliseconds a page: a transaction of the service's rebuild (25 ms) holds at most three of the log's pages of 5.
    const slow: CaseViewsProjection = {
      name: caseViewProjection.name,
      reset: (trx) => caseViewProjection.reset(trx),
      apply: (trx, events) => caseViewProjection.apply(trx, events),
      session: (trx) => {
        sessions++;
        const session = caseViewProjection.session!(trx);
        return { apply: async (events) => (await sleep(10), session.apply(events)), flush: () => session.flush() };
      },
    };
    const runner = h.runner(slow, { batchSize: 5, rebuildBatchSize: 5 });
    const pages = Math.ceil(head / 5);
    expect(pages).toBeGreaterThanOrEqual(12);

    await runner.rebuild();
    expect(sessions).toBeGreaterThanOrEqual(Math.floor(pages / 3));
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));

    sessions = 0;
    await ProjectionRunner.rebuildTogether([runner]);
    expect(sessions).toBe(1);
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));
    await runner.stop();
  });
});

describe('ProjectionRunner.rebuildTogether', () => {
  /** A projection without tables that records the pages it is given. */
  function recording(name = 'recording') {
    const pages: number[][] = [];
    const projection: CaseViewsProjection = {
      name,
      apply: async (_trx, events) => {
        pages.push(events.map((event) => event.position));
      },
      reset: async () => {
        pages.length = 0;
      },
    };
    return { projection, pages };
  }

  it('rebuilds several projections in one pass: each page read once and given to each, the same read models as incremental processing', async () => {
    const h = await harness();
    const { head } = await writeComplaintHistory(h.store, { cases: 10, idPrefix: 'together' });
    const views = h.runner(caseViewProjection, { rebuildBatchSize: 9 });
    await views.start();
    expect(await views.waitForPosition(head, 10_000)).toBe(true);
    const incremental = await readCaseViews(h.readStore.db);
    const { projection, pages } = recording();
    let reads = 0;
    const counting = delegating(h.store, { readAll: (options) => (reads++, h.store.readAll(options)) });
    const viewsCounted = h.runner(caseViewProjection, { rebuildBatchSize: 9 }, counting);
    const recorderCounted = h.runner(projection, { rebuildBatchSize: 9 }, counting);
    await views.stop();

    const progress: Array<[number, number]> = [];
    await ProjectionRunner.rebuildTogether([viewsCounted, recorderCounted], (processed, total) => progress.push([processed, total]));

    expect(await readCaseViews(h.readStore.db)).toEqual(incremental);
    expect(pages.flat()).toEqual((await h.events()).map((event) => event.position));
    expect(Math.max(...pages.map((page) => page.length))).toBeLessThanOrEqual(9);
    // One read per page of the log (and the runners' own look for more once done), not one per projection and page.
    expect(reads).toBeLessThanOrEqual(Math.ceil(head / 9) + 3);
    expect(progress[progress.length - 1]).toEqual([head, head]);
    for (const runner of [viewsCounted, recorderCounted]) {
      expect(await runner.status()).toMatchObject({ state: 'running', checkpoint: head });
      expect(await readCheckpoint(h.readStore.db, runner.name)).toMatchObject({ position: head, failed_position: null });
    }
    // Both live after it.
    const more = await writeComplaintHistory(h.store, { cases: 1, idPrefix: 'after-together' });
    expect(await viewsCounted.waitForPosition(more.head, 10_000)).toBe(true);
    expect(await recorderCounted.waitForPosition(more.head, 10_000)).toBe(true);
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));
  });

  it('commits a transaction once its events have touched rebuildTransactionStreams streams: no session holds more cases than that', async () => {
    const h = await harness();
    await writeComplaintHistory(h.store, { cases: 10, idPrefix: 'streams' });
    const sessions: Array<Set<string>> = [];
    const holding: CaseViewsProjection = {
      name: 'holding',
      apply: async () => undefined,
      reset: async () => undefined,
      session: () => {
        const streams = new Set<string>();
        sessions.push(streams);
        return { apply: async (events) => void events.forEach((event) => streams.add(event.streamName)), flush: async () => undefined };
      },
    };
    const options = { rebuildBatchSize: 1, rebuildTransactionStreams: 3 };

    await ProjectionRunner.rebuildTogether([h.runner(caseViewProjection, options), h.runner(holding, options)]);

    const events = await h.events();
    const streams = new Set(events.map((event) => event.streamName));
    expect(streams.size).toBeGreaterThanOrEqual(10);
    expect(sessions.length).toBeGreaterThanOrEqual(Math.ceil(streams.size / 3));
    for (const held of sessions) expect(held.size).toBeLessThanOrEqual(3);
    expect(new Set(sessions.flatMap((held) => [...held]))).toEqual(streams);
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(events));
  });

  it('an event one projection refuses stops that one there, as its own rebuild would; the others reach the head', async () => {
    const h = await harness();
    const { caseIds } = await writeComplaintHistory(h.store, { cases: 3, idPrefix: 'before-refused' });
    const refused = await h.store.appendToStream(complaintStreamName(caseIds[0]), [
      { id: newEventId(), type: 'ComplaintTeleported', data: { at: '2025-03-04T10:00:00.000Z' }, metadata: {} },
    ]);
    const { head } = await writeComplaintHistory(h.store, { cases: 3, idPrefix: 'after-refused' });
    const views = h.runner(fixableCaseViews().projection, { rebuildBatchSize: 4 });
    const { projection, pages } = recording();
    const recorder = h.runner(projection, { rebuildBatchSize: 4 });

    await expect(ProjectionRunner.rebuildTogether([views, recorder])).rejects.toThrow(/ComplaintTeleported/);

    // As a runner alone: the batch holding the event is not applied, the checkpoint stays before it.
    const stopped = await views.status();
    expect(stopped).toMatchObject({ state: 'failed', failure: { position: refused.position } });
    expect(stopped.checkpoint).toBeLessThan(refused.position);
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events(), stopped.checkpoint));
    expect(await recorder.status()).toMatchObject({ state: 'running', checkpoint: head });
    // The pages of the shared transaction that failed were given to the recorder too, then rolled back and given again.
    expect([...new Set(pages.flat())]).toEqual((await h.events()).map((event) => event.position));
  });

  it('an altered event stops every projection just before it', async () => {
    const h = await harness();
    const { head } = await writeComplaintHistory(h.store, { cases: 3, idPrefix: 'altered' });
    const altered = Math.floor(head / 2);
    const raw = new Database(join(h.dir, 'events.db'));
    raw.prepare("UPDATE events SET data = json_set(data, '$.at', '2020-01-01T00:00:00.000Z') WHERE position = ?").run(altered);
    raw.close();
    const views = h.runner(caseViewProjection, { rebuildBatchSize: 4 });
    const recorder = h.runner(recording().projection, { rebuildBatchSize: 4 });

    await expect(ProjectionRunner.rebuildTogether([views, recorder])).rejects.toThrow(/altered/);

    for (const runner of [views, recorder])
      expect(await runner.status()).toMatchObject({ state: 'failed', checkpoint: altered - 1, failure: { position: altered } });
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events(), altered - 1));
  });
});

/** A read store whose connection a test can cut (every statement then fails as on a closed database) and restore. */
async function cuttableReadStore(readStore: ReadStore<RunnerTables>, dir: string) {
  const closed = await openReadStore<RunnerTables>({ dataDir: join(dir, 'closed') });
  await closed.close();
  let db = readStore.db;
  const switchable: ReadStore<RunnerTables> = {
    dialect: 'sqlite',
    get db() {
      return db;
    },
    get reports() {
      return db;
    },
    close: async () => undefined,
  };
  return { switchable, cut: () => void (db = closed.db), restore: () => void (db = readStore.db) };
}

describe('ProjectionRunner: infrastructure errors', () => {
  it('retries while the read store is unreachable (state retrying, not failed), then catches up', async () => {
    const h = await harness();
    const { head } = await writeComplaintHistory(h.store, { cases: 2, idPrefix: 'infra' });
    const { switchable, cut, restore } = await cuttableReadStore(h.readStore, h.dir);
    const runner = new ProjectionRunner(h.store, switchable, caseViewProjection, { clock: systemClock, batchSize: 5, idlePollMs: 60_000 });
    cleanups.push(() => runner.stop());
    await runner.start();
    expect(await runner.waitForPosition(head, 10_000)).toBe(true);

    cut();
    const more = await writeComplaintHistory(h.store, { cases: 2, idPrefix: 'infra-more' });
    await eventually(async () => (await runner.status()).state === 'retrying', 'the runner is retrying');
    const retrying = await runner.status();
    expect(retrying.lastError).toEqual(expect.any(String));
    expect(retrying.failure).toBeUndefined();
    expect(retrying.checkpoint).toBe(head);
    expect(await runner.waitForPosition(more.head, 50)).toBe(false);

    restore();
    expect(await runner.waitForPosition(more.head, 20_000)).toBe(true);
    const recovered = await runner.status();
    expect(recovered).toMatchObject({ state: 'running', checkpoint: more.head });
    expect(recovered.lastError).toBeUndefined();
    expect(await readCheckpoint(h.readStore.db, caseViewProjection.name)).toMatchObject({ position: more.head, failed_position: null });
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));
  });
});

describeWithPostgres('ProjectionRunner on PostgreSQL: an event the read store refuses', () => {
  const schemaName = useTemporarySchemas();

  it('stops the leader at it (23502), the events before it applied and checkpointed', async () => {
    const h = await harness();
    const { poison, head } = await logWithIncompleteReceipt(h, 'customerId');
    const schema = schemaName();
    const readStore = await openReadStore<RunnerTables>({ url: postgresUrl(), schema, dataDir: h.dir });
    cleanups.push(() => readStore.close());
    await migrateReadStore(readStore, { ...checkpointMigrations, ...caseViewMigrations });
    const leadership = new PostgresAdvisoryLeadership({ url: postgresUrl(), schema, projection: caseViewProjection.name, retryMs: 50 });
    const runner = new ProjectionRunner(h.store, readStore, caseViewProjection, {
      clock: systemClock,
      batchSize: 5,
      idlePollMs: 60_000,
      leadership,
    });
    cleanups.push(() => runner.stop());
    await runner.start();

    expect(await runner.waitForPosition(head, 10_000)).toBe(false);
    expect(await runner.status()).toMatchObject({
      state: 'failed',
      checkpoint: poison - 1,
      role: 'leader',
      failure: { position: poison, error: expect.stringContaining('null value in column "customer_id"') },
    });
    expect(await readCheckpoint(readStore.db, caseViewProjection.name)).toMatchObject({ position: poison - 1, failed_position: poison });
    expect(await readCaseViews(readStore.db)).toEqual(expectedCaseViews(await h.events(), poison - 1));
  });
});

describe('LiveCatchUp', () => {
  /** `projection`, recording the pages it is given. */
  function recorded(projection: CaseViewsProjection = { name: 'recording', apply: async () => undefined, reset: async () => undefined }) {
    const pages: number[][] = [];
    const recording: CaseViewsProjection = {
      ...projection,
      apply: (trx, events) => {
        pages.push(events.map((event) => event.position));
        return projection.apply(trx, events);
      },
    };
    return { projection: recording, pages };
  }

  /** A store whose appends wake nobody until the test says so. */
  function silenced(store: EventStore) {
    const listeners: Array<(position: number) => void> = [];
    const quiet = delegating(store, {
      onAppended: (listener) => {
        listeners.push(listener);
        return () => listeners.splice(listeners.indexOf(listener), 1);
      },
    });
    return { store: quiet, wake: (position: number) => [...listeners].forEach((listener) => listener(position)) };
  }

  it('applies each new page to every live projection in one pass: read and hash-checked once, the same pages to each', async () => {
    const h = await harness();
    const { head } = await writeComplaintHistory(h.store, { cases: 3, idPrefix: 'live-before' });
    let reads = 0;
    const counting = delegating(h.store, { readAll: (options) => (reads++, h.store.readAll(options)) });
    // Passes as soon as appends land, so that each append is a page of its own.
    const liveCatchUp = new LiveCatchUp(counting, h.readStore, { ...EXACT_BATCHES, batchSize: 5, idlePollMs: 60_000, passIntervalMs: 0 });
    const views = recorded(caseViewProjection);
    const recorder = recorded();
    const runners = [views, recorder].map(({ projection }) => h.runner(projection, { liveCatchUp }, counting));
    for (const runner of runners) await runner.start();
    for (const runner of runners) expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    await sleep(20); // both handed over
    views.pages.length = 0;
    recorder.pages.length = 0;
    reads = 0;

    // Read-your-writes on a quiet system: each append is applied at once (the idle poll is a minute away).
    const appends = 6;
    for (let i = 0; i < appends; i++) {
      const appended = await h.appendFiller(1);
      for (const runner of runners) expect(await runner.waitForPosition(appended, 1_000)).toBe(true);
    }
    expect(recorder.pages).toEqual(views.pages);
    expect(recorder.pages.flat()).toEqual(Array.from({ length: appends }, (_, i) => head + i + 1));
    // One read of each page for both (and one that finds the log's end), not one per projection.
    expect(reads).toBeLessThanOrEqual(2 * appends + 1);

    const more = await writeComplaintHistory(h.store, { cases: 3, idPrefix: 'live-more' });
    for (const runner of runners) expect(await runner.waitForPosition(more.head, 10_000)).toBe(true);
    expect(recorder.pages).toEqual(views.pages);
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));
    for (const runner of runners) {
      expect(await runner.status()).toMatchObject({ state: 'running', checkpoint: more.head, lag: { events: 0 } });
      expect(await readCheckpoint(h.readStore.db, runner.name)).toMatchObject({ position: more.head, failed_position: null });
    }
  });

  it("takes this process's own appends as the store appended them, reading none back; another writer's are read and checked", async () => {
    const h = await harness();
    const { head } = await writeComplaintHistory(h.store, { cases: 2, idPrefix: 'own-before' });
    let reads = 0;
    const counting = delegating(h.store, {
      readAll: (options) => (reads++, h.store.readAll(options)),
      appendedAfter: (after, maxCount) => h.store.appendedAfter(after, maxCount),
    });
    const liveCatchUp = new LiveCatchUp(counting, h.readStore, { batchSize: 500, idlePollMs: 60_000 });
    const views = recorded(caseViewProjection);
    const runner = h.runner(views.projection, { liveCatchUp }, counting);
    await runner.start();
    expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    await sleep(20); // handed over
    reads = 0;

    const own = await writeComplaintHistory(h.store, { cases: 3, idPrefix: 'own' });
    expect(await runner.waitForPosition(own.head, 10_000)).toBe(true);
    expect(reads).toBe(0);
    expect(views.pages.flat().filter((position) => position > head)).toEqual(
      Array.from({ length: own.head - head }, (_, i) => head + i + 1),
    );
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));

    const otherProcess = new SqliteEventStore(join(h.dir, 'events.db'));
    cleanups.push(() => otherProcess.close());
    const theirs = await writeComplaintHistory(otherProcess, { cases: 2, idPrefix: 'theirs' });
    await h.appendFiller(1); // wakes the loop, as the other process's appends would at the idle poll
    expect(await runner.waitForPosition(theirs.head, 10_000)).toBe(true);
    expect(reads).toBeGreaterThan(0);
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));
  });

  it('lets the appends of one pass interval share one pass under load', async () => {
    const h = await harness();
    const { head } = await writeComplaintHistory(h.store, { cases: 1, idPrefix: 'live-busy' });
    const liveCatchUp = new LiveCatchUp(h.store, h.readStore, { batchSize: 500, idlePollMs: 60_000, passIntervalMs: 200 });
    const recorder = recorded();
    const runner = h.runner(recorder.projection, { liveCatchUp });
    await runner.start();
    expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    await sleep(20); // handed over
    recorder.pages.length = 0;

    // Five commands' appends within one interval: the first wakes the loop, the pass waits out the interval, then takes all.
    let last = 0;
    for (let i = 0; i < 5; i++) last = await h.appendFiller(1);
    expect(await runner.waitForPosition(last, 10_000)).toBe(true);
    expect(recorder.pages.flat()).toEqual(Array.from({ length: 5 }, (_, i) => last - 4 + i));
    expect(recorder.pages.length).toBeLessThanOrEqual(2);
    await runner.stop();
  });

  /** Case views and a recorder, carried live on pages of 5 from the (empty) log's end, read through `store`. */
  async function carriedAtLogEnd(h: Awaited<ReturnType<typeof harness>>, store: EventStore, backlogPages: number) {
    const liveCatchUp = new LiveCatchUp(store, h.readStore, { ...EXACT_BATCHES, batchSize: 5, idlePollMs: 60_000, backlogPages });
    const views = recorded(caseViewProjection);
    const recorder = recorded();
    const runners = [views, recorder].map(({ projection }) => h.runner(projection, { liveCatchUp }, store));
    for (const runner of runners) await runner.start();
    await sleep(20); // both handed over at the (empty) log's end
    return { views, recorder, runners };
  }

  it('reads a backlog of a few pages on together under load: each page read once for all, no runner handed back', async () => {
    const h = await harness();
    const { store, wake } = silenced(h.store);
    let reads = 0;
    const counting = delegating(store, { readAll: (options) => (reads++, store.readAll(options)) });
    const { views, recorder, runners } = await carriedAtLogEnd(h, counting, 10);
    reads = 0;

    // Three cases: more than a page of 5 events, fewer than ten pages.
    const { head } = await writeComplaintHistory(h.store, { cases: 3, idPrefix: 'live-load' });
    expect(head).toBeGreaterThan(10);
    expect(head).toBeLessThan(50);
    wake(head);
    for (const runner of runners) expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    expect(recorder.pages).toEqual(views.pages);
    expect(recorder.pages.flat()).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(Math.max(...recorder.pages.map((page) => page.length))).toBeLessThanOrEqual(5);
    // One read per page for both, and one that finds the log's end: runners reading apart would double it.
    expect(reads).toBeLessThanOrEqual(Math.ceil(head / 5) + 1);
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));
  });

  it('hands a backlog longer than its pages in a row to the runners to catch up alone, and carries them again at the head', async () => {
    const h = await harness();
    const { store, wake } = silenced(h.store);
    const { views, recorder, runners } = await carriedAtLogEnd(h, store, 2);

    const { head } = await writeComplaintHistory(h.store, { cases: 3, idPrefix: 'live-backlog' });
    expect(head).toBeGreaterThan(10);
    wake(head);
    for (const runner of runners) expect(await runner.waitForPosition(head, 10_000)).toBe(true);
    expect(recorder.pages.flat()).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));

    await sleep(20); // caught up: carried again
    views.pages.length = 0;
    recorder.pages.length = 0;
    const appended = await h.appendFiller(1);
    wake(appended);
    for (const runner of runners) expect(await runner.waitForPosition(appended, 1_000)).toBe(true);
    expect(recorder.pages).toEqual([[appended]]);
    expect(views.pages).toEqual([[appended]]);
  });

  it('an event one projection refuses stops that one alone; the others go on, and the fixed one rejoins', async () => {
    const h = await harness();
    const { caseIds, head: before } = await writeComplaintHistory(h.store, { cases: 2, idPrefix: 'live-refused' });
    const liveCatchUp = new LiveCatchUp(h.store, h.readStore, { ...EXACT_BATCHES, batchSize: 5, idlePollMs: 60_000 });
    const { control, projection, fixedEvolve } = fixableCaseViews();
    const views = h.runner(projection, { liveCatchUp });
    const recorder = recorded();
    const others = h.runner(recorder.projection, { liveCatchUp });
    for (const runner of [views, others]) await runner.start();
    for (const runner of [views, others]) expect(await runner.waitForPosition(before, 10_000)).toBe(true);

    const refused = await h.store.appendToStream(complaintStreamName(caseIds[0]), [
      { id: newEventId(), type: 'ComplaintTeleported', data: { at: '2025-03-04T10:00:00.000Z' }, metadata: {} },
    ]);
    const { head } = await writeComplaintHistory(h.store, { cases: 2, idPrefix: 'live-after-refused' });
    expect(await views.waitForPosition(head, 10_000)).toBe(false);
    expect(await others.waitForPosition(head, 10_000)).toBe(true);
    const stopped = await views.status();
    expect(stopped).toMatchObject({ state: 'failed', failure: { position: refused.position } });
    expect(stopped.checkpoint).toBeLessThan(refused.position);
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events(), stopped.checkpoint));
    const appended = await h.appendFiller(1);
    expect(await others.waitForPosition(appended, 1_000)).toBe(true);
    expect(recorder.pages.flat()).toEqual((await h.events()).map((event) => event.position));

    control.fixed = true;
    await views.stop();
    await views.start();
    expect(await views.waitForPosition(appended, 10_000)).toBe(true);
    await sleep(20); // caught up: handed over again
    const last = await writeComplaintHistory(h.store, { cases: 1, idPrefix: 'live-rejoined' });
    for (const runner of [views, others]) expect(await runner.waitForPosition(last.head, 10_000)).toBe(true);
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events(), Infinity, fixedEvolve));
    expect(await views.status()).toMatchObject({ state: 'running', checkpoint: last.head });
  });

  it('an event one projection cannot apply (the read store refuses it) stops that one at it, the events before it applied; the others carry on', async () => {
    const h = await harness();
    const { head: before } = await writeComplaintHistory(h.store, { cases: 2, idPrefix: 'live-incomplete-before' });
    const { store, wake } = silenced(h.store);
    const liveCatchUp = new LiveCatchUp(store, h.readStore, { batchSize: 500, idlePollMs: 60_000 });
    const views = h.runner(caseViewProjection, { liveCatchUp }, store);
    const recorder = recorded();
    const others = h.runner(recorder.projection, { liveCatchUp }, store);
    for (const runner of [views, others]) await runner.start();
    for (const runner of [views, others]) expect(await runner.waitForPosition(before, 10_000)).toBe(true);
    await sleep(20); // both handed over

    // One page for the live loop: a filler, a receipt without its customer, more cases.
    await h.appendFiller(1);
    const refused = await appendIncompleteReceipt(h, 'customerId', 'live-incomplete');
    const { head } = await writeComplaintHistory(h.store, { cases: 2, idPrefix: 'live-incomplete-after' });
    wake(head);

    expect(await views.waitForPosition(head, 10_000)).toBe(false);
    expect(await others.waitForPosition(head, 10_000)).toBe(true);
    expect(await views.status()).toMatchObject({
      state: 'failed',
      checkpoint: refused - 1,
      failure: { position: refused, error: expect.stringContaining('NOT NULL constraint failed') },
    });
    expect(await readCheckpoint(h.readStore.db, caseViewProjection.name)).toMatchObject({
      position: refused - 1,
      failed_position: refused,
    });
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events(), refused - 1));

    // The others are carried live again.
    await sleep(20);
    const appended = await h.appendFiller(1);
    wake(appended);
    expect(await others.waitForPosition(appended, 1_000)).toBe(true);
    expect(recorder.pages.flat()).toEqual((await h.events()).map((event) => event.position));
  });

  it('an altered event stops every projection just before it', async () => {
    const h = await harness();
    const { head: before } = await writeComplaintHistory(h.store, { cases: 1, idPrefix: 'live-altered-before' });
    const { store, wake } = silenced(h.store);
    const liveCatchUp = new LiveCatchUp(store, h.readStore, { batchSize: 500, idlePollMs: 60_000 });
    const runners = [h.runner(caseViewProjection, { liveCatchUp }, store), h.runner(recorded().projection, { liveCatchUp }, store)];
    for (const runner of runners) await runner.start();
    for (const runner of runners) expect(await runner.waitForPosition(before, 10_000)).toBe(true);
    await sleep(20); // both handed over

    const { head } = await writeComplaintHistory(h.store, { cases: 2, idPrefix: 'live-altered' });
    const altered = before + Math.floor((head - before) / 2);
    const raw = new Database(join(h.dir, 'events.db'));
    raw.prepare("UPDATE events SET data = json_set(data, '$.at', '2020-01-01T00:00:00.000Z') WHERE position = ?").run(altered);
    raw.close();
    wake(head);

    for (const runner of runners) expect(await runner.waitForPosition(head, 10_000)).toBe(false);
    for (const runner of runners)
      expect(await runner.status()).toMatchObject({ state: 'failed', checkpoint: altered - 1, failure: { position: altered } });
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events(), altered - 1));
  });

  it('while the read store is unreachable each projection retries alone, then all catch up and are carried again', async () => {
    const h = await harness();
    const { head } = await writeComplaintHistory(h.store, { cases: 2, idPrefix: 'live-infra' });
    const { switchable, cut, restore } = await cuttableReadStore(h.readStore, h.dir);
    const liveCatchUp = new LiveCatchUp(h.store, switchable, { ...EXACT_BATCHES, batchSize: 5, idlePollMs: 60_000 });
    const views = recorded(caseViewProjection);
    const recorder = recorded();
    const runners = [views, recorder].map(
      ({ projection }) =>
        new ProjectionRunner(h.store, switchable, projection, { clock: systemClock, batchSize: 5, idlePollMs: 60_000, liveCatchUp }),
    );
    cleanups.push(async () => {
      for (const runner of runners) await runner.stop();
    });
    for (const runner of runners) await runner.start();
    for (const runner of runners) expect(await runner.waitForPosition(head, 10_000)).toBe(true);

    cut();
    const more = await writeComplaintHistory(h.store, { cases: 2, idPrefix: 'live-infra-more' });
    for (const runner of runners) await eventually(async () => (await runner.status()).state === 'retrying', 'retrying');
    for (const runner of runners) expect(await runner.status()).toMatchObject({ checkpoint: head, lastError: expect.any(String) });

    restore();
    for (const runner of runners) expect(await runner.waitForPosition(more.head, 20_000)).toBe(true);
    for (const runner of runners) expect((await runner.status()).lastError).toBeUndefined();
    await sleep(20);
    views.pages.length = 0;
    recorder.pages.length = 0;
    const last = await writeComplaintHistory(h.store, { cases: 1, idPrefix: 'live-infra-last' });
    for (const runner of runners) expect(await runner.waitForPosition(last.head, 10_000)).toBe(true);
    expect(recorder.pages).toEqual(views.pages);
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));
  });

  it('rebuilds one projection while the others stay live, then carries it again', async () => {
    const h = await harness();
    const { head } = await writeComplaintHistory(h.store, { cases: 4, idPrefix: 'live-rebuild' });
    const liveCatchUp = new LiveCatchUp(h.store, h.readStore, { ...EXACT_BATCHES, batchSize: 5, idlePollMs: 60_000 });
    const views = h.runner(caseViewProjection, { liveCatchUp, rebuildBatchSize: 5 });
    const recorder = recorded();
    const others = h.runner(recorder.projection, { liveCatchUp });
    for (const runner of [views, others]) await runner.start();
    for (const runner of [views, others]) expect(await runner.waitForPosition(head, 10_000)).toBe(true);

    const rebuilt = views.rebuild();
    const during = await writeComplaintHistory(h.store, { cases: 1, idPrefix: 'live-during-rebuild' });
    expect(await others.waitForPosition(during.head, 1_000)).toBe(true);
    await rebuilt;
    expect(await views.waitForPosition(during.head, 10_000)).toBe(true);
    await sleep(20);
    const after = await writeComplaintHistory(h.store, { cases: 1, idPrefix: 'live-after-rebuild' });
    for (const runner of [views, others]) expect(await runner.waitForPosition(after.head, 10_000)).toBe(true);
    expect(await views.status()).toMatchObject({ state: 'running', checkpoint: after.head });
    expect(recorder.pages.flat()).toEqual((await h.events()).map((event) => event.position));
    expect(await readCaseViews(h.readStore.db)).toEqual(expectedCaseViews(await h.events()));
  });
});

describe('ProcessLock', () => {
  it('refuses a second live holder and takes over a lock whose holder died', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-lock-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'projections.lock');
    const holder = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-e',
        `
      require('./src/core/projections/process-lock.ts').ProcessLock.acquire(${JSON.stringify(path)}, 'other process');
      process.stdout.write('locked\\n');
      setInterval(() => undefined, 1000);
    `,
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((done) => holder.once('exit', done));
    cleanups.push(async () => {
      holder.kill('SIGKILL');
      await exited;
    });
    await new Promise<void>((locked, failed) => {
      holder.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('locked')) locked();
      });
      holder.once('exit', (code) => failed(new Error(`the lock holder exited (${code}) before taking the lock`)));
    });

    expect(() => ProcessLock.acquire(path, 'second')).toThrow(new RegExp(`already run by process ${holder.pid}\\b.*other process`));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: holder.pid });

    holder.kill('SIGKILL');
    await exited;
    const lock = ProcessLock.acquire(path, 'after the crash');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid, purpose: 'after the crash' });
    lock.release();
    expect(existsSync(path)).toBe(false);
  });
});
