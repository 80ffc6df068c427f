import { type Kysely, type Migration, sql } from 'kysely';
import { type AnyTables, type TableRow, chunked } from './row-changes';

/** A tally a row counts in, within a scope (a team, or '' for rows of none): what a dashboard would count rows by. */
export type TallyKey = readonly [scope: string, tally: string];

/**
 * Counts kept beside a document table, so that a query which would count over every row reads a few counters instead:
 * each flush moves them by what its row changes moved (written in the same transaction as the rows), a reset empties
 * them, and a store migrated onto them is counted once from its rows.
 */
export interface RowTallies {
  /** The counters' table: `scope`, `tally` and the number of rows `counted`, keyed by the first two. */
  readonly table: string;
  /** Every tally a row counts in, once each; the row is as stored (a read value) or as about to be written. */
  countedIn(row: TableRow): readonly TallyKey[];
}

/** The counters' rows, as a migration creates them. */
export type TallyRow = {
  scope: string;
  tally: string;
  counted: number;
};

const key = (scope: string, tally: string) => `${scope}\u0000${tally}`;

/** How much each tally moves when the rows `before` become the rows `after` (zeros left out). */
export function tallyChanges(tallies: RowTallies, before: readonly TableRow[], after: readonly TableRow[]): Map<string, TallyRow> {
  const changes = new Map<string, TallyRow>();
  const move = (rows: readonly TableRow[], by: number) => {
    for (const row of rows) {
      for (const [scope, tally] of tallies.countedIn(row)) {
        const name = key(scope, tally);
        const change = changes.get(name) ?? { scope, tally, counted: 0 };
        change.counted += by;
        changes.set(name, change);
      }
    }
  };
  move(before, -1);
  move(after, 1);
  for (const [name, change] of changes) if (change.counted === 0) changes.delete(name);
  return changes;
}

/**
 * Moves the counters by what the rows' change moved: one multi-row upsert adding each change to its counter (on both
 * dialects), then the counters this change brought to zero deleted, so that the table holds only what is counted.
 */
export async function writeTallyChanges(
  db: Kysely<AnyTables>,
  tallies: RowTallies,
  before: readonly TableRow[],
  after: readonly TableRow[],
): Promise<void> {
  const changes = [...tallyChanges(tallies, before, after).values()];
  if (changes.length === 0) return;
  for (const chunk of chunked(changes)) {
    await db
      .insertInto(tallies.table)
      .values(chunk)
      .onConflict((conflict) =>
        conflict.columns(['scope', 'tally']).doUpdateSet({ counted: sql`${sql.ref(`${tallies.table}.counted`)} + excluded.counted` }),
      )
      .execute();
  }
  const lowered = changes.filter((change) => change.counted < 0);
  if (lowered.length === 0) return;
  // Every pair of the lowered scopes and tallies, a superset of those lowered: a zero counter is no counter, wherever it is.
  await db
    .deleteFrom(tallies.table)
    .where('counted', '=', 0)
    .where('scope', 'in', [...new Set(lowered.map((change) => change.scope))])
    .where('tally', 'in', [...new Set(lowered.map((change) => change.tally))])
    .execute();
}

/** Rows read at a time when a migration counts a table that already has rows. */
const ROWS_PER_PAGE = 1000;

/**
 * The migration that creates the counters of `source`'s rows and counts the rows already there, a page at a time in
 * key order, through the same `countedIn` as every later change.
 */
export function tallyTableMigration(tallies: RowTallies, source: { table: string; key: string }): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration runs before its tables exist: Kysely's documented practice
    async up(db: Kysely<any>) {
      await db.schema
        .createTable(tallies.table)
        .addColumn('scope', 'varchar(128)', (column) => column.notNull())
        .addColumn('tally', 'varchar(128)', (column) => column.notNull())
        .addColumn('counted', 'integer', (column) => column.notNull())
        .addPrimaryKeyConstraint(`${tallies.table}_pk`, ['scope', 'tally'])
        .execute();
      // A tally across every scope (a whole desk's count) is a range of this index, not a read of every counter.
      await db.schema.createIndex(`${tallies.table}_tally_idx`).on(tallies.table).columns(['tally', 'scope']).execute();
      const anyDb = db as Kysely<AnyTables>;
      let after: string | undefined;
      for (;;) {
        let page = anyDb.selectFrom(source.table).selectAll().orderBy(source.key).limit(ROWS_PER_PAGE);
        if (after !== undefined) page = page.where(source.key, '>', after);
        const rows = await page.execute();
        if (rows.length === 0) return;
        await writeTallyChanges(anyDb, tallies, [], rows);
        after = String(rows[rows.length - 1][source.key]);
      }
    },
  };
}
