import type { Transaction } from 'kysely';
import type { RecordedEvent } from '../event-store/event-store.port';
import { Projection, ProjectionEventError } from './projection';

/**
 * A read model of one JSON document per key (a case, a customer), kept by a pure `evolve`.
 * The table has `id`, `document` and whatever indexed `columns` the queries filter on.
 */
export interface DocumentProjectionDefinition<Doc> {
  readonly name: string;
  readonly table: string;
  /** The document an event belongs to; undefined for events this read model ignores. */
  keyOf(event: RecordedEvent): string | undefined;
  /** Pure: the document after the event (null: no document, or delete it). */
  evolve(doc: Doc | null, event: RecordedEvent): Doc | null;
  /** The queryable columns derived from the document. */
  columns(doc: Doc): Record<string, string | number | null>;
}

export function documentProjection<Doc>(definition: DocumentProjectionDefinition<Doc>): Projection & { definition: DocumentProjectionDefinition<Doc> } {
  const { table } = definition;
  /** A document that cannot be turned into a row is the fault of the event that made it, not an outage. */
  const rowOf = (doc: Doc, event: RecordedEvent) => {
    try {
      return { document: JSON.stringify(doc), ...definition.columns(doc) };
    } catch (error) {
      throw new ProjectionEventError(event, error);
    }
  };
  return {
    name: definition.name,
    definition,
    async apply(trx: Transaction<any>, events: readonly RecordedEvent[]): Promise<void> {
      const keyed = events.flatMap((event) => {
        const key = definition.keyOf(event);
        return key === undefined ? [] : [{ key, event }];
      });
      if (keyed.length === 0) return;
      const keys = [...new Set(keyed.map(({ key }) => key))];
      const rows = await trx.selectFrom(table).select(['id', 'document']).where('id', 'in', keys).execute();
      const docs = new Map<string, Doc | null>(rows.map((row) => [row.id as string, JSON.parse(row.document as string) as Doc]));
      const before = new Set(docs.keys());
      const lastEvent = new Map<string, RecordedEvent>();
      for (const { key, event } of keyed) {
        try {
          docs.set(key, definition.evolve(docs.get(key) ?? null, event));
        } catch (error) {
          throw new ProjectionEventError(event, error);
        }
        lastEvent.set(key, event);
      }
      for (const [id, doc] of docs) {
        if (doc === null) {
          if (before.has(id)) await trx.deleteFrom(table).where('id', '=', id).execute();
          continue;
        }
        const values = { id, ...rowOf(doc, lastEvent.get(id)!) };
        await trx.insertInto(table).values(values)
          .onConflict((conflict) => conflict.column('id').doUpdateSet(withoutId(values)))
          .execute();
      }
    },
    async reset(trx: Transaction<any>): Promise<void> {
      await trx.deleteFrom(table).execute();
    },
  };
}

function withoutId<T extends { id: string }>({ id: _id, ...rest }: T): Omit<T, 'id'> {
  return rest;
}
