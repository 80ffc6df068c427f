import { Logger } from '@nestjs/common';
import { backgroundTurn } from '../background-turn';
import type { Clock } from '../clock';
import type { DomainEvent } from '../decider';
import type { EventStore, LiveSubscriptionStatus, RecordedEvent, Unsubscribe } from '../event-store/event-store.port';
import { StoredEventError } from '../event-store/upcasting-event-store';
import type { Queryable, ReadStore } from '../read-store/read-store';
import {
  CheckpointRow,
  CheckpointTables,
  ensureCheckpoint,
  lockCheckpoint,
  readCheckpoint,
  writeCheckpoint,
  writeCheckpoints,
} from './checkpoints';
import type { LiveCatchUp, LiveMember } from './live-catch-up';
import { BatchSlice, type CheckedPage, checkedPage, untilBroken } from './log-pages';
import type { ProjectionLeadership } from './projection-leadership';
import { Projection, ProjectionEventError, sessionOf } from './projection';
import { isStoreOutage } from './store-outage';

export type ProjectionState = 'stopped' | 'running' | 'rebuilding' | 'retrying' | 'failed';

export interface ProjectionStatus {
  readonly name: string;
  readonly state: ProjectionState;
  /** Global position of the last event applied. */
  readonly checkpoint: number;
  readonly headPosition: number;
  readonly lag: { readonly events: number; readonly seconds: number };
  /** Set when the projection stopped on an event it could not apply. */
  readonly failure?: { readonly position: number; readonly error: string };
  /** Set while the read store is unreachable and the runner retries. */
  readonly lastError?: string;
  /** With lastError: when the runner first failed to reach a store in this spell (ISO 8601). */
  readonly since?: string;
  readonly rebuild?: { readonly processed: number; readonly total: number };
  /** With several instances on one read store: whether this one applies events or follows the one that does. */
  readonly role?: 'leader' | 'standby';
  /** The event store's live subscription, where it has one (EventStoreDB). */
  readonly subscription?: LiveSubscriptionStatus;
}

export interface ProjectionRunnerOptions<E extends DomainEvent = DomainEvent, DB extends CheckpointTables = CheckpointTables> {
  readonly batchSize?: number;
  /** How long a batch may take (log-pages.ts: by read store); `Infinity` keeps every batch at `batchSize`. */
  readonly batchMs?: number;
  /**
   * Events per page of the log while rebuilding. The shared pass of a rebuild applies pages of this size (default one batch)
   * in longer transactions; a runner that finishes a rebuild on its own (after the pass stopped, or sharing the read store
   * with other instances) applies each page in one transaction (default ten batches).
   */
  readonly rebuildBatchSize?: number;
  /** Streams a transaction of a rebuild's shared pass may touch before it commits (default REBUILD_TRANSACTION_STREAMS). */
  readonly rebuildTransactionStreams?: number;
  /** Documents a projection's session may hold between the pages of a rebuild's transaction (default HELD_DOCUMENTS). */
  readonly heldDocuments?: number;
  /** How often an idle runner looks for events appended by other processes. */
  readonly idlePollMs?: number;
  readonly clock: Clock;
  /** Several instances share the read store: only the leader applies events (see projection-leadership.ts). */
  readonly leadership?: ProjectionLeadership;
  /** The loop that applies new events to all the live projections of this event store and read store together. */
  readonly liveCatchUp?: LiveCatchUp<E, DB>;
}

/**
 * Events per transaction of a rebuild's shared pass: what the projections evolved from them is held until the transaction
 * writes it, so longer transactions write each case less often and hold more (see the README's Performance section).
 */
const REBUILD_TRANSACTION_EVENTS = 20_000;

/**
 * A transaction of a rebuild's shared pass also commits once its events have touched this many streams: a session may hold
 * each document it evolved (a case's view, loyalty facts, search terms) until the transaction writes them (Redress's own
 * hold HELD_DOCUMENTS at most, held-documents.ts; this bounds any other). Where the log
 * interleaves cases as a desk does, 20,000 events touch 2,900–5,700 streams (the bench's 1M log); a stretch that touches
 * a new case at every event, such as the breaches the deadline clock appends together on a service's first start on an
 * old log, held 20,000 cases at once: peak RSS 687–739 MB rebuilding all at 1,090,450 events, against about 300 MB.
 */
const REBUILD_TRANSACTION_STREAMS = 6_000;

/**
 * How long a transaction of a rebuild run by the service (`POST /projections/:name/rebuild`) may hold the read store. On
 * SQLite the service has one read-store connection: a 20,000-event transaction would hold every query and the other live
 * projections for about a second, again and again; `redress rebuild`, run while the service is stopped, takes no limit.
 * The service's rebuild also sizes its pages as the live projections size their batches (`BatchSlice`): a page is read
 * and applied without a pause, and on the embedded store both hold the thread (500 events took 16–22 ms on a quick
 * machine, so a machine at half that speed held requests 50 ms and more).
 */
const IN_SERVICE_REBUILD_TRANSACTION_MS = 25;

/** How a rebuild shares the thread and the read store: the service's own takes turns with requests; `redress rebuild` runs alone. */
interface RebuildPace {
  readonly transactionMs: number;
  readonly pages: BatchSlice;
}

/** Transactions as long as their event and stream bounds allow, pages of the size configured. */
const alone = (): RebuildPace => ({
  transactionMs: Number.POSITIVE_INFINITY,
  pages: BatchSlice.unbounded(),
});

/** Another instance moved the checkpoint (it led meanwhile, or rebuilt): this batch must not be applied. */
class CheckpointMovedError extends Error {
  constructor(readonly position: number) {
    super(`The checkpoint moved to ${position} under this runner`);
  }
}

interface Waiter {
  readonly position: number;
  resolve(reached: boolean): void;
}

/** What operating a projection takes, whatever its events and tables. */
export interface ProjectionControl {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  rebuild(onProgress?: (processed: number, total: number) => void): Promise<void>;
  waitForPosition(position: number, timeoutMs: number, onAdvance?: () => void): Promise<boolean>;
  status(): Promise<ProjectionStatus>;
}

/**
 * Feeds one projection from the global log: a batch of events and the new checkpoint are
 * written in one read-store transaction, so a crash can neither lose nor double-apply an event.
 * The read store (`DB`) holds the checkpoints and the projection's tables.
 */
export class ProjectionRunner<E extends DomainEvent, DB extends CheckpointTables> implements ProjectionControl {
  private readonly logger: Logger;
  private readonly batchSize: number;
  /** Batches shrink when one held the event loop too long (a synchronous read store), and grow back to batchSize. */
  private readonly slice: BatchSlice;
  private readonly idlePollMs: number;
  private state: ProjectionState = 'stopped';
  private checkpoint = 0;
  private failure?: { position: number; error: string };
  private lastError?: string;
  /** When the current spell of retries began; logged once when it begins and once when it ends. */
  private troubleSince?: Date;
  private rebuildProgress?: { processed: number; total: number };
  private loop?: Promise<void>;
  private wake?: () => void;
  private waiters: Waiter[] = [];
  /** Set by every append; lets the loop see one that landed between an empty read and going idle. */
  private appendedSinceRead = false;
  private unsubscribe?: Unsubscribe;
  /** Another instance leads: this runner follows its checkpoint instead of reading the log. */
  private standingBy = false;
  /** The log's head and the lag as last read, for a status asked while the event store is unreachable. */
  private lastKnownLog?: { headPosition: number; events: number };

  constructor(
    private readonly store: EventStore<E>,
    private readonly readStore: ReadStore<DB>,
    readonly projection: Projection<NoInfer<E>, NoInfer<DB>>,
    private readonly options: ProjectionRunnerOptions<NoInfer<E>, NoInfer<DB>>,
  ) {
    this.logger = new Logger(`Projection ${projection.name}`);
    this.batchSize = options.batchSize ?? 500;
    this.slice = BatchSlice.between(store, readStore, options.batchMs);
    this.idlePollMs = options.idlePollMs ?? 1000;
  }

  get name(): string {
    return this.projection.name;
  }

  /** Starts (or, after a failure, restarts) from the stored checkpoint. */
  async start(): Promise<void> {
    if (this.loop) return;
    const stored = await readCheckpoint(this.readStore.db, this.name);
    this.checkpoint = stored?.position ?? 0;
    this.failure = undefined;
    if (this.state !== 'rebuilding') this.state = 'running';
    if (this.options.leadership) await this.ensureCheckpointRow();
    this.unsubscribe = this.store.onAppended(() => {
      this.appendedSinceRead = true;
      // A standby has nothing to read; it looks at the leader's checkpoint on its own schedule.
      if (!this.standingBy) this.wake?.();
    });
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      this.unsubscribe?.();
    });
  }

  async stop(): Promise<void> {
    if (this.state !== 'failed') this.state = 'stopped';
    this.wake?.();
    this.options.liveCatchUp?.poke();
    await this.loop;
    await this.options.leadership?.release();
  }

  /**
   * Replays the whole log into an emptied read model; resolves when it has caught up with the log as it was. It takes the
   * shared pass of `rebuildTogether` (alone in it), so a projection with a session holds each case across the pages of a
   * transaction, as `redress rebuild` does.
   */
  rebuild(onProgress?: (processed: number, total: number) => void): Promise<void> {
    const pages = BatchSlice.between(this.store, this.readStore);
    return ProjectionRunner.rebuildTogether([this], onProgress, { transactionMs: IN_SERVICE_REBUILD_TRANSACTION_MS, pages });
  }

  /**
   * Rebuilds several projections of one event store and read store in a single pass over the log: each page is read once,
   * each event's hash checked once, and the page applied to every projection in one read-store transaction that moves all
   * their checkpoints. Where the shared pass cannot go on (an altered event, an event a projection refuses, the stores
   * unreachable, several instances sharing the read store), each projection finishes on its own runner from the
   * checkpoint the pass committed, exactly as its own rebuild would have from there.
   */
  static async rebuildTogether<E extends DomainEvent, DB extends CheckpointTables>(
    runners: readonly ProjectionRunner<E, DB>[],
    onProgress?: (processed: number, total: number) => void,
    pace: RebuildPace = alone(),
  ): Promise<void> {
    const [first] = runners;
    if (!first) return;
    if (runners.some((runner) => runner.store !== first.store || runner.readStore !== first.readStore))
      throw new Error('Projections rebuilt together must share their event store and read store');
    await Promise.all(runners.map((runner) => runner.stop()));
    const { target, total } = await logExtent(first.store);
    await first.readStore.db.transaction().execute(async (trx) => {
      for (const runner of runners) await runner.reset(trx, total);
    });
    const report = () => onProgress?.(Math.min(...runners.map((runner) => runner.rebuildProgress?.processed ?? total)), total);
    report();
    if (!runners.some((runner) => runner.options.leadership)) await ProjectionRunner.sharedPass(runners, target, report, pace);
    // Each finishes whatever the others do; the first failure is the answer.
    const outcomes = await Promise.allSettled(runners.map((runner) => runner.finishRebuild(target, report)));
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * The one pass of `rebuildTogether`, up to `target`: transactions of about REBUILD_TRANSACTION_EVENTS events (or fewer, once
   * a transaction has held the read store `transactionMs`), read in pages
   * (small, so that a page's events are let go young), each page verified once and applied to every projection's session,
   * which writes what the transaction's pages changed before it commits (a row that several pages change is read and written
   * once).
   * It stops, having committed every transaction before, at the first transaction it cannot apply to all of them, or after
   * the sound events of a page that holds an altered one.
   */
  private static async sharedPass<E extends DomainEvent, DB extends CheckpointTables>(
    runners: readonly ProjectionRunner<E, DB>[],
    target: number,
    report: () => void,
    { transactionMs, pages }: RebuildPace,
  ): Promise<void> {
    const [{ store, readStore, options, batchSize }] = runners;
    const pageSize = options.rebuildBatchSize ?? batchSize;
    const maxStreams = options.rebuildTransactionStreams ?? REBUILD_TRANSACTION_STREAMS;
    let position = 0;
    let goesOn = true;
    while (goesOn && position < target) {
      let reached = position;
      let count = 0;
      const streams = new Set<string>();
      try {
        await readStore.db.transaction().execute(async (trx) => {
          const opened = performance.now();
          const sessions = runners.map((runner) => sessionOf(runner.projection, trx, runner.options.heldDocuments));
          while (
            count < REBUILD_TRANSACTION_EVENTS &&
            streams.size < maxStreams &&
            performance.now() - opened < transactionMs &&
            goesOn &&
            reached < target
          ) {
            if (count > 0) await backgroundTurn();
            const started = performance.now();
            const events = await store.readAll({ after: reached, maxCount: pages.upTo(pageSize) });
            const readMs = performance.now() - started;
            const { sound, broken } = untilBroken(events);
            if (sound.length > 0) {
              for (const session of sessions) await session.apply(sound);
              pages.took(sound.length, performance.now() - started, readMs);
              for (const event of sound) streams.add(event.streamName);
              reached = sound[sound.length - 1].position;
              count += sound.length;
            }
            goesOn = !broken && events.length > 0;
          }
          for (const session of sessions) await session.flush();
          if (count > 0)
            await writeCheckpoints(
              trx,
              runners.map((runner) => runner.checkpointAt(reached)),
            );
        });
      } catch {
        // Nothing of this transaction was applied: each runner reads its pages again and applies them alone, and one that
        // cannot (the event store unreachable, an event its projection refuses) says why.
        return;
      }
      if (count > 0) {
        for (const runner of runners) runner.applied(reached, count);
        position = reached;
        report();
      }
      await backgroundTurn();
    }
  }

  /** Empties the read model and its checkpoint (in the caller's transaction), and says it is rebuilding from the start. */
  private async reset(trx: Queryable<DB>, total: number): Promise<void> {
    // From here on the read model is being emptied: no reader may be told it has reached anything.
    this.checkpoint = 0;
    await this.projection.reset(trx);
    await writeCheckpoint(trx, this.checkpointAt(0));
    this.rebuildProgress = { processed: 0, total };
    this.state = 'rebuilding';
  }

  /** Applies the rest of the log from the checkpoint; resolves once it reached `target`. */
  private async finishRebuild(target: number, onProgress?: (processed: number, total: number) => void): Promise<void> {
    const total = this.rebuildProgress?.total ?? 0;
    const report = () => onProgress?.(this.rebuildProgress?.processed ?? 0, total);
    report();
    await this.start();
    const reached = await this.waitForPosition(target, Number.POSITIVE_INFINITY, report);
    this.rebuildProgress = undefined;
    if (this.state === 'rebuilding') this.state = 'running';
    if (!reached) throw new Error(`Rebuild of ${this.name} stopped: ${this.failure?.error ?? 'the runner was stopped'}`);
  }

  /** Applies a batch to the projection in the caller's transaction, which must also move the checkpoint past it. */
  private async project(trx: Queryable<DB>, events: readonly RecordedEvent<E>[]): Promise<void> {
    if (this.options.leadership) await this.assertCheckpointUnmoved(trx);
    await this.projection.apply(trx, events);
  }

  /** The checkpoint row of a projection that applied the log up to `position` without failing. */
  private checkpointAt(position: number): CheckpointRow {
    return { name: this.name, position, failed_position: null, error: null, updated_at: this.now() };
  }

  /** The transaction that wrote `count` events up to `position` (this runner's, a shared pass's or the live loop's) committed. */
  private applied(position: number, count: number): void {
    this.checkpoint = position;
    this.recovered();
    if (this.rebuildProgress) this.rebuildProgress.processed += count;
    for (const waiter of [...this.waiters]) waiter.resolve(waiter.position <= this.checkpoint);
  }

  /** Resolves true once the read model reflects `position`, false after `timeoutMs` or if the projection fails. */
  waitForPosition(position: number, timeoutMs: number, onAdvance?: () => void): Promise<boolean> {
    if (this.checkpoint >= position) return Promise.resolve(true);
    if (this.state === 'failed' || timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = Number.isFinite(timeoutMs) ? setTimeout(() => settle(false), timeoutMs) : undefined;
      const waiter: Waiter = {
        position,
        resolve: (reached) => {
          onAdvance?.();
          if (reached || this.state === 'failed') settle(reached);
        },
      };
      const settle = (reached: boolean) => {
        if (timer) clearTimeout(timer);
        this.waiters = this.waiters.filter((other) => other !== waiter);
        resolve(reached);
      };
      this.waiters.push(waiter);
    });
  }

  async status(): Promise<ProjectionStatus> {
    // One consistent reading: the runner moves on while a remote store answers.
    const { checkpoint, state } = this;
    let headPosition: number;
    let events: number;
    let oldestPending: string | undefined;
    let storeError: string | undefined;
    try {
      [headPosition, events, oldestPending] = await Promise.all([
        this.store.headPosition(),
        this.store.countEventsAfter(checkpoint),
        this.recordedAtOfNext(checkpoint),
      ]);
      this.lastKnownLog = { headPosition, events };
    } catch (error) {
      // The status must answer while the event store is unreachable: say so, with the last figures known.
      storeError = `event store unreachable: ${error instanceof Error ? error.message : String(error)}`;
      ({ headPosition, events } = this.lastKnownLog ?? { headPosition: checkpoint, events: 0 });
    }
    const subscription = this.store.subscriptionStatus?.();
    const seconds = oldestPending ? Math.max(0, (this.options.clock.now().getTime() - Date.parse(oldestPending)) / 1000) : 0;
    return {
      name: this.name,
      state,
      checkpoint,
      headPosition,
      lag: { events, seconds },
      ...(this.failure ? { failure: this.failure } : {}),
      ...((storeError ?? this.lastError) ? { lastError: storeError ?? this.lastError } : {}),
      ...(this.troubleSince ? { since: this.troubleSince.toISOString() } : {}),
      ...(this.rebuildProgress ? { rebuild: this.rebuildProgress } : {}),
      ...(this.options.leadership ? { role: this.options.leadership.isLeader ? ('leader' as const) : ('standby' as const) } : {}),
      ...(subscription ? { subscription } : {}),
    };
  }

  /** When the first event after `position` was recorded (an event the store refuses to read counts too). */
  private async recordedAtOfNext(position: number): Promise<string | undefined> {
    try {
      return (await this.store.readAll({ after: position, maxCount: 1 }))[0]?.recordedAt;
    } catch (error) {
      const unreadable = asProjectionEventError(error);
      if (unreadable) return unreadable.event.recordedAt;
      throw error;
    }
  }

  private get active(): boolean {
    return this.state === 'running' || this.state === 'rebuilding' || this.state === 'retrying';
  }

  private async run(): Promise<void> {
    let retryDelayMs = 100;
    while (this.active) {
      try {
        if (await this.standBy()) continue;
        this.appendedSinceRead = false;
        const started = performance.now();
        const wanted = this.slice.upTo(
          this.state === 'rebuilding' ? (this.options.rebuildBatchSize ?? this.batchSize * 10) : this.batchSize,
        );
        const page = await checkedPage(this.store, this.checkpoint, wanted);
        const { events } = page;
        const readMs = performance.now() - started;
        if (events.length === 0) {
          this.recovered();
          if (!this.appendedSinceRead) await this.waitForMore();
          continue;
        }
        await this.applyBatch(page);
        this.slice.took(events.length, performance.now() - started, readMs);
        retryDelayMs = 100;
        // Catching up (a full batch, more behind it): reads and applies may all resolve synchronously (SQLite), so
        // let requests in between batches. A batch that emptied the log goes straight on to wait for more.
        if (events.length >= wanted) await backgroundTurn();
      } catch (error) {
        const eventError = asProjectionEventError(error);
        if (eventError) {
          await this.fail(eventError);
          return;
        }
        if (error instanceof CheckpointMovedError) {
          this.logger.log(`${error.message}; continuing from there`);
          this.checkpoint = error.position;
          for (const waiter of [...this.waiters]) waiter.resolve(waiter.position <= this.checkpoint);
          continue;
        }
        // The read store or event store is unreachable (an error no event was found to cause): retrying is safe.
        this.lastError = error instanceof Error ? error.message : String(error);
        if (this.state === 'running') this.state = 'retrying';
        if (!this.troubleSince) {
          this.troubleSince = new Date();
          this.logger.warn(`${this.lastError}; retrying with backoff until it answers`);
        }
        // An append wakes a backing-off runner to try again at once; only a wait that ran its course lengthens the next.
        if (!(await this.idle(retryDelayMs))) retryDelayMs = Math.min(retryDelayMs * 2, 5_000);
      }
    }
  }

  private async applyBatch({ sound, broken }: CheckedPage<E>): Promise<void> {
    // An event that does not hash to its recorded hash was altered in the store: apply what precedes it, then stop at it, as at a poison event.
    if (sound.length > 0) await this.applyFindingCulprit(sound);
    if (broken) throw broken;
  }

  /**
   * Applies `events` in one transaction. Where that fails and the error is not known to be the stores', it may be one
   * event's (a TypeError in an evolve, a constraint the data breaks): each half is applied in turn, down to the one event
   * that fails alone, so that every event before it is applied and checkpointed and the projection stops at it.
   */
  private async applyFindingCulprit(events: RecordedEvent<E>[]): Promise<void> {
    try {
      await this.readStore.db.transaction().execute(async (trx) => {
        await this.project(trx, events);
        await writeCheckpoint(trx, this.checkpointAt(events[events.length - 1].position));
      });
    } catch (error) {
      // An event the projection names, a checkpoint another instance moved, the stores gone: nothing to look for.
      if (error instanceof ProjectionEventError || error instanceof CheckpointMovedError || isStoreOutage(error)) throw error;
      if (events.length === 1) throw (await this.readStoreTakesWrites()) ? new ProjectionEventError(events[0], error) : error;
      const half = Math.ceil(events.length / 2);
      await this.applyFindingCulprit(events.slice(0, half));
      await this.applyFindingCulprit(events.slice(half));
      return;
    }
    this.applied(events[events.length - 1].position, events.length);
  }

  /**
   * Whether the read store commits a transaction without the event that just failed alone: if so the failure is the
   * event's; if not, the store's (closed, unreachable, read-only), and the batch is retried. The transaction writes
   * the checkpoint as it stands, under the leader's check where instances share the store.
   */
  private async readStoreTakesWrites(): Promise<boolean> {
    try {
      await this.readStore.db.transaction().execute(async (trx) => {
        if (this.options.leadership) await this.assertCheckpointUnmoved(trx);
        await writeCheckpoint(trx, this.checkpointAt(this.checkpoint));
      });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Caught up with the log: waits for more. A live runner with a live catch-up loop hands its projection to that loop, and
   * goes on alone (from wherever the loop took it) once the loop hands it back; others idle until an append or the idle poll.
   */
  private async waitForMore(): Promise<void> {
    if (this.options.liveCatchUp && this.carriedLive()) await this.options.liveCatchUp.carry(this.asLiveMember());
    else await this.idle(this.idlePollMs);
  }

  /** Whether the live catch-up loop may apply events for this runner: running (not rebuilding, retrying or failed), and leading. */
  private carriedLive(): boolean {
    return this.state === 'running' && (this.options.leadership?.isLeader ?? true);
  }

  private asLiveMember(): LiveMember<E, DB> {
    return {
      name: this.name,
      position: () => this.checkpoint,
      stays: () => this.carriedLive(),
      project: (trx, events) => this.project(trx, events),
      checkpointAt: (position) => this.checkpointAt(position),
      applied: (events) => this.applied(events[events.length - 1].position, events.length),
    };
  }

  /** The stores answer again: back to running, said once. */
  private recovered(): void {
    this.lastError = undefined;
    if (this.state === 'retrying') this.state = 'running';
    if (!this.troubleSince) return;
    this.logger.log(`recovered after ${Math.round((Date.now() - this.troubleSince.getTime()) / 1000)} s`);
    this.troubleSince = undefined;
  }

  private async fail(error: ProjectionEventError): Promise<void> {
    this.state = 'failed';
    this.failure = { position: error.event.position, error: error.message };
    this.logger.error(`stopped: ${error.message}`);
    await writeCheckpoint(this.readStore.db, {
      name: this.name,
      position: this.checkpoint,
      failed_position: error.event.position,
      error: error.message,
      updated_at: this.now(),
    }).catch((cause: unknown) => this.logger.error(`could not record the failure: ${String(cause)}`));
    for (const waiter of [...this.waiters]) waiter.resolve(false);
  }

  /** True while another instance leads this projection: follows its checkpoint, tries to take over, waits. */
  private async standBy(): Promise<boolean> {
    const leadership = this.options.leadership;
    if (!leadership || leadership.isLeader) return false;
    if (await leadership.tryAcquire()) {
      // Whatever the last leader applied is in the read store: continue from its checkpoint.
      this.checkpoint = (await readCheckpoint(this.readStore.db, this.name))?.position ?? 0;
      this.standingBy = false;
      return false;
    }
    this.standingBy = true;
    const stored = await readCheckpoint(this.readStore.db, this.name);
    this.checkpoint = stored?.position ?? 0;
    this.recovered();
    this.failure = stored?.failed_position != null ? { position: stored.failed_position, error: stored.error ?? '' } : undefined;
    for (const waiter of [...this.waiters]) waiter.resolve(waiter.position <= this.checkpoint);
    await this.idle(leadership.retryMs);
    return true;
  }

  /** The leader's batch commits only if the checkpoint is still where this runner left it (the row is locked until commit). */
  private async assertCheckpointUnmoved(trx: Queryable<DB>): Promise<void> {
    const stored = await lockCheckpoint(trx, this.name);
    if (stored !== this.checkpoint) throw new CheckpointMovedError(stored);
  }

  private async ensureCheckpointRow(): Promise<void> {
    await ensureCheckpoint(this.readStore.db, this.checkpointAt(0));
  }

  /** Waits `ms`, or less when woken (an append, stop()): resolves true when woken early. */
  private idle(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      // stop() may have come while the loop was reading: its wake-up found no sleeper, so do not start one.
      if (!this.active) return resolve(true);
      const timer = setTimeout(() => resolve(false), ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  private now(): string {
    return this.options.clock.now().toISOString();
  }
}

/** An event this projection cannot take: one it failed to apply, or one the event store could not read (unknown type, failed upcast). */
function asProjectionEventError(error: unknown): ProjectionEventError | undefined {
  if (error instanceof ProjectionEventError) return error;
  if (error instanceof StoredEventError) return new ProjectionEventError(error.event, error);
  return undefined;
}

/** The log as a rebuild starts: the position it must reach, and how many events that is. */
async function logExtent(store: EventStore<DomainEvent>): Promise<{ target: number; total: number }> {
  const [target, total] = await Promise.all([store.headPosition(), store.countEventsAfter(0)]);
  return { target, total };
}
