import type { Insertable } from 'kysely';
import type { DomainEvent } from '../../core/decider';
import type { RecordedEvent } from '../../core/event-store/event-store.port';
import { Projection, ProjectionEventError } from '../../core/projections/projection';
import { Queryable, narrowTables } from '../../core/read-store/read-store';
import { LEDGER_TABLES, LedgerLeafRow, LedgerNodeRow, LedgerTables } from './ledger.tables';
import { canonicalBytes } from './rfc8785';
import { Hash, TreeFrontier, leafHash } from './rfc9162';

export const LEDGER_PROJECTION = 'ledger';

/** What a leaf commits to: the JCS canonical JSON of this object, as UTF-8. */
export interface LeafEntry {
  /** The event's chain hash, lowercase hex. */
  readonly hash: string;
  /** 0-based leaf index in the ledger. */
  readonly index: number;
  readonly revision: number;
  readonly stream: string;
}

export function leafHashOf(entry: LeafEntry): Hash {
  return leafHash(canonicalBytes({ hash: entry.hash, index: entry.index, revision: entry.revision, stream: entry.stream }));
}

const HEX_HASH = /^[0-9a-f]{64}$/;

/** The number of leaves in the ledger as stored. */
export async function ledgerSize<DB extends LedgerTables>(db: Queryable<DB>): Promise<number> {
  const row = await narrowTables<DB, LedgerTables>(db)
    .selectFrom(LEDGER_TABLES.leaves)
    .select((eb) => eb.fn.max('leaf_index').as('last'))
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

/**
 * The ledger as a projection: each event of the global log becomes the next leaf, and the perfect
 * subtrees it completes are stored with it, in the batch's transaction (so the tree and the
 * checkpoint move together). An event without a chain hash stops it, as a poison event would.
 */
export const ledgerProjection: Projection<DomainEvent, LedgerTables> = {
  name: LEDGER_PROJECTION,
  async apply<DB extends LedgerTables>(trx: Queryable<DB>, events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 0) return;
    const db = narrowTables<DB, LedgerTables>(trx);
    const size = await ledgerSize(trx);
    const wanted = TreeFrontier.nodesOf(size);
    const edge = new Map<number, Hash>();
    for (const { level, index } of wanted) {
      const row = await db
        .selectFrom(LEDGER_TABLES.nodes)
        .select('hash')
        .where('level', '=', level)
        .where('node_index', '=', index)
        .executeTakeFirst();
      if (!row) throw new Error(`The ledger is missing node ${level}/${index}: rebuild it`);
      edge.set(level, Buffer.from(row.hash, 'hex'));
    }
    const frontier = new TreeFrontier(size, edge);
    const leaves: Insertable<LedgerLeafRow>[] = [];
    const nodes: Insertable<LedgerNodeRow>[] = [];
    for (const event of events) {
      const hash = event.metadata['hash'];
      if (typeof hash !== 'string' || !HEX_HASH.test(hash)) throw new ProjectionEventError(event, new Error('the event has no chain hash'));
      const index = frontier.size;
      leaves.push({
        leaf_index: index,
        stream_name: event.streamName,
        revision: event.revision,
        event_hash: hash,
        position: event.position,
      });
      const leaf = leafHashOf({ hash, index, revision: event.revision, stream: event.streamName });
      for (const made of frontier.append(leaf)) nodes.push({ level: made.level, node_index: made.index, hash: made.hash.toString('hex') });
    }
    for (let i = 0; i < leaves.length; i += 200)
      await db
        .insertInto(LEDGER_TABLES.leaves)
        .values(leaves.slice(i, i + 200))
        .execute();
    for (let i = 0; i < nodes.length; i += 300)
      await db
        .insertInto(LEDGER_TABLES.nodes)
        .values(nodes.slice(i, i + 300))
        .execute();
  },
  async reset<DB extends LedgerTables>(trx: Queryable<DB>): Promise<void> {
    const db = narrowTables<DB, LedgerTables>(trx);
    await db.deleteFrom(LEDGER_TABLES.leaves).execute();
    await db.deleteFrom(LEDGER_TABLES.nodes).execute();
  },
};
