import type { DomainEvent } from '../decider';
import type { RecordedEvent } from '../event-store/event-store.port';
import { Queryable, narrowTables } from '../read-store/read-store';
import { Projection, ProjectionEventError } from './projection';

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
}

export type DocumentProjection<
  Doc,
  E extends DomainEvent,
  Table extends string,
  Columns extends Record<string, DocumentColumn>,
> = Projection<E, DocumentTable<Table, Columns>> & { readonly definition: DocumentProjectionDefinition<Doc, E, Table, Columns> };

/**
 * The table, named at run time, seen as any document table: Kysely cannot type a query on a table whose
 * name is a type parameter. Each projection addresses only its own table through it.
 */
type AnyDocumentTable = DocumentTable<string, Record<string, DocumentColumn>>;

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
  return {
    name: definition.name,
    definition,
    async apply<DB extends DocumentTable<Table, Columns>>(trx: Queryable<DB>, events: readonly RecordedEvent<E>[]): Promise<void> {
      const keyed = events.flatMap((event) => {
        const key = definition.keyOf(event);
        return key === undefined ? [] : [{ key, event }];
      });
      if (keyed.length === 0) return;
      const db = narrowTables<DB, AnyDocumentTable>(trx);
      const keys = [...new Set(keyed.map(({ key }) => key))];
      const stored = (
        await Promise.all(chunked(keys).map((chunk) => db.selectFrom(table).select(['id', 'document']).where('id', 'in', chunk).execute()))
      ).flat();
      const docs = new Map<string, Doc | null>(stored.map((row) => [row.id, JSON.parse(row.document) as Doc]));
      const before = new Set(docs.keys());
      const lastEvent = new Map<string, RecordedEvent<E>>();
      for (const { key, event } of keyed) {
        try {
          docs.set(key, definition.evolve(docs.get(key) ?? null, event));
        } catch (error) {
          throw new ProjectionEventError(event, error);
        }
        lastEvent.set(key, event);
      }
      const deleted = [...docs].filter(([id, doc]) => doc === null && before.has(id)).map(([id]) => id);
      const rows = [...docs].flatMap(([id, doc]) => (doc === null ? [] : [{ id, ...rowOf(doc, lastEvent.get(id)!) }]));
      for (const chunk of chunked(deleted)) await db.deleteFrom(table).where('id', 'in', chunk).execute();
      // One multi-row upsert per chunk instead of a statement per document.
      for (const chunk of chunked(rows)) {
        await db
          .insertInto(table)
          .values(chunk)
          .onConflict((conflict) =>
            conflict
              .column('id')
              .doUpdateSet((eb) => Object.fromEntries(updatedColumns(chunk[0]).map((column) => [column, eb.ref(`excluded.${column}`)]))),
          )
          .execute();
      }
    },
    async reset<DB extends DocumentTable<Table, Columns>>(trx: Queryable<DB>): Promise<void> {
      await narrowTables<DB, AnyDocumentTable>(trx).deleteFrom(table).execute();
    },
  };
}

/** Rows per statement: well under both dialects' bound-parameter limits for a table of a dozen columns. */
const ROWS_PER_STATEMENT = 500;

function chunked<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += ROWS_PER_STATEMENT) chunks.push(items.slice(start, start + ROWS_PER_STATEMENT));
  return chunks;
}

/** The columns an upsert replaces: all but the key. */
function updatedColumns(row: { id: string }): string[] {
  return Object.keys(row).filter((column) => column !== 'id');
}
