import Database from 'better-sqlite3';
import { Kysely, Migration, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';

export type ReadStoreDialect = 'sqlite' | 'postgres';

/**
 * The read-model database: an SQLite file by default, PostgreSQL when a URL is given. Every
 * projection and query goes through Kysely, so one set of typed queries serves both.
 */
export interface ReadStore {
  readonly dialect: ReadStoreDialect;
  readonly db: Kysely<any>;
  close(): Promise<void>;
}

export interface ReadStoreOptions {
  /** `postgres://…` for PostgreSQL; absent for the embedded SQLite file. */
  readonly url?: string;
  /** Where the SQLite file lives when no URL is given. */
  readonly dataDir: string;
  /** PostgreSQL schema to use (created if missing); tests use one per suite. */
  readonly schema?: string;
}

export const READ_STORE = Symbol('ReadStore');

export async function openReadStore(options: ReadStoreOptions): Promise<ReadStore> {
  if (options.url) return openPostgres(options.url, options.schema);
  mkdirSync(options.dataDir, { recursive: true });
  const sqlite = new Database(join(options.dataDir, 'read-models.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { dialect: 'sqlite', db, close: () => db.destroy() };
}

async function openPostgres(url: string, schema?: string): Promise<ReadStore> {
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid PostgreSQL schema name "${schema}"`);
  const pool = new Pool({ connectionString: url, max: 10, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return { dialect: 'postgres', db, close: () => db.destroy() };
}

/** Applies every migration not yet applied, in name order; names are prefixed so modules interleave predictably. */
export async function migrateReadStore(store: ReadStore, migrations: Record<string, Migration>): Promise<void> {
  // Kysely looks for its migration table in every schema unless told which: name ours, so each
  // read-store schema in a database keeps its own migration history.
  const migrationTableSchema = store.dialect === 'postgres'
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
