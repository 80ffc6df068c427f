import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { GENESIS_HASH, HASH_VERSION, chainedMetadata } from './hash-chain';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
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

/**
 * The embedded event log: one SQLite file, one append-only table. WAL with synchronous=FULL
 * means a resolved append has been fsynced: an acknowledged command survives a power cut.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  private readonly statements;

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
    };
  }

  async appendToStream(streamName: string, events: readonly NewEvent[], expectedRevision: ExpectedRevision = 'any'): Promise<AppendResult> {
    if (events.length === 0) throw new Error('appendToStream needs at least one event');
    const result = this.db.transaction(() => this.appendInTransaction(streamName, events, expectedRevision)).immediate();
    if (!result.duplicate) this.appended.emit('appended', result.position);
    return result;
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
    for (const event of events) {
      revision += 1;
      const metadata = chainedMetadata(
        {
          streamName,
          revision,
          type: event.type,
          data: event.data,
          metadata: { ...event.metadata, hashVersion: HASH_VERSION, recordedAt },
        },
        prevHash,
      );
      prevHash = metadata['hash'] as string;
      const info = this.statements.insert.run({
        id: event.id,
        streamName,
        revision,
        type: event.type,
        recordedAt,
        data: JSON.stringify(event.data),
        metadata: JSON.stringify(metadata),
      });
      position = Number(info.lastInsertRowid);
    }
    return { nextExpectedRevision: revision, position, duplicate: false };
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
