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

/** What a session's batches made of the documents they touched, handed to `write` at `flush`. */
export interface HeldChanges<Doc, Row, E extends DomainEvent> {
  /** The stored rows of the documents, as the session first read them. */
  readonly stored: readonly Row[];
  /** Every document touched, in the order first met (null: no document, or deleted). */
  readonly documents: ReadonlyMap<string, Doc | null>;
  /** The last event that evolved each document. */
  readonly lastEvent: ReadonlyMap<string, RecordedEvent<E>>;
}

/**
 * The documents of a session's batches: each read from its stored row when first met, evolved through every batch by a
 * pure `evolve`, and handed to `write` at `flush` so that a document several batches change is read and written once.
 */
export function heldDocuments<Doc, E extends DomainEvent, Key extends string, Row extends Record<Key, string> & { document: string }>(
  source: DocumentSource<Key>,
  evolve: (doc: Doc | null, event: RecordedEvent<E>) => Doc | null,
  write: (changes: HeldChanges<Doc, Row, E>) => Promise<void>,
) {
  const stored: Row[] = [];
  const documents = new Map<string, Doc | null>();
  const lastEvent = new Map<string, RecordedEvent<E>>();
  return {
    async evolve(keyed: ReadonlyArray<KeyedEvent<E>>): Promise<void> {
      if (keyed.length === 0) return;
      const unseen = [...new Set(keyed.map(({ key }) => key))].filter((key) => !documents.has(key));
      for (const row of await storedRows<Row>(source.db, source.table, source.keyColumn, unseen)) {
        stored.push(row);
        documents.set(row[source.keyColumn], JSON.parse(row.document) as Doc);
      }
      for (const { key, event } of keyed) {
        try {
          documents.set(key, evolve(documents.get(key) ?? null, event));
        } catch (error) {
          throw new ProjectionEventError(event, error);
        }
        lastEvent.set(key, event);
      }
    },
    async flush(): Promise<void> {
      await write({ stored, documents, lastEvent });
      stored.length = 0;
      documents.clear();
      lastEvent.clear();
    },
  };
}
