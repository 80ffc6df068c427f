/**
 * Every read-store query is bounded: a PostgreSQL statement that runs past the statement timeout, and an SQLite
 * write that meets another writer's lock past the busy timeout, fail fast as ReadStoreUnavailableError (a 503 at the
 * HTTP edge) instead of holding the caller.
 */
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadStoreUnavailableError, openReadStore } from '../../src/core/read-store/read-store';
import { describeWithPostgres, postgresUrl, useTemporarySchemas } from '../support/postgres';

const TIMEOUTS = { statementMs: 300, connectMs: 500, busyMs: 200 };

describe('read-store timeouts on SQLite', () => {
  it('fails a write blocked by another writer past busy_timeout with ReadStoreUnavailableError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redress-busy-'));
    const store = await openReadStore<{ t: { id: number } }>({ dataDir: dir, timeouts: TIMEOUTS });
    const other = new Database(join(dir, 'read-models.db'));
    try {
      await sql`CREATE TABLE t (id INTEGER)`.execute(store.db);
      other.exec('BEGIN IMMEDIATE');
      const started = performance.now();
      await expect(store.db.insertInto('t').values({ id: 1 }).execute()).rejects.toBeInstanceOf(ReadStoreUnavailableError);
      expect(performance.now() - started).toBeLessThan(2000);
      other.exec('ROLLBACK');
      await store.db.insertInto('t').values({ id: 2 }).execute();
    } finally {
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithPostgres('read-store timeouts on PostgreSQL', () => {
  const schema = useTemporarySchemas();

  it('cancels a statement past statement_timeout with ReadStoreUnavailableError, and the store keeps answering', async () => {
    const store = await openReadStore({ url: postgresUrl(), schema: schema(), dataDir: tmpdir(), timeouts: TIMEOUTS });
    try {
      const started = performance.now();
      await expect(sql`SELECT pg_sleep(5)`.execute(store.db)).rejects.toBeInstanceOf(ReadStoreUnavailableError);
      expect(performance.now() - started).toBeLessThan(2000);
      expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(store.db)).rows[0].one).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('fails fast, as unavailable, when the server cannot be reached (the blackhole case is in read-store-faults.spec.ts)', async () => {
    const url = new URL(postgresUrl());
    url.host = '127.0.0.1:1';
    const started = performance.now();
    await expect(openReadStore({ url: url.toString(), schema: schema(), dataDir: tmpdir(), timeouts: TIMEOUTS })).rejects.toBeInstanceOf(
      ReadStoreUnavailableError,
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
