import type { DomainEvent } from '../decider';

/**
 * The event-store port. Adapters (embedded SQLite, EventStoreDB) implement it and pass the
 * same contract suite (test/contract/event-store.contract.ts).
 *
 * Revisions are 0-based per stream; positions are the global log order, strictly increasing,
 * and opaque apart from their order.
 *
 * `E` is what the store's events are known to be. The adapters know only a type name and a
 * payload (`DomainEvent`, the default); the upcasting store (upcasting-event-store.ts) reads
 * them through a catalogue of event types and yields typed events.
 */

export interface EventMetadata {
  readonly [key: string]: unknown;
}

/** An event to append: the domain event, its id and its metadata. */
export type NewEvent<E extends DomainEvent = DomainEvent> = E & {
  /** UUID. Deterministic from the command's idempotency key, so a retried command is a no-op. */
  readonly id: string;
  readonly metadata: EventMetadata;
};

/** What the store records around a domain event. */
export interface RecordedEnvelope {
  readonly id: string;
  readonly streamName: string;
  readonly metadata: EventMetadata;
  readonly revision: number;
  readonly position: number;
  readonly recordedAt: string;
}

/** A stored event: the domain event (its type narrows its data) in its envelope. */
export type RecordedEvent<E extends DomainEvent = DomainEvent> = E & RecordedEnvelope;

/** `no_stream`: the stream must not exist; `stream_exists`: it must; a number: its last revision must be exactly that. */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendResult<E extends DomainEvent = DomainEvent> {
  /** The stream's revision after the append (the last appended event's revision). */
  readonly nextExpectedRevision: number;
  /** The global position of the last appended event. */
  readonly position: number;
  /** True when every event id was already in the store: nothing was written, the original result is returned. */
  readonly duplicate: boolean;
  /**
   * The appended events exactly as a read of them would return them, from stores that can say so without reading
   * (the embedded store); never for a duplicate.
   */
  readonly recorded?: readonly RecordedEvent<E>[];
}

/** A stream's last revision and the hash recorded on it. */
export interface KnownHead {
  readonly revision: number;
  readonly hash: unknown;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events after this position. Omit to read from the start of the log. */
  readonly after?: number;
  readonly maxCount?: number;
}

export type Unsubscribe = () => void;

export interface EventStore<E extends DomainEvent = DomainEvent> {
  /**
   * Appends atomically. The store adds `prevHash` and `hash` (see hash-chain.ts) to each event's
   * metadata, chaining it to the stream's previous event, so tampering with the log is evident.
   */
  appendToStream(streamName: string, events: readonly NewEvent<E>[], expectedRevision?: ExpectedRevision): Promise<AppendResult<E>>;
  /** The events of one stream; an unknown stream reads as empty. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent<E>[]>;
  /** The global log in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent<E>[]>;
  /** The position of the last event in the log; 0 when the log is empty. */
  headPosition(): Promise<number>;
  /** How many events lie after `position` (projection lag). */
  countEventsAfter(position: number): Promise<number>;
  /** The recorded event with this id, if any (used to answer retried commands). */
  findEventById(id: string): Promise<RecordedEvent<E> | undefined>;
  /** Calls `listener` after each commit that wrote events (not after duplicates), with the last position it wrote; concurrent appends may share one commit. */
  onAppended(listener: (lastPosition: number) => void): Unsubscribe;
  /**
   * Stores that learn of other processes' appends over a live subscription (EventStoreDB) say
   * how it is doing; the embedded store has none and leaves this out.
   */
  subscriptionStatus?(): LiveSubscriptionStatus | undefined;
  /**
   * The stream's head as this store last appended it, when the store can vouch, without reading, that nothing was
   * written to its log since (by this process or any other); undefined when only a read can tell.
   */
  knownHead?(streamName: string): KnownHead | undefined;
  /**
   * The log after `after` (at most `maxCount` events) as this store appended it, when the store can vouch, without
   * reading, that those events are the log from there to its head (nothing else was written to it since); undefined when
   * only a read can tell. This process hashed them from these very bytes, so a reader that checks the chain may take them
   * as checked: the live projections do, an audit never does (it reads what is stored).
   */
  appendedAfter?(after: number, maxCount: number): RecordedEvent<E>[] | undefined;
  /**
   * True where a read runs on the caller's thread (the embedded store): requests wait while it reads, in proportion to the
   * events read, so long work sizes its pages by it. Absent where a read is a wait for a server, with the thread free.
   */
  readonly readsHoldThread?: boolean;
  close(): Promise<void>;
}

/** The state of a store's live subscription to the global log (shown in GET /projections). */
export interface LiveSubscriptionStatus {
  /** `connecting` until the server confirms, `live` while it delivers, `reconnecting` after a drop (with backoff). */
  readonly state: 'idle' | 'connecting' | 'live' | 'reconnecting' | 'stopped';
  /** The last global position the subscription delivered or checkpointed; it resumes after it. */
  readonly lastPosition?: number;
  /** How many times it was re-established after a drop. */
  readonly reconnects: number;
  readonly lastError?: string;
  /** When the state last changed (ISO 8601). */
  readonly since: string;
}

export const EVENT_STORE = Symbol('EventStore');

/** The stream's revision was not what the append expected. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamName} expected at revision ${String(expected)} but is at ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** The event store did not answer (unreachable, connection dropped, no leader): the command was not decided; retry it. */
export class EventStoreUnavailableError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly retryAfterSeconds = 2,
  ) {
    super(`The event store is unavailable: ${cause instanceof Error ? cause.message || cause.name : String(cause)}`);
    this.name = 'EventStoreUnavailableError';
  }
}
