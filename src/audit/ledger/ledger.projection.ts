import type { DomainEvent } from '../../core/decider';
import type { RecordedEvent } from '../../core/event-store/event-store.port';
import { Projection, ProjectionEventError } from '../../core/projections/projection';
import { Queryable, insertRows, narrowTables } from '../../core/read-store/read-store';
import { LEDGER_TABLES, LedgerTables } from './ledger.tables';
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
  return leafHash(Buffer.from(canonicalLeafEntry(entry), 'utf8'));
}

/**
 * `canonicalize` of a leaf entry, written out (the ledger hashes one per event): its members are already in code-unit order,
 * and its numbers and strings are serialized as RFC 8785 serializes them, by JSON.stringify.
 */
function canonicalLeafEntry({ hash, index, revision, stream }: LeafEntry): string {
  return `{"hash":${JSON.stringify(hash)},"index":${jcsNumber(index)},"revision":${jcsNumber(revision)},"stream":${JSON.stringify(stream)}}`;
}

function jcsNumber(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`JCS: ${value} is not an I-JSON number`);
  return JSON.stringify(value);
}

const LEAF_COLUMNS = { leaf_index: 'bigint', stream_name: 'text', revision: 'bigint', event_hash: 'text', position: 'bigint' };
const NODE_COLUMNS = { level: 'integer', node_index: 'bigint', hash: 'text' };

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
    const frontier = await storedFrontier(narrowTables<DB, LedgerTables>(trx));
    const leaves: unknown[][] = [];
    const nodes: unknown[][] = [];
    for (const event of events) {
      const hash = event.metadata['hash'];
      if (typeof hash !== 'string' || !HEX_HASH.test(hash)) throw new ProjectionEventError(event, new Error('the event has no chain hash'));
      const index = frontier.size;
      leaves.push([index, event.streamName, event.revision, hash, event.position]);
      const leaf = leafHashOf({ hash, index, revision: event.revision, stream: event.streamName });
      for (const made of frontier.append(leaf)) nodes.push([made.level, made.index, made.hash.toString('hex')]);
    }
    await insertRows(trx, LEDGER_TABLES.leaves, LEAF_COLUMNS, leaves);
    await insertRows(trx, LEDGER_TABLES.nodes, NODE_COLUMNS, nodes);
  },
  async reset<DB extends LedgerTables>(trx: Queryable<DB>): Promise<void> {
    const db = narrowTables<DB, LedgerTables>(trx);
    await db.deleteFrom(LEDGER_TABLES.leaves).execute();
    await db.deleteFrom(LEDGER_TABLES.nodes).execute();
  },
};

/** The right edge of the stored tree, read in one query: what the next leaves hash into. */
async function storedFrontier(db: Queryable<LedgerTables>): Promise<TreeFrontier> {
  const size = await ledgerSize(db);
  const wanted = TreeFrontier.nodesOf(size);
  if (wanted.length === 0) return new TreeFrontier();
  const rows = await db
    .selectFrom(LEDGER_TABLES.nodes)
    .select(['level', 'hash'])
    .where((eb) => eb.or(wanted.map(({ level, index }) => eb.and([eb('level', '=', level), eb('node_index', '=', index)]))))
    .execute();
  const edge = new Map(rows.map((row) => [Number(row.level), Buffer.from(row.hash, 'hex')]));
  for (const { level, index } of wanted) if (!edge.has(level)) throw new Error(`The ledger is missing node ${level}/${index}: rebuild it`);
  return new TreeFrontier(size, edge);
}
