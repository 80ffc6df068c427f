import type { DomainEvent } from '../decider';
import type { EventStore, RecordedEvent, Unsubscribe } from '../event-store/event-store.port';
import type { Queryable, ReadStore } from '../read-store/read-store';
import { type CheckpointRow, type CheckpointTables, writeCheckpoints } from './checkpoints';
import { backgroundTurn } from '../background-turn';
import { BatchSlice, checkedPage } from './log-pages';

/** What the shared loop needs of a runner it carries (a ProjectionRunner hands it over once it has caught up). */
export interface LiveMember<E extends DomainEvent, DB> {
  readonly name: string;
  /** The global position of the last event applied to the projection. */
  position(): number;
  /** Whether it still takes the shared passes: running, and leading where several instances share the read store. */
  stays(): boolean;
  /** Applies `events` to the projection in the caller's transaction (which then moves the checkpoint). */
  project(trx: Queryable<DB>, events: readonly RecordedEvent<E>[]): Promise<void>;
  /** The checkpoint row that says the projection has applied the log up to `position`. */
  checkpointAt(position: number): CheckpointRow;
  /** The transaction that wrote `events` committed. */
  applied(events: readonly RecordedEvent<E>[]): void;
}

export interface LiveCatchUpOptions {
  /** The most events one pass reads (BatchSlice keeps a pass short). */
  readonly batchSize?: number;
  /** How long a pass may take (log-pages.ts: by read store); `Infinity` keeps every pass at `batchSize`. */
  readonly batchMs?: number;
  /** How often an idle loop looks for events appended by other processes. */
  readonly idlePollMs?: number;
  /** The least time from the start of one pass to the start of the next (see `coalesce`). */
  readonly passIntervalMs?: number;
  /** How many full pages in a row the loop reads before it hands a backlog to the runners (see `pass`). */
  readonly backlogPages?: number;
}

/**
 * By default a pass starts as soon as an append wakes the loop. With an interval, passes start at most that often: under
 * load every group commit wakes the loop, and a pass for each carries one or two commands' events and pays a pass's fixed
 * costs (a read, a transaction, each projection's queries) for each; waiting out the rest of the interval lets the appends
 * of that time share one pass (5 ms: 5–10 % more commands per second at 64 connections). It is off by default because it
 * also delays the read models by up to the interval for readers that do not ask to read their writes.
 */
const PASS_INTERVAL_MS = 0;

/**
 * Under load a pass often finds more than a page waiting (64 connections append faster than one page applies), which
 * used to hand every member back to its runner at once: seven runners then each read, hash-checked and committed the same
 * events apart, the dearest way to apply them, just when the machine was busiest. A backlog of a few pages is now read on
 * together, page by page with requests let in between; only a loop that reads this many full pages in a row is behind by
 * more than load (a restart, a rebuild, a long outage) and lets each runner catch up at its own pace.
 */
const BACKLOG_PAGES = 10;

interface Carried<E extends DomainEvent, DB> {
  readonly member: LiveMember<E, DB>;
  /** Hands the member back to its own runner's loop. */
  readonly release: () => void;
}

/**
 * One live loop for the projections of one event store and read store. Each runner catches up on its own (at start,
 * after a failure, a rebuild or an outage, or when far behind: see BACKLOG_PAGES) and, once it has read the log to its end,
 * hands itself to this loop; from then on each page of new events is read once, each event's hash checked once, and
 * the page applied to every carried projection in one read-store transaction that moves all their checkpoints. Appends
 * made while a pass runs wait for the next, which carries them all. A page that cannot go through that way
 * (an event a projection refuses, an altered event, a store unreachable, a checkpoint another instance moved) hands
 * every member back to its own runner, which applies it alone and says why it cannot, exactly as it would have without
 * this loop; each comes back once it has caught up again.
 */
export class LiveCatchUp<E extends DomainEvent, DB extends CheckpointTables> {
  private readonly batchSize: number;
  private readonly idlePollMs: number;
  private readonly slice: BatchSlice;
  private members: Carried<E, DB>[] = [];
  private joining: Carried<E, DB>[] = [];
  private running = false;
  /** Set by every append and every poke; lets the loop see one that landed while it was reading. */
  private poked = false;
  private wake?: () => void;
  private readonly passIntervalMs: number;
  private lastPassAt = Number.NEGATIVE_INFINITY;
  private readonly backlogPages: number;
  /** Full pages read in a row by the passes so far. */
  private fullPages = 0;

  constructor(
    private readonly store: EventStore<E>,
    private readonly readStore: ReadStore<DB>,
    options: LiveCatchUpOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.slice = BatchSlice.between(store, readStore, options.batchMs);
    this.idlePollMs = options.idlePollMs ?? 1000;
    this.passIntervalMs = options.passIntervalMs ?? PASS_INTERVAL_MS;
    this.backlogPages = options.backlogPages ?? BACKLOG_PAGES;
  }

  /** Carries a runner's projection from its position on; resolves when it is handed back to its runner's loop. */
  carry(member: LiveMember<E, DB>): Promise<void> {
    return new Promise((release) => {
      this.joining.push({ member, release });
      if (this.running) this.poke();
      else void this.run();
    });
  }

  /** Something changed (an append, a member stopping): the loop looks again, after the pass under way if any. */
  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    this.running = true;
    const unsubscribe: Unsubscribe = this.store.onAppended(() => this.poke());
    try {
      while (this.admit()) {
        this.poked = false;
        // Whatever stops a pass (a store unreachable, an event refused or altered), each runner meets again alone.
        if (!(await this.pass().catch(() => false))) this.releaseAll();
      }
    } finally {
      // Set before anyone can ask to be carried again: a member arriving now starts a new loop.
      this.running = false;
      unsubscribe();
      this.releaseAll();
    }
  }

  /** Takes in the members waiting to join, hands back those that left; true while there is anyone to carry. */
  private admit(): boolean {
    const everyone = [...this.members, ...this.joining.splice(0)];
    // In name order: instances that share a read store lock the checkpoint rows (leadership) in the same order.
    this.members = everyone.filter((carried) => carried.member.stays()).sort((a, b) => (a.member.name < b.member.name ? -1 : 1));
    for (const carried of everyone) if (!this.members.includes(carried)) carried.release();
    return this.members.length > 0;
  }

  /** Reads and applies one page from the least advanced member's position; false (or throws) when the members must go on alone. */
  private async pass(): Promise<boolean> {
    await this.coalesce();
    const started = performance.now();
    const wanted = this.slice.upTo(this.batchSize);
    const from = Math.min(...this.members.map(({ member }) => member.position()));
    const { events, sound, broken } = await checkedPage(this.store, from, wanted);
    const readMs = performance.now() - started;
    if (events.length === 0) {
      if (!this.poked) await this.idle();
      return true;
    }
    if (sound.length > 0) await this.applyToAll(sound);
    if (broken) return false;
    this.slice.took(events.length, performance.now() - started, readMs);
    if (events.length < wanted) {
      this.fullPages = 0;
      return true;
    }
    // A full page has more behind it. Far behind (see BACKLOG_PAGES), each runner catches up on its own, its pages sized to
    // what it alone costs (a shared page must fit every projection's cost in one slice), and comes back at the head.
    if (++this.fullPages >= this.backlogPages) return false;
    // Reads and applies may all resolve synchronously (SQLite): requests go in between pages.
    await backgroundTurn();
    return true;
  }

  /** One transaction: each member gets the events past its own position (a member that just joined may be a few ahead). */
  private async applyToAll(events: readonly RecordedEvent<E>[]): Promise<void> {
    const pages = this.members
      .map(({ member }) => ({ member, events: eventsAfter(events, member.position()) }))
      .filter((page) => page.events.length > 0);
    await this.readStore.db.transaction().execute(async (trx) => {
      for (const { member, events: page } of pages) await member.project(trx, page);
      await writeCheckpoints(
        trx,
        pages.map(({ member, events: page }) => member.checkpointAt(page[page.length - 1].position)),
      );
    });
    for (const { member, events: page } of pages) member.applied(page);
  }

  /** Waits out the rest of the pass interval since the last pass began, so that appends arriving meanwhile share the next. */
  private async coalesce(): Promise<void> {
    const wait = this.lastPassAt + this.passIntervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.lastPassAt = performance.now();
  }

  private releaseAll(): void {
    for (const carried of [...this.members, ...this.joining.splice(0)]) carried.release();
    this.members = [];
    this.fullPages = 0;
  }

  /** Waits for a poke (an append, a member leaving) or the idle poll. */
  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.idlePollMs);
      this.wake = done;
    });
  }
}

function eventsAfter<E extends DomainEvent>(events: readonly RecordedEvent<E>[], position: number): readonly RecordedEvent<E>[] {
  const first = events.findIndex((event) => event.position > position);
  return first === -1 ? [] : events.slice(first);
}
