import { CompiledQuery, type Kysely, SqliteAdapter } from 'kysely';

export type RowValue = string | number | null;
export type TableRow = Record<string, RowValue>;

/**
 * A table seen as rows of anything: Kysely cannot type a query on a table named at run time. Each caller addresses only
 * its own table through it.
 */
export type AnyTables = Record<string, TableRow>;

/** Rows per multi-row statement: well under both dialects' bound-parameter limits for a table of thirty columns. */
const ROWS_PER_STATEMENT = 200;

/**
 * Brings a table's rows from `storedRows` (as the batch found them, read in its transaction) to `nextRows`, matched by `key`:
 * a stored row missing from `next` is deleted, a new one inserted, a changed one updated — and an unchanged one left alone.
 * A column a stored row leaves out or holds as null (a held document's text, see held-documents.ts) is written if `next` has it.
 *
 * New rows go in multi-row inserts. On SQLite a changed row is one update compiled once per shape (table and changed
 * columns) and run on the prepared statement the read store keeps for its text: naming only the columns that changed
 * leaves the indexes of the others alone. On PostgreSQL, where every statement is a round trip, new and changed rows
 * go in multi-row upserts.
 */
export async function writeRowChanges<Row extends object>(
  db: Kysely<AnyTables>,
  table: string,
  key: ReadonlyArray<keyof Row & string>,
  storedRows: readonly object[],
  nextRows: readonly Row[],
): Promise<void> {
  const stored = storedRows as readonly TableRow[];
  const next = nextRows as readonly TableRow[];
  const storedByKey = new Map(stored.map((row) => [keyOf(row, key), row]));
  const nextKeys = new Set<string>();
  const inserted: TableRow[] = [];
  const updated: Array<{ row: TableRow; changed: string[] }> = [];
  for (const row of next) {
    const rowKey = keyOf(row, key);
    nextKeys.add(rowKey);
    const before = storedByKey.get(rowKey);
    if (!before) inserted.push(row);
    else {
      const changed = Object.keys(row).filter((column) => !sameValue(row[column], before[column]));
      if (changed.length > 0) updated.push({ row, changed });
    }
  }
  const deleted = stored.filter((row) => !nextKeys.has(keyOf(row, key)));
  for (const row of deleted) await run(db, statement(db, table, 'delete', key, key), row);
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    for (const chunk of chunked(inserted)) await db.insertInto(table).values(chunk).execute();
    for (const { row, changed } of updated) await run(db, statement(db, table, 'update', changed, key), row);
  } else {
    await upsert(db, table, key, [...inserted, ...updated.map(({ row }) => row)]);
  }
}

/** The stored rows of `table` whose `column` is one of `values`, read a chunk at a time. */
export async function storedRows<Row extends object = TableRow>(
  db: Kysely<AnyTables>,
  table: string,
  column: keyof Row & string,
  values: readonly string[],
): Promise<Row[]> {
  const rows: Row[] = [];
  const filter: string = column;
  for (const chunk of chunked(values)) {
    const found = await db.selectFrom(table).selectAll().where(filter, 'in', chunk).execute();
    rows.push(...(found as Row[]));
  }
  return rows;
}

function keyOf(row: TableRow, key: readonly string[]): string {
  return key.length === 1 ? String(row[key[0]]) : JSON.stringify(key.map((column) => row[column]));
}

/** PostgreSQL returns a bigint column as text: 1999 and '1999' are the same stored value. */
function sameValue(a: RowValue | undefined, b: RowValue | undefined): boolean {
  return a === b || (typeof a !== typeof b && a !== null && b !== null && a !== undefined && b !== undefined && String(a) === String(b));
}

/** A statement's SQL, and the column whose value each of its parameters takes. */
interface Shape {
  readonly sql: string;
  readonly parameters: readonly string[];
}

const SHAPES = new Map<string, Shape>();
/** Distinct shapes kept (an update's shape is the set of columns it changes). */
const MAX_SHAPES = 2000;

/**
 * The statement of one shape, compiled by Kysely once: each value is a marker naming its column, so the compiled
 * parameters say which column each placeholder takes.
 */
function statement(
  db: Kysely<AnyTables>,
  table: string,
  kind: 'update' | 'delete',
  columns: readonly string[],
  key: readonly string[],
): Shape {
  const adapter = db.getExecutor().adapter.constructor.name;
  const id = `${adapter}\u0000${table}\u0000${kind}\u0000${columns.join('\u0000')}`;
  let shape = SHAPES.get(id);
  if (shape) return shape;
  const marker = (name: string) => `${MARKER}${name}`;
  const markers = (names: readonly string[]) => Object.fromEntries(names.map((name) => [name, marker(name)]));
  let compiled: CompiledQuery;
  if (kind === 'update') {
    let update = db.updateTable(table).set(markers(columns));
    for (const column of key) update = update.where(column, '=', marker(column));
    compiled = update.compile();
  } else {
    let deletion = db.deleteFrom(table);
    for (const column of key) deletion = deletion.where(column, '=', marker(column));
    compiled = deletion.compile();
  }
  shape = { sql: compiled.sql, parameters: compiled.parameters.map((marker) => String(marker).slice(MARKER.length)) };
  if (SHAPES.size >= MAX_SHAPES) SHAPES.delete(SHAPES.keys().next().value!);
  SHAPES.set(id, shape);
  return shape;
}

const MARKER = '\u0000column:';

function run(db: Kysely<AnyTables>, shape: Shape, row: TableRow): Promise<unknown> {
  return db.executeQuery(
    CompiledQuery.raw(
      shape.sql,
      shape.parameters.map((column) => row[column]),
    ),
  );
}

async function upsert(db: Kysely<AnyTables>, table: string, key: readonly string[], rows: readonly TableRow[]): Promise<void> {
  for (const chunk of chunked(rows)) {
    const replaced = Object.keys(chunk[0]).filter((column) => !key.includes(column));
    await db
      .insertInto(table)
      .values(chunk)
      .onConflict((conflict) =>
        conflict
          .columns([...key])
          .doUpdateSet((eb) => Object.fromEntries(replaced.map((column) => [column, eb.ref(`excluded.${column}`)]))),
      )
      .execute();
  }
}

/** `items` in slices of ROWS_PER_STATEMENT, each one multi-row statement's worth. */
export function chunked<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += ROWS_PER_STATEMENT) chunks.push(items.slice(start, start + ROWS_PER_STATEMENT));
  return chunks;
}
