import Database from 'better-sqlite3';
import { ColumnType, Kysely, Migration, Migrator, PostgresDialect, SqliteDatabase, SqliteDialect, Transaction, sql } from 'kysely';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';

export type ReadStoreDialect = 'sqlite' | 'postgres';

/**
 * The read-model database: an SQLite file by default, PostgreSQL when a URL is given. Every
 * projection and query goes through Kysely, so one set of typed queries serves both. `DB` is the
 * tables the read store holds: each module declares its own, the application composes them.
 */
export interface ReadStore<DB> {
  readonly dialect: ReadStoreDialect;
  readonly db: Kysely<DB>;
  close(): Promise<void>;
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
}

export const READ_STORE = Symbol('ReadStore');

/** Opens the read store as a database of `DB`'s tables (the migrations create them). */
export async function openReadStore<DB>(options: ReadStoreOptions): Promise<ReadStore<DB>> {
  if (options.url) return openPostgres<DB>(options.url, options.schema);
  mkdirSync(options.dataDir, { recursive: true });
  const sqlite = new Database(join(options.dataDir, 'read-models.db'));
  sqlite.pragma('journal_mode = WAL');
  // Rebuildable from the event log, so a power cut may cost the last batches but never consistency (ADR 0007).
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withPreparedStatements(sqlite) }) });
  return { dialect: 'sqlite', db, close: () => db.destroy() };
}

/** How many distinct SQL texts keep their prepared statement (queries with IN lists vary in text). */
const PREPARED_STATEMENTS = 1000;

/**
 * The database as Kysely's SQLite driver sees it, preparing each SQL text once: the driver asks for a new
 * statement on every query, which costs more than running most of them. Safe to share: the driver runs one
 * query at a time on its single connection.
 */
export function withPreparedStatements(sqlite: Database.Database): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement) return statement;
      statement = sqlite.prepare(text);
      if (statements.size >= PREPARED_STATEMENTS) statements.delete(statements.keys().next().value!);
      statements.set(text, statement);
      return statement;
    },
  };
}

async function openPostgres<DB>(url: string, schema?: string): Promise<ReadStore<DB>> {
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid PostgreSQL schema name "${schema}"`);
  const pool = new Pool({ connectionString: url, max: 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { dialect: 'postgres', db, close: () => db.destroy() };
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

/** What queries run on: the read store's database or a transaction on it (taking both lets the compiler infer `DB` from either). */
export type Queryable<DB> = Kysely<DB> | Transaction<DB>;

/**
 * `db` seen through some of its tables: what code that needs only those tables works on. Every query typed
 * against some of a database's tables is valid against the whole database, so the view is sound.
 */
export function narrowTables<All extends Some, Some>(db: Queryable<All>): Kysely<Some> {
  return db as unknown as Kysely<Some>; // Kysely cannot see it: its database type is invariant (a transaction hands it back to its callback)
}
