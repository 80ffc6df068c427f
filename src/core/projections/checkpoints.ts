import type { Kysely, Migration } from 'kysely';

export const CHECKPOINTS_TABLE = 'projection_checkpoints';

export interface CheckpointRow {
  name: string;
  position: number;
  failed_position: number | null;
  error: string | null;
  updated_at: string;
}

export const checkpointMigrations: Record<string, Migration> = {
  '0001_projection_checkpoints': {
    async up(db: Kysely<any>) {
      await db.schema.createTable(CHECKPOINTS_TABLE)
        .addColumn('name', 'varchar(100)', (column) => column.primaryKey())
        .addColumn('position', 'bigint', (column) => column.notNull().defaultTo(0))
        .addColumn('failed_position', 'bigint')
        .addColumn('error', 'text')
        .addColumn('updated_at', 'varchar(40)', (column) => column.notNull())
        .execute();
    },
  },
};

export async function readCheckpoint(db: Kysely<any>, name: string): Promise<CheckpointRow | undefined> {
  const row = await db.selectFrom(CHECKPOINTS_TABLE).selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) return undefined;
  // PostgreSQL returns bigint columns as strings.
  return {
    ...row,
    position: Number(row.position),
    failed_position: row.failed_position === null ? null : Number(row.failed_position),
  } as CheckpointRow;
}

export async function writeCheckpoint(db: Kysely<any>, row: CheckpointRow): Promise<void> {
  const { name, ...rest } = row;
  await db.insertInto(CHECKPOINTS_TABLE).values(row)
    .onConflict((conflict) => conflict.column('name').doUpdateSet(rest))
    .execute();
}
