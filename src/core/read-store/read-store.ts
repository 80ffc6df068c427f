import Database from 'better-sqlite3';
import { Logger } from '@nestjs/common';
import {
  ColumnType,
  CompiledQuery,
  Kysely,
  Migration,
  Migrator,
  PostgresAdapter,
  PostgresDialect,
  PostgresPool,
  PostgresPoolClient,
  SqliteAdapter,
  SqliteDatabase,
  SqliteDialect,
  SqliteStatement,
  Transaction,
  sql,
} from 'kysely';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Pool, PoolClient } from 'pg';
import { checkpointInBackground } from '../sqlite/background-checkpoints';
import { ReportThreadDialect } from './report-thread';

export type ReadStoreDialect = 'sqlite' | 'postgres';

/**
 * The read-model database: an SQLite file by default, PostgreSQL when a URL is given. Every
 * projection and query goes through Kysely, so one set of typed queries serves both. `DB` is the
 * tables the read store holds: each module declares its own, the application composes them.
 */
export interface ReadStore<DB> {
  readonly dialect: ReadStoreDialect;
  readonly db: Kysely<DB>;
  /**
   * For long read-only queries (analytics reports): on SQLite a worker thread's read-only connection (ReportThreadDialect),
   * so a report does not hold the event loop that serves commands; on PostgreSQL the pool `db` uses, whose queries wait
   * on the server, not the thread. Never for reads that must see this connection's uncommitted writes, nor for writes.
   */
  readonly reports: Kysely<DB>;
  close(): Promise<void>;
}

/**
 * The read store cannot answer now (unreachable, connection lost, a statement or connection timeout,
 * SQLite busy): nothing is wrong with the request, so it is a 503 with Retry-After, and projections retry.
 */
export class ReadStoreUnavailableError extends Error {
  constructor(
    override readonly cause: unknown,
    readonly retryAfterSeconds = 2,
  ) {
    super(`The read store is unavailable: ${describe(cause)}`);
    this.name = 'ReadStoreUnavailableError';
  }
}

/** A `bigint` column: PostgreSQL returns it as text, SQLite as a number; it is written as a number. */
export type BigintColumn = ColumnType<number | string, number, number>;

export interface ReadStoreOptions {
  /** `postgres://…` for PostgreSQL; absent for the embedded SQLite file. */
  readonly url?: string;
  /** Where the SQLite file lives when no URL is given. */
  readonly dataDir: string;
  /** PostgreSQL schema to use (created if missing); tests use one per suite. */
  readonly schema?: string;
  /** Bounds on every read-store query; defaults: DEFAULT_READ_STORE_TIMEOUTS. */
  readonly timeouts?: ReadStoreTimeouts;
}

export interface ReadStoreTimeouts {
  /** PostgreSQL: the server cancels a statement running longer (statement_timeout) and the client gives up on an answer (query_timeout). */
  readonly statementMs: number;
  /** PostgreSQL: how long to wait for a new connection; also how long a query waits for a free one in the pool. */
  readonly connectMs: number;
  /** SQLite: how long a write waits for another writer's lock (busy_timeout). */
  readonly busyMs: number;
}

export const DEFAULT_READ_STORE_TIMEOUTS: ReadStoreTimeouts = { statementMs: 5000, connectMs: 3000, busyMs: 5000 };

export const READ_STORE = Symbol('ReadStore');

/** Opens the read store as a database of `DB`'s tables (the migrations create them). */
export async function openReadStore<DB>(options: ReadStoreOptions): Promise<ReadStore<DB>> {
  const timeouts = options.timeouts ?? DEFAULT_READ_STORE_TIMEOUTS;
  if (options.url) return openPostgres<DB>(options.url, timeouts, options.schema);
  mkdirSync(options.dataDir, { recursive: true });
  const sqlite = new Database(join(options.dataDir, 'read-models.db'));
  sqlite.pragma('journal_mode = WAL');
  // Rebuildable from the event log, so a power cut may cost the last batches but never consistency (ADR 0007).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`busy_timeout = ${timeouts.busyMs}`);
  const checkpoints = checkpointInBackground(sqlite, 'ReadStore');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withPreparedStatements(busyAsUnavailable(sqlite)) }) });
  const reportThread = new ReportThreadDialect({
    filename: sqlite.name,
    busyMs: timeouts.busyMs,
    fallback: (query) => db.executeQuery(query),
    failure: unavailableWhenBusy,
  });
  const reports = new Kysely<DB>({ dialect: reportThread });
  return {
    dialect: 'sqlite',
    db,
    reports,
    close: async () => {
      await reportThread.close();
      await checkpoints.stop();
      await db.destroy();
    },
  };
}

/** How many distinct SQL texts keep their prepared statement (queries with IN lists vary in text). */
const PREPARED_STATEMENTS = 1000;

/**
 * The database as Kysely's SQLite driver sees it, preparing each SQL text once: the driver asks for a new
 * statement on every query, which costs more than running most of them. Safe to share: the driver runs one
 * query at a time on its single connection. Past the bound, the statement used least recently goes (a Map
 * keeps insertion order, and a statement used is moved to its end), so a burst of one-off texts cannot
 * push out the statements every batch runs.
 */
export function withPreparedStatements(sqlite: SqliteDatabase): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement) statements.delete(text);
      else {
        statement = sqlite.prepare(text);
        if (statements.size >= PREPARED_STATEMENTS) statements.delete(statements.keys().next().value!);
      }
      statements.set(text, statement);
      return statement;
    },
  };
}

async function openPostgres<DB>(url: string, timeouts: ReadStoreTimeouts, schema?: string): Promise<ReadStore<DB>> {
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid PostgreSQL schema name "${schema}"`);
  const pool = new Pool({
    connectionString: url,
    max: 10,
    application_name: 'redress',
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    // A blackholed connection never answers: the client gives up a little after the server would have cancelled.
    query_timeout: timeouts.statementMs + 1000,
    keepAlive: true,
    idleTimeoutMillis: 30_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const guarded = new GuardedPool(pool);
  if (schema) {
    const client = await guarded.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`, []);
    } finally {
      client.release();
    }
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: guarded }) });
  return { dialect: 'postgres', db, reports: db, close: () => db.destroy() };
}

const logger = new Logger('ReadStore');

/**
 * The pg pool as Kysely sees it, made safe to lose: an idle client's `error` is the pool's (handled here), a
 * checked-out client's is caught while it is out and the client destroyed on release instead of reused; and
 * every failure to connect or to get an answer becomes a ReadStoreUnavailableError. Logs once per change of
 * state (unavailable, then available again), not once per failed query.
 */
class GuardedPool implements PostgresPool {
  private unavailableSince?: Date;

  constructor(private readonly pool: Pool) {
    pool.on('error', (error) => this.lost(error));
    // From its first moment: a connection can fail in the same socket read that made it ready (pg_terminate_backend),
    // after the pool let go of it and before `connect` below has it; an `error` with no listener would end the process.
    pool.on('connect', (client) => client.on('error', (error) => this.lost(error)));
  }

  async connect(): Promise<PostgresPoolClient> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.lost(error);
    }
    let broken: Error | undefined;
    // Reported by the listener every client has from its connection on; here it only marks this one not to be reused.
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    const query = ((text: unknown, parameters?: readonly unknown[]) => {
      // Kysely streams through a cursor object; it reports its own errors on read.
      if (typeof text !== 'string') return client.query(text as never);
      return client.query(text, parameters as unknown[]).then(
        (result) => {
          this.regained();
          return result;
        },
        (error: unknown) => {
          if (!connectionFailure(error)) throw error;
          broken = error instanceof Error ? error : new Error(String(error));
          throw this.lost(error);
        },
      );
    }) as unknown as PostgresPoolClient['query'];
    return {
      query,
      release: () => {
        client.removeListener('error', onError);
        // A client that lost its connection, or whose answer never came, is destroyed, not handed to the next query.
        client.release(broken ?? false);
      },
    };
  }

  end(): Promise<void> {
    return this.pool.end();
  }

  private lost(error: unknown): ReadStoreUnavailableError {
    if (!this.unavailableSince) {
      this.unavailableSince = new Date();
      logger.warn(`PostgreSQL read store unavailable: ${describe(error)}`);
    }
    return error instanceof ReadStoreUnavailableError ? error : new ReadStoreUnavailableError(error);
  }

  private regained(): void {
    if (!this.unavailableSince) return;
    logger.log(`PostgreSQL read store available again after ${Date.now() - this.unavailableSince.getTime()} ms`);
    this.unavailableSince = undefined;
  }
}

/**
 * Whether a PostgreSQL error means the server could not answer, rather than that the query is wrong: no
 * SQLSTATE (the socket failed, the client timed out), connection exceptions (08), the server shutting down or
 * the session terminated (57P01-57P03), a statement cancelled by statement_timeout (57014), too many connections (53300).
 */
export function connectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return code.startsWith('08') || code.startsWith('57P') || code === '57014' || code === '53300';
}

/** SQLite reports a lock held past busy_timeout as SQLITE_BUSY: that read or write cannot be answered now. */
function unavailableWhenBusy(error: unknown): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' ? new ReadStoreUnavailableError(error) : error;
}

function busyAsUnavailable(database: Database.Database): SqliteDatabase {
  const guard =
    <A extends unknown[], R>(run: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return run(...args);
      } catch (error) {
        throw unavailableWhenBusy(error);
      }
    };
  return {
    close: () => database.close(),
    prepare: (text: string): SqliteStatement => {
      const statement = database.prepare(text);
      return {
        reader: statement.reader,
        all: guard((parameters: ReadonlyArray<unknown>) => statement.all(parameters)),
        run: guard((parameters: ReadonlyArray<unknown>) => statement.run(parameters)),
        iterate: (parameters: ReadonlyArray<unknown>) => statement.iterate(parameters),
      };
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof ReadStoreUnavailableError) return describe(error.cause);
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}

/** A round trip to the read store (readiness): resolves, or throws ReadStoreUnavailableError within the timeouts. */
export async function pingReadStore(store: ReadStore<unknown>): Promise<void> {
  await sql`SELECT 1`.execute(store.db);
}

/** Applies every migration not yet applied, in name order; names are prefixed so modules interleave predictably. */
export async function migrateReadStore<DB>(store: ReadStore<DB>, migrations: Record<string, Migration>): Promise<void> {
  // Kysely looks for its migration table in every schema unless told which: name ours, so each
  // read-store schema in a database keeps its own migration history.
  const migrationTableSchema =
    store.dialect === 'postgres'
      ? (await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(store.db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(`Read-store migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Whether `db` speaks SQLite: what a migration or a projection with dialect-specific SQL asks. */
export const isSqlite = (db: Kysely<unknown>): boolean => db.getExecutor().adapter instanceof SqliteAdapter;

/** What queries run on: the read store's database or a transaction on it (taking both lets the compiler infer `DB` from either). */
export type Queryable<DB> = Kysely<DB> | Transaction<DB>;

/**
 * `db` seen through some of its tables: what code that needs only those tables works on. Every query typed
 * against some of a database's tables is valid against the whole database, so the view is sound.
 */
export function narrowTables<All extends Some, Some>(db: Queryable<All>): Kysely<Some> {
  return db as unknown as Kysely<Some>; // Kysely cannot see it: its database type is invariant (a transaction hands it back to its callback)
}

/** Bound parameters per statement of `insertRows` on SQLite: well under its limit (32,766). */
const INSERT_PARAMETERS = 3000;

/** Rows per statement of `insertRows` on PostgreSQL, where a statement binds one array per column. */
const INSERT_ARRAY_ROWS = 5000;

/** The columns `insertRows` writes, in the order of each row's values, with their PostgreSQL types (`bigint`, `text`, …). */
export type InsertColumns = Readonly<Record<string, string>>;

/**
 * Writes `rows` (each the values of `columns`, in that order) in few statements, compiled here rather than through
 * Kysely's query builder, whose parsing of every value of every row costs more than the database takes to write them:
 * multi-row VALUES on SQLite; on PostgreSQL an INSERT from `unnest` of one array per column, which the server binds and
 * plans in a fraction of the time of thousands of parameters. `conflict` (an ON CONFLICT clause, spelled the same in both
 * dialects) ends each statement. Names are the caller's constants, quoted as Kysely quotes them.
 */
export async function insertRows<DB>(
  db: Queryable<DB>,
  table: string,
  columns: InsertColumns,
  rows: readonly (readonly unknown[])[],
  conflict = '',
): Promise<void> {
  const names = Object.keys(columns);
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const perStatement = postgres ? INSERT_ARRAY_ROWS : Math.max(1, Math.floor(INSERT_PARAMETERS / names.length));
  const into = `insert into ${quoted(table)} (${names.map(quoted).join(', ')})`;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const query = postgres
      ? CompiledQuery.raw(
          `${into} select * from unnest(${names.map((name, n) => `$${n + 1}::${columns[name]}[]`).join(', ')}) ${conflict}`,
          names.map((_, n) => chunk.map((row) => row[n])),
        )
      : CompiledQuery.raw(`${into} values ${placeholders(chunk.length, names.length)} ${conflict}`, chunk.flat());
    await db.executeQuery(query);
  }
}

function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `(?, ?), (?, ?)`: `rows` tuples of `columns` parameters. */
function placeholders(rows: number, columns: number): string {
  const tuple = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => tuple).join(', ');
}
