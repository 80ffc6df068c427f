import { EventEmitter } from 'node:events';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/**
 * The storage behind the EventStoreDB protocol double: one transaction file ($all) and the
 * streams indexed over it, with the server's append rules. It follows the real server where the
 * client can observe it:
 *
 * - Log positions are byte offsets of records in the transaction file, so they increase but are
 *   not consecutive; a record takes the room its stream name, type, data and metadata need.
 * - An event written without an explicit transaction is committed by its own prepare record: in
 *   $all its commit and prepare positions are both its log position. The gRPC RecordedEvent
 *   nevertheless reports the transaction's position (the first event of the write) as its
 *   prepare position, as the server does.
 * - Appends follow IndexWriter.CheckCommit: an exact expected revision below the current one
 *   is idempotent when the events at the following revisions carry the proposed ids (and a
 *   wrong expected version otherwise, including a partial match); `any` and `stream_exists`
 *   are idempotent when the ids are in the recently committed events cache.
 * - A fresh database is not empty: system streams ($users, $settings, …) come first.
 */

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export interface StoredEvent extends ProposedEvent {
  readonly streamName: string;
  readonly revision: number;
  /** Where the record sits in the transaction file; its commit (and $all prepare) position. */
  readonly logPosition: number;
  /** The log position of the first event of the write this event was part of. */
  readonly transactionPosition: number;
  /** .NET ticks (100 ns) since the Unix epoch, as the server's `created` metadata. */
  readonly created: bigint;
}

/** -1: the stream must not exist; -2: any; -4: it must exist (the server's ExpectedVersion constants). */
export type ExpectedVersion = number;
export const EXPECTED_NO_STREAM = -1;
export const EXPECTED_ANY = -2;
export const EXPECTED_STREAM_EXISTS = -4;

export type AppendOutcome =
  | { readonly kind: 'written'; readonly events: readonly StoredEvent[] }
  /** The events had been written before: nothing was written; the original revisions (and position, when known). */
  | { readonly kind: 'idempotent'; readonly lastRevision: number; readonly position?: number }
  | { readonly kind: 'wrong-expected-version'; readonly currentRevision: number };

export interface DoubleLogOptions {
  /** Write the system events a fresh server has before any user event (default true). */
  readonly systemEvents?: boolean;
  /** How many recently committed event ids `any`/`stream_exists` appends are checked against. */
  readonly idempotencyCacheSize?: number;
  /**
   * Keep the log in this file (one JSON record per line) and load it at start, so a double
   * started again on the same file is a restarted node with its data. Default: memory only.
   */
  readonly dataFile?: string;
}

const RECORD_OVERHEAD_BYTES = 96;
/** A fresh transaction file starts with its epoch record and system streams' events. */
const FIRST_RECORD_POSITION = 0;

export class DoubleLog {
  private readonly all: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  /** Recently committed event ids → where they were written (bounded, insertion-ordered). */
  private readonly committed = new Map<string, { streamName: string; revision: number }>();
  private readonly idempotencyCacheSize: number;
  private nextPosition = FIRST_RECORD_POSITION;
  private readonly emitter = new EventEmitter();
  private readonly dataFile?: string;

  constructor(options: DoubleLogOptions = {}) {
    this.emitter.setMaxListeners(0);
    this.idempotencyCacheSize = options.idempotencyCacheSize ?? 100_000;
    this.dataFile = options.dataFile;
    if (this.dataFile && existsSync(this.dataFile) && this.load(this.dataFile)) return;
    // The epoch record a new database starts with occupies the first bytes of the log.
    this.nextPosition += 120;
    if (options.systemEvents ?? true) this.writeSystemEvents();
  }

  get events(): readonly StoredEvent[] {
    return this.all;
  }

  /** The position the next record will be written at (the writer checkpoint). */
  get writerCheckpoint(): number {
    return this.nextPosition;
  }

  stream(name: string): readonly StoredEvent[] | undefined {
    return this.streams.get(name);
  }

  /** Calls `listener` after each write, with the events written. */
  onWritten(listener: (events: readonly StoredEvent[]) => void): () => void {
    this.emitter.on('written', listener);
    return () => this.emitter.off('written', listener);
  }

  append(streamName: string, expected: ExpectedVersion, proposed: readonly ProposedEvent[]): AppendOutcome {
    const existing = this.streams.get(streamName);
    const current = existing ? existing.length - 1 : -1;
    const check = this.checkCommit(streamName, existing, current, expected, proposed);
    if (check.kind !== 'ok') return check;
    if (proposed.length === 0) return { kind: 'written', events: [] };
    return { kind: 'written', events: this.write(streamName, current, proposed) };
  }

  /** The first index in $all whose record lies at or after (commit, prepare). */
  indexAtOrAfter(commit: number, prepare: number): number {
    let low = 0;
    let high = this.all.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const record = this.all[mid].logPosition;
      if (record > commit || (record === commit && record >= prepare)) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  private checkCommit(
    streamName: string,
    existing: readonly StoredEvent[] | undefined,
    current: number,
    expected: ExpectedVersion,
    proposed: readonly ProposedEvent[],
  ): AppendOutcome | { kind: 'ok' } {
    if (expected === EXPECTED_ANY || expected === EXPECTED_STREAM_EXISTS) {
      if (expected === EXPECTED_STREAM_EXISTS && current < 0) return { kind: 'wrong-expected-version', currentRevision: current };
      let first = -1;
      let last = -1;
      for (const [index, event] of proposed.entries()) {
        const seen = this.committed.get(event.id);
        if (!seen || seen.streamName !== streamName) {
          // Not seen: a new write; partly seen: the server calls it corrupted idempotency.
          return index === 0 ? { kind: 'ok' } : { kind: 'wrong-expected-version', currentRevision: current };
        }
        if (index === 0) first = seen.revision;
        last = seen.revision;
      }
      return first < 0 ? { kind: 'ok' } : this.idempotent(existing!, last);
    }
    if (expected < current) {
      let revision = expected;
      for (const event of proposed) {
        revision += 1;
        // The first id not where the write would have put it: a conflict (or, after a match, corrupted idempotency).
        if (existing?.[revision]?.id !== event.id) return { kind: 'wrong-expected-version', currentRevision: current };
      }
      return this.idempotent(existing!, revision);
    }
    if (expected > current) return { kind: 'wrong-expected-version', currentRevision: current };
    return { kind: 'ok' };
  }

  private idempotent(stream: readonly StoredEvent[], lastRevision: number): AppendOutcome {
    return { kind: 'idempotent', lastRevision, position: stream[lastRevision]?.logPosition };
  }

  private write(streamName: string, current: number, proposed: readonly ProposedEvent[]): StoredEvent[] {
    const created = BigInt(Date.now()) * 10_000n;
    const transactionPosition = this.nextPosition;
    const stream = this.streams.get(streamName) ?? [];
    const written = proposed.map((event, index): StoredEvent => {
      const logPosition = this.nextPosition;
      this.nextPosition += recordSize(streamName, event);
      return { ...event, streamName, revision: current + 1 + index, logPosition, transactionPosition, created };
    });
    stream.push(...written);
    this.streams.set(streamName, stream);
    this.all.push(...written);
    for (const event of written) this.remember(event);
    if (this.dataFile) appendFileSync(this.dataFile, written.map((event) => `${JSON.stringify(toLine(event))}\n`).join(''));
    this.emitter.emit('written', written);
    return written;
  }

  /** Loads a log kept by an earlier double; false when the file holds none. */
  private load(file: string): boolean {
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    for (const line of lines) {
      const event = fromLine(JSON.parse(line) as StoredLine);
      const stream = this.streams.get(event.streamName) ?? [];
      stream.push(event);
      this.streams.set(event.streamName, stream);
      this.all.push(event);
      this.remember(event);
      this.nextPosition = event.logPosition + recordSize(event.streamName, event);
    }
    return lines.length > 0;
  }

  private remember(event: StoredEvent): void {
    this.committed.delete(event.id);
    this.committed.set(event.id, { streamName: event.streamName, revision: event.revision });
    if (this.committed.size > this.idempotencyCacheSize) this.committed.delete(this.committed.keys().next().value!);
  }

  private writeSystemEvents(): void {
    const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    const system = (streamName: string, type: string, data: unknown) =>
      this.write(streamName, (this.streams.get(streamName)?.length ?? 0) - 1, [
        {
          id: cryptoRandomUuid(),
          type,
          contentType: 'application/json',
          data: json(data),
          metadata: new Uint8Array(),
        },
      ]);
    system('$epoch-information', '$epoch-information', { epochNumber: 0, epochPosition: 0 });
    system('$users', '$UserCreated', 'admin');
    system('$user-admin', '$User', { loginName: 'admin', fullName: 'Event Store Administrator', groups: ['$admins'] });
    system('$users', '$UserCreated', 'ops');
    system('$settings', '$settings', { $userStreamAcl: { $r: '$all', $w: '$all' }, $systemStreamAcl: { $r: '$admins', $w: '$admins' } });
    system('$$$scavenges', '$metadata', { $maxAge: 2592000 });
  }
}

type StoredLine = Omit<StoredEvent, 'data' | 'metadata' | 'created'> & { data: string; metadata: string; created: string };

function toLine(event: StoredEvent): StoredLine {
  return {
    ...event,
    data: Buffer.from(event.data).toString('base64'),
    metadata: Buffer.from(event.metadata).toString('base64'),
    created: event.created.toString(),
  };
}

function fromLine(line: StoredLine): StoredEvent {
  return {
    ...line,
    data: Uint8Array.from(Buffer.from(line.data, 'base64')),
    metadata: Uint8Array.from(Buffer.from(line.metadata, 'base64')),
    created: BigInt(line.created),
  };
}

function recordSize(streamName: string, event: ProposedEvent): number {
  return RECORD_OVERHEAD_BYTES + Buffer.byteLength(streamName) + Buffer.byteLength(event.type) + event.data.length + event.metadata.length;
}

function cryptoRandomUuid(): string {
  return globalThis.crypto.randomUUID();
}
