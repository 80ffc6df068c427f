import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { GENESIS_HASH, HASH_VERSION, canonicalJson, chainedMetadata, withStoredDataText } from './hash-chain';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  KnownHead,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  Unsubscribe,
  WrongExpectedRevisionError,
} from './event-store.port';

interface EventRow {
  position: number;
  event_id: string;
  stream_name: string;
  stream_revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position        INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        TEXT    NOT NULL UNIQUE,
    stream_name     TEXT    NOT NULL,
    stream_revision INTEGER NOT NULL,
    type            TEXT    NOT NULL,
    data            TEXT    NOT NULL,
    metadata        TEXT    NOT NULL,
    recorded_at     TEXT    NOT NULL,
    UNIQUE (stream_name, stream_revision)
  );
`;

const ALL = Number.MAX_SAFE_INTEGER;
/** How many streams' heads the store remembers from its own appends (least recently appended first out). */
const KNOWN_HEADS = 10_000;
/** How many of its latest appends the store keeps for the live projections: enough for a loop a few full pages behind (BACKLOG_PAGES). */
const APPENDED_TAIL = 10_000;
/**
 * The tail is cut back to APPENDED_TAIL once it holds this many more: cutting it at every append shifted all 10,000
 * entries each time (about 30 µs an append), cutting it in steps costs a few nanoseconds an append.
 */
const TAIL_SLACK = 2_500;

interface PendingAppend {
  readonly streamName: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/**
 * The embedded event log: one SQLite file, one append-only table. WAL with synchronous=FULL
 * means a resolved append has been fsynced: an acknowledged command survives a power cut.
 */
export class SqliteEventStore implements EventStore {
  /** better-sqlite3 reads synchronously. */
  readonly readsHoldThread = true;
  private readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  private readonly statements;
  /** Appends waiting for the next group commit. */
  private pending: PendingAppend[] = [];
  /** One append inside the batch's transaction, in a savepoint of its own. */
  private readonly appendOne: (streamName: string, events: readonly NewEvent[], expected: ExpectedRevision) => AppendResult;
  /** The heads of the streams this store appended to, as committed, while no other connection has committed since. */
  private readonly heads = new Map<string, KnownHead>();
  /**
   * The latest events this store appended, in position order and without a gap, up to the log's head while no other
   * connection has committed since: what the live projections would otherwise read back and hash again.
   */
  private tail: RecordedEvent[] = [];
  /** The file's data_version when `heads` and `tail` were last emptied: any other connection's commit changes it. */
  private headsVersion: number;

  constructor(filename: string) {
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.appended.setMaxListeners(0);
    this.statements = {
      lastEvent: this.db.prepare<[string], { revision: number; metadata: string }>(
        'SELECT stream_revision AS revision, metadata FROM events WHERE stream_name = ? ORDER BY stream_revision DESC LIMIT 1',
      ),
      byId: this.db.prepare<[string], EventRow>('SELECT * FROM events WHERE event_id = ?'),
      insert: this.db.prepare(
        `INSERT INTO events (event_id, stream_name, stream_revision, type, data, metadata, recorded_at)
         VALUES (@id, @streamName, @revision, @type, @data, @metadata, @recordedAt)`,
      ),
      forwards: this.db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream_name = ? AND stream_revision >= ? ORDER BY stream_revision ASC LIMIT ?',
      ),
      backwards: this.db.prepare<[string, number, number], EventRow>(
        'SELECT * FROM events WHERE stream_name = ? AND stream_revision <= ? ORDER BY stream_revision DESC LIMIT ?',
      ),
      head: this.db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events'),
      countAfter: this.db.prepare<[number], { count: number }>('SELECT COUNT(*) AS count FROM events WHERE position > ?'),
      all: this.db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE position > ? ORDER BY position ASC LIMIT ?'),
      dataVersion: this.db.prepare<[], number>('PRAGMA data_version').pluck(),
    };
    this.headsVersion = this.statements.dataVersion.get()!;
    this.appendOne = this.db.transaction((streamName, events, expected) => this.appendInTransaction(streamName, events, expected));
  }

  async appendToStream(streamName: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision = 'any'): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    return new Promise((resolve, reject) => {
      this.pending.push({ streamName, events, expectedRevision, resolve, reject });
      if (this.pending.length === 1) setImmediate(() => this.commitPending());
    });
  }

  /**
   * Group commit: every append that arrived while the previous commit was being fsynced (or in the same
   * turn of the event loop) is written in one transaction, so one fsync acknowledges them all. Each append
   * runs in its own savepoint, so its revision check, hash-chain link and outcome stay its own: a conflict
   * rolls back that append alone, and the later appends of the batch see the earlier ones as committed.
   */
  private commitPending(): void {
    const batch = this.pending.splice(0, this.pending.length);
    if (batch.length === 0) return;
    const outcomes: Array<{ result: AppendResult } | { error: unknown }> = [];
    try {
      this.db
        .transaction(() => {
          for (const append of batch) {
            try {
              outcomes.push({ result: this.appendOne(append.streamName, append.events, append.expectedRevision) });
            } catch (error) {
              outcomes.push({ error });
            }
          }
        })
        .immediate();
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of the batch is stored.
      for (const append of batch) append.reject(error);
      return;
    }
    let last = 0;
    batch.forEach((append, index) => {
      const outcome = outcomes[index];
      if ('error' in outcome) return append.reject(outcome.error);
      if (!outcome.result.duplicate) {
        last = Math.max(last, outcome.result.position);
        this.rememberHead(append.streamName, outcome.result);
        this.extendTail(outcome.result.recorded ?? []);
      }
      append.resolve(outcome.result);
    });
    if (last > 0) this.appended.emit('appended', last);
  }

  /** The stream's head after an append of this store's, committed. */
  private rememberHead(streamName: string, { recorded }: AppendResult): void {
    const head = recorded?.[recorded.length - 1];
    if (!head) return;
    this.heads.delete(streamName);
    this.heads.set(streamName, { revision: head.revision, hash: head.metadata['hash'] });
    if (this.heads.size > KNOWN_HEADS) this.heads.delete(this.heads.keys().next().value!);
  }

  /**
   * Known while no other connection has committed to the file since the head was appended (SQLite's data_version:
   * another process, an operator's edit); after one, every stream is read again.
   */
  knownHead(streamName: string): KnownHead | undefined {
    return this.onlyWriterSince() ? this.heads.get(streamName) : undefined;
  }

  /** Served from the events this store committed last, while they reach the head and no other connection has written. */
  appendedAfter(after: number, maxCount: number): RecordedEvent[] | undefined {
    if (!this.onlyWriterSince() || this.tail.length === 0) return undefined;
    const first = this.tail[0].position;
    const head = this.tail[this.tail.length - 1].position;
    if (after < first - 1 || after > head) return undefined;
    return this.tail.slice(after - first + 1, after - first + 1 + maxCount);
  }

  /** Whether no other connection has committed to the file since this store last looked; if one has, forgets what it knew. */
  private onlyWriterSince(): boolean {
    const version = this.statements.dataVersion.get()!;
    if (version === this.headsVersion) return true;
    this.heads.clear();
    this.tail = [];
    this.headsVersion = version;
    return false;
  }

  /** Adds an append's events to the tail; a gap before them (another writer took the positions between) starts it again. */
  private extendTail(recorded: readonly RecordedEvent[]): void {
    if (recorded.length === 0) return;
    const last = this.tail[this.tail.length - 1];
    if (last && last.position + 1 !== recorded[0].position) this.tail = [];
    this.tail.push(...recorded);
    if (this.tail.length >= APPENDED_TAIL + TAIL_SLACK) this.tail = this.tail.slice(-APPENDED_TAIL);
  }

  private appendInTransaction(streamName: string, events: readonly NewEvent[], expected: ExpectedRevision): AppendResult {
    const existing = events.map((event) => this.statements.byId.get(event.id));
    if (existing.every((row) => row !== undefined)) return duplicateResult(streamName, existing);
    if (existing.some((row) => row !== undefined)) {
      throw new Error(`Some but not all of the events were already appended to ${streamName}`);
    }
    const lastEvent = this.statements.lastEvent.get(streamName);
    const last = lastEvent?.revision ?? null;
    assertExpected(streamName, expected, last);
    const recordedAt = new Date().toISOString();
    let revision = last ?? -1;
    let prevHash = lastEvent ? String(JSON.parse(lastEvent.metadata).hash ?? GENESIS_HASH) : GENESIS_HASH;
    let position = 0;
    const recorded: RecordedEvent[] = [];
    for (const event of events) {
      revision += 1;
      // Canonical, as the hash covers it: a read checks the event by hashing these bytes as they are (hash-chain.ts).
      const data = canonicalJson(event.data);
      const metadata = chainedMetadata(
        {
          streamName,
          revision,
          type: event.type,
          data: event.data,
          metadata: { ...event.metadata, hashVersion: HASH_VERSION, recordedAt },
        },
        prevHash,
        data,
      );
      prevHash = metadata['hash'] as string;
      const metadataText = JSON.stringify(metadata);
      const info = this.statements.insert.run({
        id: event.id,
        streamName,
        revision,
        type: event.type,
        recordedAt,
        data,
        metadata: metadataText,
      });
      position = Number(info.lastInsertRowid);
      recorded.push(
        toRecorded({
          position,
          event_id: event.id,
          stream_name: streamName,
          stream_revision: revision,
          type: event.type,
          data,
          metadata: metadataText,
          recorded_at: recordedAt,
        }),
      );
    }
    return { nextExpectedRevision: revision, position, duplicate: false, recorded };
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? ALL;
    const rows =
      options.direction === 'backwards'
        ? this.statements.backwards.all(streamName, options.fromRevision ?? ALL, maxCount)
        : this.statements.forwards.all(streamName, options.fromRevision ?? 0, maxCount);
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.statements.all.all(options.after ?? 0, options.maxCount ?? ALL).map(toRecorded);
  }

  async headPosition(): Promise<number> {
    return this.statements.head.get()?.position ?? 0;
  }

  async countEventsAfter(position: number): Promise<number> {
    return this.statements.countAfter.get(position)?.count ?? 0;
  }

  async findEventById(id: string): Promise<RecordedEvent | undefined> {
    const row = this.statements.byId.get(id);
    return row && toRecorded(row);
  }

  onAppended(listener: (lastPosition: number) => void): Unsubscribe {
    this.appended.on('appended', listener);
    return () => this.appended.off('appended', listener);
  }

  async close(): Promise<void> {
    // Appends already accepted are committed, not dropped.
    if (this.pending.length > 0 && this.db.open) this.commitPending();
    this.appended.removeAllListeners();
    if (this.db.open) this.db.close();
  }
}

function assertExpected(streamName: string, expected: ExpectedRevision, last: number | null): void {
  const actual = last ?? 'no_stream';
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && last === null) ||
    (expected === 'stream_exists' && last !== null) ||
    expected === last;
  if (!ok) throw new WrongExpectedRevisionError(streamName, expected, actual);
}

function duplicateResult(streamName: string, rows: EventRow[]): AppendResult {
  const last = rows[rows.length - 1];
  if (rows.some((row) => row.stream_name !== streamName)) {
    throw new Error(`Event ${last.event_id} was already appended to another stream than ${streamName}`);
  }
  return { nextExpectedRevision: last.stream_revision, position: last.position, duplicate: true };
}

function toRecorded(row: EventRow): RecordedEvent {
  return withStoredDataText(recordedOf(row), row.data);
}

function recordedOf(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamName: row.stream_name,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    revision: row.stream_revision,
    position: row.position,
    recordedAt: row.recorded_at,
  };
}
