import type { Kysely, Migration } from 'kysely';
import type { BigintColumn } from '../../core/read-store/read-store';

/**
 * The ledger: a Merkle tree (RFC 9162) with one leaf per event of the global log, in log order.
 * Every perfect subtree is kept (`ledger_nodes`, level 0 being the leaf hashes), so any inclusion or
 * consistency proof takes O(log n) lookups; `ledger_leaves` says which event each leaf is.
 * Signed checkpoints (`ledger_checkpoints`) are history, not a projection: a rebuild keeps them.
 */
export const LEDGER_TABLES = {
  leaves: 'ledger_leaves',
  nodes: 'ledger_nodes',
  checkpoints: 'ledger_checkpoints',
} as const;

export interface LedgerLeafRow {
  leaf_index: BigintColumn;
  stream_name: string;
  revision: BigintColumn;
  /** The event's chain hash (lowercase hex), as stored in its metadata. */
  event_hash: string;
  position: BigintColumn;
}

export interface LedgerNodeRow {
  level: number;
  node_index: BigintColumn;
  /** Lowercase hex SHA-256. */
  hash: string;
}

export interface LedgerCheckpointRow {
  tree_size: BigintColumn;
  root_hash: string;
  issued_at: string;
  key_id: string;
  /** Ed25519 over the JCS canonical JSON of {issuedAt, keyId, rootHash, treeSize}, base64url. */
  signature: string;
}

export interface LedgerTables {
  [LEDGER_TABLES.leaves]: LedgerLeafRow;
  [LEDGER_TABLES.nodes]: LedgerNodeRow;
  [LEDGER_TABLES.checkpoints]: LedgerCheckpointRow;
}

export const ledgerMigrations: Record<string, Migration> = {
  '0300_ledger': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration runs before its tables exist: Kysely's documented practice
    async up(db: Kysely<any>) {
      await db.schema
        .createTable(LEDGER_TABLES.leaves)
        .addColumn('leaf_index', 'bigint', (column) => column.primaryKey())
        .addColumn('stream_name', 'varchar(200)', (column) => column.notNull())
        .addColumn('revision', 'bigint', (column) => column.notNull())
        .addColumn('event_hash', 'varchar(64)', (column) => column.notNull())
        .addColumn('position', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('ledger_leaves_stream').on(LEDGER_TABLES.leaves).columns(['stream_name', 'revision']).execute();
      await db.schema
        .createTable(LEDGER_TABLES.nodes)
        .addColumn('level', 'integer', (column) => column.notNull())
        .addColumn('node_index', 'bigint', (column) => column.notNull())
        .addColumn('hash', 'varchar(64)', (column) => column.notNull())
        .addPrimaryKeyConstraint('ledger_nodes_pk', ['level', 'node_index'])
        .execute();
      await db.schema
        .createTable(LEDGER_TABLES.checkpoints)
        .addColumn('tree_size', 'bigint', (column) => column.primaryKey())
        .addColumn('root_hash', 'varchar(64)', (column) => column.notNull())
        .addColumn('issued_at', 'varchar(40)', (column) => column.notNull())
        .addColumn('key_id', 'varchar(100)', (column) => column.notNull())
        .addColumn('signature', 'text', (column) => column.notNull())
        .execute();
    },
  },
};
