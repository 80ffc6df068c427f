import type { DomainEvent } from '../decider';
import type { EventStore, RecordedEvent } from '../event-store/event-store.port';
import { eventBreak } from '../event-store/hash-chain';
import type { ReadStore, ReadStoreDialect } from '../read-store/read-store';
import { ProjectionEventError } from './projection';

export interface BatchSliceOptions {
  /** How long a batch may take, read and applied; `Infinity` keeps every batch at the size asked for. */
  readonly targetMs: number;
  /** Timings taken while requests interleave overstate the cost; a batch never shrinks below this. */
  readonly minSize: number;
  /**
   * The event store reads on the caller's thread (the embedded store): a read holds requests back as applying does, and
   * costs by the event, so it counts in the batch's time. Otherwise a read is a wait for a server, with the thread free.
   */
  readonly readsHoldThread?: boolean;
}

/**
 * On SQLite a batch is read and applied without a pause: it holds the thread and requests queue behind it, so batches are
 * kept short. Measured on the HTTP mix (session 6, the service side by side with itself, interleaved runs of 8 s, quiet
 * 2-core machine): batches of about 4 ms rather than 20 ms (at least 4 events rather than 25) took 986–1,041 req/s rather
 * than 686–725 at 64 connections (CPU per request 1.04–1.14 ms rather than 1.46–1.78) and p99 at 16 connections 39–42 ms
 * rather than 51–68. On PostgreSQL a batch mostly waits for the server, with the thread free, and each transaction costs
 * round trips: longer batches.
 */
const SLICES: Record<ReadStoreDialect, BatchSliceOptions> = {
  sqlite: { targetMs: 4, minSize: 4 },
  postgres: { targetMs: 20, minSize: 25 },
};

/**
 * A batch spends at least this many times its read's time applying: where a read is a round trip (EventStoreDB, some
 * milliseconds), short batches would spend a catch-up waiting on reads (a backlog applied at a fraction of the speed,
 * read-your-writes waits running out). An embedded store's read is no wait: it is part of the batch's time.
 */
const APPLY_PER_READ = 4;

/**
 * The size of the next batch: what fits in the target from what batches have cost so far (moving averages of the read
 * and of applying an event), never more than the configured size. Requests wait at most about one batch, whatever a
 * projection costs per event.
 */
export class BatchSlice {
  private applyMsPerEvent?: number;
  private readMs = 0;
  private fitting: number;

  constructor(private readonly options: BatchSliceOptions) {
    this.fitting = Number.isFinite(options.targetMs) ? 50 : Number.POSITIVE_INFINITY;
  }

  /** The slice for a read store and an event store whose reads do or do not hold the thread: `targetMs` overrides its default length. */
  static for(
    dialect: ReadStoreDialect,
    { targetMs, readsHoldThread = false }: { targetMs?: number; readsHoldThread?: boolean } = {},
  ): BatchSlice {
    return new BatchSlice({ ...SLICES[dialect], ...(targetMs === undefined ? {} : { targetMs }), readsHoldThread });
  }

  /** The slice for work that reads `store` and writes `readStore`. */
  static between(
    store: Pick<EventStore, 'readsHoldThread'>,
    readStore: Pick<ReadStore<unknown>, 'dialect'>,
    targetMs?: number,
  ): BatchSlice {
    return BatchSlice.for(readStore.dialect, { targetMs, readsHoldThread: store.readsHoldThread });
  }

  /** Every batch at the size asked for (`redress rebuild`, alone with its stores). */
  static unbounded(): BatchSlice {
    return new BatchSlice({ targetMs: Number.POSITIVE_INFINITY, minSize: 1 });
  }

  /** The next batch's size: what fits in the target, never more than `max` (the configured batch, or a rebuild's page). */
  upTo(max: number): number {
    return Math.min(max, this.fitting);
  }

  /** A batch of `events` took `ms` in all, `readMs` of it reading them. */
  took(events: number, ms: number, readMs = 0): void {
    if (events === 0) return;
    const waitedMs = this.options.readsHoldThread ? 0 : readMs;
    const applyCost = Math.max(ms - waitedMs, 0) / events;
    this.applyMsPerEvent = this.applyMsPerEvent === undefined ? applyCost : 0.7 * this.applyMsPerEvent + 0.3 * applyCost;
    this.readMs = 0.7 * this.readMs + 0.3 * waitedMs;
    const applyBudget = Math.max(this.options.targetMs - this.readMs, APPLY_PER_READ * this.readMs);
    this.fitting = Math.max(this.options.minSize, Math.floor(applyBudget / Math.max(this.applyMsPerEvent, 0.001)));
  }
}

/** The events before the first one that does not hash to its recorded hash, and that one's error; each event hashed once. */
export function untilBroken<E extends DomainEvent>(
  events: RecordedEvent<E>[],
): { sound: RecordedEvent<E>[]; broken?: ProjectionEventError } {
  for (let index = 0; index < events.length; index++) {
    const event = events[index];
    const reason = eventBreak(event);
    if (reason !== undefined)
      return {
        sound: events.slice(0, index),
        broken: new ProjectionEventError(event, new Error(`${event.streamName} revision ${event.revision}: ${reason}`)),
      };
  }
  return { sound: events };
}

/** A page of the log, and the part of it that hashes soundly (see `untilBroken`). */
export interface CheckedPage<E extends DomainEvent> {
  readonly events: RecordedEvent<E>[];
  readonly sound: RecordedEvent<E>[];
  readonly broken?: ProjectionEventError;
}

/**
 * The next page of the log for a live projection, checked: this process's own latest appends as the store holds them
 * when it can vouch they are the log's head (it hashed them from those bytes: reading them back, parsing and hashing them
 * again would find the same), else read and hashed. Under the HTTP mix that was about 5 % of the service's CPU.
 */
export async function checkedPage<E extends DomainEvent>(store: EventStore<E>, after: number, maxCount: number): Promise<CheckedPage<E>> {
  const appended = store.appendedAfter?.(after, maxCount);
  if (appended) return { events: appended, sound: appended };
  const events = await store.readAll({ after, maxCount });
  return { events, ...untilBroken(events) };
}
