import type { Kysely } from 'kysely';
import type { DomainEvent } from '../decider';
import type { RecordedEvent } from '../event-store/event-store.port';
import { ProjectionEventError } from './projection';
import { type AnyTables, storedRows } from './row-changes';

/** An event and the key of the document it evolves. */
export interface KeyedEvent<E extends DomainEvent> {
  readonly key: string;
  readonly event: RecordedEvent<E>;
}

/** A table of JSON documents, one row per key. */
export interface DocumentSource<Key extends string> {
  readonly db: Kysely<AnyTables>;
  readonly table: string;
  readonly keyColumn: Key;
}

/**
 * A document's row as the session read it, but for the document's text, which is let go once parsed (it is rewritten
 * with every change): kept, it doubled what a held document costs.
 */
export type StoredRow<Row> = Omit<Row, 'document'> & { readonly document: null };

/** What a session's batches made of the documents they touched, handed to `write` at `flush` (or when some are let go). */
export interface HeldChanges<Doc, Row, E extends DomainEvent> {
  /** The stored rows of the documents, as the session first read them, without their text. */
  readonly stored: readonly StoredRow<Row>[];
  /** The documents written (null: no document, or deleted). */
  readonly documents: ReadonlyMap<string, Doc | null>;
  /** The last event that evolved each document. */
  readonly lastEvent: ReadonlyMap<string, RecordedEvent<E>>;
}

/**
 * Documents a session holds at most: past it, those touched least recently are written and let go, in the session's
 * transaction, and read back if an event meets them again. A rebuild's transaction otherwise holds every document its
 * events touched until it commits; where each event meets a new case (the breaches a service's first start appends on an
 * old log), that was up to REBUILD_TRANSACTION_STREAMS cases in each session, most of the rebuild's peak RSS there. It must
 * stay above the cases a log keeps open at once, or cases are let go and read back again and again: the bench's log
 * interleaves about 3,000, and a limit of 2,000 cost its rebuild 35–45 % more CPU, 4,000 nothing.
 */
export const HELD_DOCUMENTS = 4_000;

/**
 * Keys in the order they were last touched, least recently first: what a session bounded by HELD_DOCUMENTS lets go first.
 * (A Map keeps insertion order; touching a key moves it to the end.)
 */
export class TouchOrder {
  private readonly keys = new Map<string, true>();

  touch(key: string): void {
    this.keys.delete(key);
    this.keys.set(key, true);
  }

  /** Takes out and returns the keys touched least recently, as many as exceed `limit`. */
  beyond(limit: number): string[] {
    const excess = this.keys.size - limit;
    if (excess <= 0) return [];
    const oldest: string[] = [];
    for (const key of this.keys.keys()) {
      if (oldest.length === excess) break;
      oldest.push(key);
    }
    for (const key of oldest) this.keys.delete(key);
    return oldest;
  }

  clear(): void {
    this.keys.clear();
  }
}

/**
 * The documents of a session's batches: each read from its stored row when first met, evolved through every batch by a
 * pure `evolve`, and handed to `write` at `flush` so that a document several batches change is read and written once —
 * unless more than `limit` are held, when those touched least recently are written at the end of a batch and let go.
 */
export function heldDocuments<Doc, E extends DomainEvent, Key extends string, Row extends Record<Key, string> & { document: string }>(
  source: DocumentSource<Key>,
  evolve: (doc: Doc | null, event: RecordedEvent<E>) => Doc | null,
  write: (changes: HeldChanges<Doc, Row, E>) => Promise<void>,
  limit = HELD_DOCUMENTS,
) {
  const stored = new Map<string, StoredRow<Row>>();
  const documents = new Map<string, Doc | null>();
  const lastEvent = new Map<string, RecordedEvent<E>>();
  const touched = new TouchOrder();
  /** Writes the documents of `keys` and forgets them: an event that meets one again reads it back as written. */
  const writeOut = async (keys: readonly string[]) => {
    if (keys.length === 0) return;
    await write({
      stored: keys.flatMap((key) => stored.get(key) ?? []),
      documents: new Map(keys.map((key) => [key, documents.get(key) ?? null])),
      lastEvent: new Map(keys.flatMap((key) => (lastEvent.has(key) ? [[key, lastEvent.get(key)!]] : []))),
    });
    for (const key of keys) {
      stored.delete(key);
      documents.delete(key);
      lastEvent.delete(key);
    }
  };
  return {
    async evolve(keyed: ReadonlyArray<KeyedEvent<E>>): Promise<void> {
      if (keyed.length === 0) return;
      const unseen = [...new Set(keyed.map(({ key }) => key))].filter((key) => !documents.has(key));
      for (const row of await storedRows<Row>(source.db, source.table, source.keyColumn, unseen)) {
        const key = row[source.keyColumn];
        documents.set(key, JSON.parse(row.document) as Doc);
        stored.set(key, Object.assign(row, { document: null }));
      }
      for (const { key, event } of keyed) {
        try {
          documents.set(key, evolve(documents.get(key) ?? null, event));
        } catch (error) {
          throw new ProjectionEventError(event, error);
        }
        lastEvent.set(key, event);
        touched.touch(key);
      }
      await writeOut(touched.beyond(limit));
    },
    async flush(): Promise<void> {
      await write({ stored: [...stored.values()], documents, lastEvent });
      stored.clear();
      documents.clear();
      lastEvent.clear();
      touched.clear();
    },
  };
}
