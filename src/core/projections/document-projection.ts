import type { DomainEvent } from '../decider';
import type { RecordedEvent } from '../event-store/event-store.port';
import { Queryable, narrowTables } from '../read-store/read-store';
import { Projection, ProjectionEventError, type ProjectionSession, applyInOneSession } from './projection';
import { HELD_DOCUMENTS, heldDocuments } from './held-documents';
import { type AnyTables, writeRowChanges } from './row-changes';
import { type RowTallies, writeTallyChanges } from './row-tallies';

export type DocumentColumn = string | number | null;

/** A row of a document table: the key, the JSON document, and the columns queries filter on. */
export type DocumentRow<Columns extends Record<string, DocumentColumn>> = { id: string; document: string } & Columns;

/** The one table a document read model keeps. */
export type DocumentTable<Table extends string, Columns extends Record<string, DocumentColumn>> = Record<Table, DocumentRow<Columns>>;

/**
 * A read model of one JSON document per key (an entity), kept by a pure `evolve`.
 * The table has `id`, `document` and whatever indexed `columns` the queries filter on.
 */
export interface DocumentProjectionDefinition<
  Doc,
  E extends DomainEvent,
  Table extends string,
  Columns extends Record<string, DocumentColumn>,
> {
  readonly name: string;
  readonly table: Table;
  /** The document an event belongs to; undefined for events this read model ignores. */
  keyOf(event: RecordedEvent<E>): string | undefined;
  /** Pure: the document after the event (null: no document, or delete it). */
  evolve(doc: Doc | null, event: RecordedEvent<E>): Doc | null;
  /** The queryable columns derived from the document. */
  columns(doc: Doc): Columns;
  /** Counters of the rows kept in the same transaction (row-tallies.ts): what a query would otherwise count over the table. */
  readonly tallies?: RowTallies;
}

export type DocumentProjection<
  Doc,
  E extends DomainEvent,
  Table extends string,
  Columns extends Record<string, DocumentColumn>,
> = Projection<E, DocumentTable<Table, Columns>> & { readonly definition: DocumentProjectionDefinition<Doc, E, Table, Columns> };

export function documentProjection<
  Doc,
  E extends DomainEvent = DomainEvent,
  Table extends string = string,
  Columns extends Record<string, DocumentColumn> = Record<string, DocumentColumn>,
>(definition: DocumentProjectionDefinition<Doc, E, Table, Columns>): DocumentProjection<Doc, E, Table, Columns> {
  const table: string = definition.table;
  /** A document that cannot be turned into a row is the fault of the event that made it, not an outage. */
  const rowOf = (doc: Doc, event: RecordedEvent<E>) => {
    try {
      return { document: JSON.stringify(doc), ...definition.columns(doc) };
    } catch (error) {
      throw new ProjectionEventError(event, error);
    }
  };
  /** The documents of the session's batches: read when first met, evolved through each batch, written at `flush`. */
  const session = <DB extends DocumentTable<Table, Columns>>(trx: Queryable<DB>, held = HELD_DOCUMENTS): ProjectionSession<E> => {
    const db = narrowTables<DB, AnyTables>(trx);
    const documents = heldDocuments<Doc, E, 'id', DocumentRow<Columns>>(
      { db, table, keyColumn: 'id' },
      (doc, event) => definition.evolve(doc, event),
      async ({ stored, documents, lastEvent }) => {
        const rows = [...documents].flatMap(([id, doc]) => (doc === null ? [] : [{ id, ...rowOf(doc, lastEvent.get(id)!) }]));
        await writeRowChanges(db, table, ['id'], stored, rows);
        if (definition.tallies) await writeTallyChanges(db, definition.tallies, stored, rows);
      },
      held,
    );
    return {
      apply: (events) =>
        documents.evolve(
          events.flatMap((event) => {
            const key = definition.keyOf(event);
            return key === undefined ? [] : [{ key, event }];
          }),
        ),
      flush: () => documents.flush(),
    };
  };
  return {
    name: definition.name,
    definition,
    apply: (trx, events) => applyInOneSession(session(trx), events),
    session,
    async reset<DB extends DocumentTable<Table, Columns>>(trx: Queryable<DB>): Promise<void> {
      const db = narrowTables<DB, AnyTables>(trx);
      await db.deleteFrom(table).execute();
      if (definition.tallies) await db.deleteFrom(definition.tallies.table).execute();
    },
  };
}
