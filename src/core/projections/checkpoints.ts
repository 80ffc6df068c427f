import type { Kysely, Migration } from 'kysely';
import { BigintColumn, Queryable, narrowTables } from '../read-store/read-store';

export const CHECKPOINTS_TABLE = 'projection_checkpoints';

/** One row per projection: how far it has applied the log, and where it stopped if it failed. */
export interface CheckpointsTable {
  name: string;
  position: BigintColumn;
  failed_position: BigintColumn | null;
  error: string | null;
  updated_at: string;
}

/** The tables the projection runner keeps in every read store (leadership reads and locks them too). */
export interface CheckpointTables {
  [CHECKPOINTS_TABLE]: CheckpointsTable;
}

export interface CheckpointRow {
  name: string;
  position: number;
  failed_position: number | null;
  error: string | null;
  updated_at: string;
}

export const checkpointMigrations: Record<string, Migration> = {
  '0001_projection_checkpoints': {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration runs before its tables exist: Kysely's documented practice
    async up(db: Kysely<any>) {
      await db.schema
        .createTable(CHECKPOINTS_TABLE)
        .addColumn('name', 'varchar(100)', (column) => column.primaryKey())
        .addColumn('position', 'bigint', (column) => column.notNull().defaultTo(0))
        .addColumn('failed_position', 'bigint')
        .addColumn('error', 'text')
        .addColumn('updated_at', 'varchar(40)', (column) => column.notNull())
        .execute();
    },
  },
};

function checkpoints<DB extends CheckpointTables>(db: Queryable<DB>): Kysely<CheckpointTables> {
  return narrowTables<DB, CheckpointTables>(db);
}

export async function readCheckpoint<DB extends CheckpointTables>(db: Queryable<DB>, name: string): Promise<CheckpointRow | undefined> {
  const row = await checkpoints(db).selectFrom(CHECKPOINTS_TABLE).selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) return undefined;
  return {
    ...row,
    position: Number(row.position),
    failed_position: row.failed_position === null ? null : Number(row.failed_position),
  };
}

export async function writeCheckpoint<DB extends CheckpointTables>(db: Queryable<DB>, row: CheckpointRow): Promise<void> {
  const { name, ...rest } = row;
  await checkpoints(db)
    .insertInto(CHECKPOINTS_TABLE)
    .values(row)
    .onConflict((conflict) => conflict.column('name').doUpdateSet(rest))
    .execute();
}

/** Moves several projections' checkpoints in one statement (a shared pass's or the live catch-up loop's). */
export async function writeCheckpoints<DB extends CheckpointTables>(db: Queryable<DB>, rows: readonly CheckpointRow[]): Promise<void> {
  if (rows.length === 0) return;
  await checkpoints(db)
    .insertInto(CHECKPOINTS_TABLE)
    .values([...rows])
    .onConflict((conflict) =>
      conflict.column('name').doUpdateSet((eb) => ({
        position: eb.ref('excluded.position'),
        failed_position: eb.ref('excluded.failed_position'),
        error: eb.ref('excluded.error'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Creates the projection's checkpoint at the start of the log, unless it has one. */
export async function ensureCheckpoint<DB extends CheckpointTables>(db: Queryable<DB>, row: CheckpointRow): Promise<void> {
  await checkpoints(db)
    .insertInto(CHECKPOINTS_TABLE)
    .values(row)
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute();
}

/** The projection's checkpoint position, its row locked until the transaction ends (PostgreSQL; 0 without a row). */
export async function lockCheckpoint<DB extends CheckpointTables>(trx: Queryable<DB>, name: string): Promise<number> {
  const row = await checkpoints(trx)
    .selectFrom(CHECKPOINTS_TABLE)
    .select('position')
    .where('name', '=', name)
    .forUpdate()
    .executeTakeFirst();
  return row ? Number(row.position) : 0;
}
