import {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  JSONType,
  NO_STREAM,
  NotLeaderError,
  Position,
  ResolvedEvent,
  START,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import { status as grpcStatus } from '@grpc/grpc-js';
import { Logger } from '@nestjs/common';
import { GENESIS_HASH, HASH_VERSION, chainedMetadata } from './hash-chain';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  LiveSubscriptionStatus,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  EventStoreUnavailableError,
  RecordedEvent,
  Unsubscribe,
  WrongExpectedRevisionError,
} from './event-store.port';

export interface EsdbEventStoreOptions {
  /** The streams that belong to this application; everything else in $all (system events, other apps) is not ours. */
  readonly streamPrefixes: readonly string[];
  /** Backoff of the live subscription after a drop: first delay, doubling up to the maximum. */
  readonly reconnectDelayMs?: { readonly initial: number; readonly max: number };
  readonly logger?: Pick<Logger, 'log' | 'warn' | 'error'>;
}

type AnyResolvedEvent = ResolvedEvent | AllStreamResolvedEvent;
type StoredRecord = NonNullable<AnyResolvedEvent['event']>;

/** Concurrent appends with `any`/`stream_exists` re-read and retry this many times before giving up. */
const MAX_APPEND_ATTEMPTS = 20;
/** Events per backwards page when a stream is scanned for its tail and for already written ids. */
const STREAM_SCAN_PAGE = 200;
/** Records per page of $all; system events and other applications' streams are skipped in between. */
const ALL_PAGE = 512;
/** Event ids this process has written or read, and where: how findEventById finds retried commands. */
const KNOWN_IDS_LIMIT = 100_000;
/**
 * After a dropped connection or a leader change the client reconnects on the next call, so a
 * call that met one is made again after these pauses. Appends may be repeated: they carry an
 * exact expected revision and fixed event ids, so a write that did land is answered idempotently.
 */
const RECONNECT_PAUSES_MS = [50, 250, 1000];

/**
 * The event-store port over EventStoreDB / KurrentDB, through the official gRPC client.
 *
 * - Appends always go to the server with the exact revision the adapter read (the stream's last
 *   event gives the hash the new events chain to), so the hash chain can never fork: `any` and
 *   `stream_exists` are resolved here and retried on a race; a caller's own revision is not.
 * - Re-appending events whose ids are already in the stream returns the original result
 *   (`duplicate: true`), as the port requires, whether the adapter sees them first or the
 *   server's idempotency check answers (a concurrent copy of the same command).
 * - Positions are the $all commit positions of the events (unique and increasing for events
 *   appended without explicit transactions, which is all this adapter writes).
 * - The global log is $all restricted to the application's stream prefixes, without system
 *   events. Other processes' appends arrive over a catch-up subscription to $all with a
 *   server-side stream-prefix filter, which resumes after the last position it saw when it is
 *   dropped (bounded exponential backoff, logged, reported by `subscriptionStatus()`).
 */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly prefixes: readonly string[];
  private readonly logger: Pick<Logger, 'log' | 'warn' | 'error'>;
  private readonly reconnectDelayMs: { readonly initial: number; readonly max: number };
  private readonly knownIds = new Map<string, { readonly streamName: string; readonly revision: number }>();
  private readonly listeners = new Set<(position: number) => void>();
  /** The highest position listeners were told about: a local append and its echo on the subscription wake them once. */
  private notifiedUpTo = 0;
  private live?: { stop(): Promise<void> };
  private status: LiveSubscriptionStatus = { state: 'idle', reconnects: 0, since: new Date().toISOString() };
  private closed = false;

  constructor(connectionString: string, options: EsdbEventStoreOptions) {
    this.client = EventStoreDBClient.connectionString(normaliseConnectionString(connectionString));
    this.prefixes = options.streamPrefixes;
    this.logger = options.logger ?? new Logger('EventStoreDB');
    this.reconnectDelayMs = options.reconnectDelayMs ?? { initial: 250, max: 30_000 };
  }

  async appendToStream(streamName: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision = 'any'): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    for (let attempt = 1; ; attempt++) {
      const tail = await this.scanStream(streamName, events[0].id);
      if (tail.from) return this.duplicateResult(streamName, events, tail.from);
      const current = tail.last?.revision ?? null;
      assertExpected(streamName, expectedRevision, current);

      let prevHash = tail.last ? String(tail.last.metadata['hash'] ?? GENESIS_HASH) : GENESIS_HASH;
      const recordedAt = new Date().toISOString();
      const proposed = events.map((event, index) => {
        const metadata = chainedMetadata(
          {
            streamName,
            revision: (current ?? -1) + 1 + index,
            type: event.type,
            data: event.data,
            metadata: { ...event.metadata, hashVersion: HASH_VERSION, recordedAt },
          },
          prevHash,
        );
        prevHash = metadata['hash'] as string;
        return { id: event.id, type: event.type, data: event.data, metadata };
      });
      try {
        await reconnecting(() =>
          this.client.appendToStream(
            streamName,
            proposed.map((event) => jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata: event.metadata })),
            { expectedRevision: current === null ? NO_STREAM : BigInt(current) },
          ),
        );
      } catch (error) {
        if (!(error instanceof EsdbWrongExpectedVersionError)) throw error;
        // Someone appended between the read and the write. For `any`/`stream_exists` that is ours to absorb.
        if ((expectedRevision === 'any' || expectedRevision === 'stream_exists') && attempt < MAX_APPEND_ATTEMPTS) {
          await pause(attempt);
          continue;
        }
        // It may have been a concurrent copy of these very events.
        const again = await this.scanStream(streamName, events[0].id);
        if (again.from) return this.duplicateResult(streamName, events, again.from);
        throw new WrongExpectedRevisionError(streamName, expectedRevision, actualRevision(error));
      }
      return this.confirmWritten(streamName, (current ?? -1) + 1, proposed);
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const fromRevision = options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision);
    let read: ResolvedEvent[];
    try {
      read = await reconnecting(() =>
        collect(
          this.client.readStream(streamName, {
            direction: backwards ? BACKWARDS : FORWARDS,
            fromRevision,
            ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
          }),
        ),
      );
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return read.flatMap((resolved) => this.toRecorded(resolved) ?? []);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    if (limit <= 0) return events;
    for await (const event of this.ourEventsAfter(options.after ?? 0)) {
      events.push(event);
      if (events.length >= limit) break;
    }
    return events;
  }

  async headPosition(): Promise<number> {
    let from: Position | typeof END = END;
    for (;;) {
      const page = await reconnecting(() => collect(this.client.readAll({ direction: BACKWARDS, fromPosition: from, maxCount: ALL_PAGE })));
      for (const resolved of page) {
        if (this.isOurs(resolved.event)) return Number(resolved.event!.position.commit);
      }
      if (page.length < ALL_PAGE) return 0;
      const last = commitOf(page[page.length - 1]);
      from = { commit: last, prepare: last };
    }
  }

  async countEventsAfter(position: number): Promise<number> {
    let count = 0;
    for await (const _event of this.ourEventsAfter(position)) count += 1;
    return count;
  }

  /**
   * The events this process has appended, read or received are indexed by id (bounded); the
   * command path reads a command's target stream before deciding, so a retried command is
   * recognised even when another instance handled it first.
   */
  async findEventById(id: string): Promise<RecordedEvent | undefined> {
    const known = this.knownIds.get(id);
    if (!known) return undefined;
    const [event] = await this.readStream(known.streamName, { fromRevision: known.revision, maxCount: 1 });
    if (event?.id === id) return event;
    this.knownIds.delete(id);
    return undefined;
  }

  onAppended(listener: (lastPosition: number) => void): Unsubscribe {
    this.listeners.add(listener);
    if (!this.live && !this.closed) this.live = this.startLiveSubscription();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.live) {
        const live = this.live;
        this.live = undefined;
        void live.stop();
      }
    };
  }

  subscriptionStatus(): LiveSubscriptionStatus {
    return this.status;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    const live = this.live;
    this.live = undefined;
    await live?.stop();
    await this.client.dispose();
  }

  // ---- appends --------------------------------------------------------------------------

  /**
   * The stream's last event (whose hash the next event chains to) and, when `firstId` is
   * already in the stream, the events from it on. Reads backwards from the end, a page at a time.
   */
  private async scanStream(streamName: string, firstId: string): Promise<{ last?: RecordedEvent; from?: RecordedEvent[] }> {
    const newestFirst: RecordedEvent[] = [];
    let fromRevision: number | undefined;
    for (;;) {
      const page = await this.readStream(streamName, { direction: 'backwards', fromRevision, maxCount: STREAM_SCAN_PAGE });
      newestFirst.push(...page);
      const at = newestFirst.findIndex((event) => event.id === firstId);
      if (at >= 0) return { last: newestFirst[0], from: newestFirst.slice(0, at + 1).reverse() };
      const oldest = page[page.length - 1];
      if (!oldest || page.length < STREAM_SCAN_PAGE || oldest.revision === 0) return { last: newestFirst[0] };
      fromRevision = oldest.revision - 1;
    }
  }

  /** Every proposed id must sit at consecutive revisions from the first: then nothing is written and the original result stands. */
  private duplicateResult(
    streamName: string,
    events: ReadonlyArray<{ readonly id: string }>,
    stored: readonly RecordedEvent[],
  ): AppendResult {
    const matches = events.every((event, index) => stored[index]?.id === event.id);
    if (!matches) throw new Error(`Some but not all of the events were already appended to ${streamName}`);
    const last = stored[events.length - 1];
    return { nextExpectedRevision: last.revision, position: last.position, duplicate: true };
  }

  /**
   * Reads back what the server reports written: it gives each event's exact position, and tells
   * our write from an idempotent answer to a concurrent copy of the same events (the ids match
   * but the hashes, which cover the metadata, do not).
   */
  private async confirmWritten(
    streamName: string,
    firstRevision: number,
    proposed: ReadonlyArray<{ id: string; metadata: Record<string, unknown> }>,
  ): Promise<AppendResult> {
    const stored = await this.readStream(streamName, { fromRevision: firstRevision, maxCount: proposed.length });
    if (stored.length !== proposed.length || stored.some((event, index) => event.id !== proposed[index].id)) {
      const again = await this.scanStream(streamName, proposed[0].id);
      if (again.from) return this.duplicateResult(streamName, proposed, again.from);
      throw new Error(`The append to ${streamName} was acknowledged but its events are not at revisions ${firstRevision}…`);
    }
    const last = stored[stored.length - 1];
    const ours = stored.every((event, index) => event.metadata['hash'] === proposed[index].metadata['hash']);
    if (ours) this.notify(last.position);
    return { nextExpectedRevision: last.revision, position: last.position, duplicate: !ours };
  }

  // ---- the global log -------------------------------------------------------------------

  /** This application's events after `position`, in log order, reading $all a page at a time. */
  private async *ourEventsAfter(position: number): AsyncGenerator<RecordedEvent> {
    let after = BigInt(position);
    for (;;) {
      // Reading from a position includes the event at it; it is skipped below.
      const from = after > 0n ? { commit: after, prepare: after } : START;
      const page = await reconnecting(() => collect(this.client.readAll({ direction: FORWARDS, fromPosition: from, maxCount: ALL_PAGE })));
      for (const resolved of page) {
        const commit = commitOf(resolved);
        if (commit <= after) continue;
        after = commit;
        const event = this.isOurs(resolved.event) ? this.toRecorded(resolved) : undefined;
        if (event) yield event;
      }
      if (page.length < ALL_PAGE) return;
    }
  }

  private isOurs(event: StoredRecord | undefined): boolean {
    if (!event || event.type.startsWith('$')) return false;
    return this.prefixes.some((prefix) => event.streamId.startsWith(prefix));
  }

  private toRecorded(resolved: AnyResolvedEvent): RecordedEvent | undefined {
    const event = resolved.event;
    if (!event || !event.position) return undefined;
    const recorded: RecordedEvent = {
      id: event.id,
      streamName: event.streamId,
      type: event.type,
      data: event.isJson ? event.data : JSON.parse(Buffer.from(event.data).toString('utf8')),
      metadata: (event.metadata ?? {}) as Record<string, unknown>,
      revision: Number(event.revision),
      position: Number(event.position.commit),
      // Hash version 2 events carry the instant the adapter recorded them, covered by their hash.
      recordedAt:
        typeof (event.metadata as Record<string, unknown> | undefined)?.['recordedAt'] === 'string'
          ? String((event.metadata as Record<string, unknown>)['recordedAt'])
          : event.created.toISOString(),
    };
    this.remember(recorded);
    return recorded;
  }

  private remember(event: RecordedEvent): void {
    this.knownIds.delete(event.id);
    this.knownIds.set(event.id, { streamName: event.streamName, revision: event.revision });
    if (this.knownIds.size > KNOWN_IDS_LIMIT) this.knownIds.delete(this.knownIds.keys().next().value!);
  }

  // ---- wake-ups -------------------------------------------------------------------------

  private notify(position: number): void {
    if (position <= this.notifiedUpTo) return;
    this.notifiedUpTo = position;
    for (const listener of [...this.listeners]) listener(position);
  }

  private setStatus(change: Partial<LiveSubscriptionStatus>): void {
    const state = change.state ?? this.status.state;
    this.status = { ...this.status, ...change, since: state !== this.status.state ? new Date().toISOString() : this.status.since };
  }

  /**
   * Subscribes to $all from the current end, filtered on the server to our stream prefixes,
   * and keeps it up: after a drop it resubscribes from the last position it saw (an event or
   * a checkpoint), so nothing appended meanwhile is missed.
   */
  private startLiveSubscription(): { stop(): Promise<void> } {
    let wanted = true;
    let current: AllStreamSubscription | undefined;
    let resumeFrom: Position | undefined;
    let cancelDelay: (() => void) | undefined;
    this.setStatus({ state: 'connecting', lastError: undefined });

    const run = async () => {
      let failures = 0;
      while (wanted) {
        try {
          const from = resumeFrom ?? (await this.rawHead()) ?? START;
          if (!wanted) break;
          const subscription = this.client.subscribeToAll({
            fromPosition: from,
            filter: streamNameFilter({
              prefixes: [...this.prefixes],
              checkpointReached: (_subscription, position) => {
                resumeFrom = position;
                this.setStatus({ lastPosition: Number(position.commit) });
              },
            }),
          });
          current = subscription;
          // The loop below sees a dropped stream as its iteration failing; the listener keeps an error emitted between reads from being unhandled.
          subscription.on('error', () => undefined);
          subscription.on('confirmation', () => {
            if (failures > 0)
              this.logger.log(
                `Subscription to $all re-established after ${failures} attempt(s), resuming after ${resumeFrom ? resumeFrom.commit : 'the head'}`,
              );
            failures = 0;
            this.setStatus({ state: 'live' });
          });
          for await (const resolved of subscription) {
            const event = resolved.event;
            if (!event?.position) continue;
            const commit = event.position.commit;
            resumeFrom = { commit, prepare: commit };
            this.setStatus({ lastPosition: Number(commit) });
            if (this.isOurs(event)) {
              this.toRecorded(resolved);
              this.notify(Number(commit));
            }
          }
          if (!wanted) break;
          throw new Error('the server ended the subscription');
        } catch (error) {
          if (!wanted) break;
          failures += 1;
          const message = error instanceof Error ? error.message || error.constructor.name : String(error);
          const delay = Math.min(this.reconnectDelayMs.max, this.reconnectDelayMs.initial * 2 ** (failures - 1));
          this.setStatus({ state: 'reconnecting', lastError: message, reconnects: this.status.reconnects + 1 });
          this.logger.warn(
            `Subscription to $all dropped (${message}); resubscribing from ${resumeFrom ? `position ${resumeFrom.commit}` : 'the head'} in ${delay} ms (attempt ${failures})`,
          );
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delay);
            cancelDelay = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          cancelDelay = undefined;
        } finally {
          current = undefined;
        }
      }
      this.setStatus({ state: 'stopped' });
    };
    const loop = run();

    return {
      stop: async () => {
        wanted = false;
        cancelDelay?.();
        await current?.unsubscribe().catch(() => undefined);
        // The stream ends once the server sees the cancellation; do not hang a shutdown on it.
        await Promise.race([loop, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
        this.setStatus({ state: 'stopped' });
      },
    };
  }

  /** The position of the last record in $all, whatever its stream: a new subscription starts after it. */
  private async rawHead(): Promise<Position | undefined> {
    const [last] = await collect(this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }));
    if (!last) return undefined;
    const commit = commitOf(last);
    return { commit, prepare: commit };
  }
}

/** The client speaks esdb://; KurrentDB's own scheme names the same protocol. */
export function normaliseConnectionString(url: string): string {
  return url.replace(/^kurrentdb(\+discover)?:\/\//, 'esdb$1://');
}

function assertExpected(streamName: string, expected: ExpectedRevision, last: number | null): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && last === null) ||
    (expected === 'stream_exists' && last !== null) ||
    expected === last;
  if (!ok) throw new WrongExpectedRevisionError(streamName, expected, last ?? 'no_stream');
}

function actualRevision(error: EsdbWrongExpectedVersionError): number | 'no_stream' {
  return typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : 'no_stream';
}

/** A record's position in $all: the read's commit position, else the event's own. */
function commitOf(resolved: AnyResolvedEvent): bigint {
  return resolved.commitPosition ?? resolved.event?.position?.commit ?? 0n;
}

/** Retries a call that met a dropped connection or a leader change; still failing after the pauses, the store is unavailable (503). */
async function reconnecting<T>(operation: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const transient =
        error instanceof UnavailableError ||
        error instanceof NotLeaderError ||
        error instanceof CancelledError ||
        error instanceof DeadlineExceededError ||
        unavailableStatus(error);
      if (!transient) throw error;
      if (attempt >= RECONNECT_PAUSES_MS.length) throw new EventStoreUnavailableError(error);
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_PAUSES_MS[attempt]));
    }
  }
}

/**
 * A raw gRPC failure the client passes through unwrapped (while it reconnects, e.g. in feature discovery):
 * UNAVAILABLE, DEADLINE_EXCEEDED or CANCELLED.
 */
function unavailableStatus(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    typeof code === 'number' &&
    (code === grpcStatus.UNAVAILABLE || code === grpcStatus.DEADLINE_EXCEEDED || code === grpcStatus.CANCELLED) &&
    typeof (error as { details?: unknown }).details === 'string'
  );
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
}
