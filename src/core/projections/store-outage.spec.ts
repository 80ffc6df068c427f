import Database from 'better-sqlite3';
import { Client } from 'pg';
import { ReadStoreUnavailableError } from '../read-store/read-store';
import { isStoreOutage } from './store-outage';

/** What node-postgres rejects with for a server error: its SQLSTATE in `code`. */
const postgresError = (code: string, message = 'server error') => Object.assign(new Error(message), { code });

/** The error better-sqlite3 throws for `statement` on `db`. */
function sqliteError(db: Database.Database, statement: string): unknown {
  try {
    db.exec(statement);
  } catch (error) {
    return error;
  }
  throw new Error(`${statement} did not fail`);
}

describe('isStoreOutage', () => {
  it('says yes to a store that cannot answer now: PostgreSQL connection, shutdown, resource and timeout states', () => {
    for (const code of [
      '08006',
      '08001',
      '08P01',
      '57P01',
      '57P02',
      '57P03',
      '53300',
      '53100',
      '57014',
      '40001',
      '40P01',
      '55P03',
      '25006',
    ])
      expect([code, isStoreOutage(postgresError(code))]).toEqual([code, true]);
    expect(isStoreOutage(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isStoreOutage(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('says yes to a refused or reset connection, alone or wrapped (AggregateError, cause, ReadStoreUnavailableError)', async () => {
    const refused: unknown = await new Client({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 2000 })
      .connect()
      .catch((error: unknown) => error);
    expect(isStoreOutage(refused)).toBe(true);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(isStoreOutage(new AggregateError([reset], 'all addresses failed'))).toBe(true);
    expect(isStoreOutage(new Error('query failed', { cause: reset }))).toBe(true);
    expect(isStoreOutage(new ReadStoreUnavailableError(new Error('anything')))).toBe(true);
  });

  it('says yes to SQLite busy, locked, I/O, full, unopenable and read-only codes, extended ones included', () => {
    for (const code of [
      'SQLITE_BUSY',
      'SQLITE_BUSY_SNAPSHOT',
      'SQLITE_LOCKED',
      'SQLITE_IOERR_WRITE',
      'SQLITE_FULL',
      'SQLITE_CANTOPEN',
      'SQLITE_READONLY',
    ])
      expect([code, isStoreOutage(Object.assign(new Error(code), { code }))]).toEqual([code, true]);
  });

  it("says no to what may be an event's doing: constraint violations, bad data, a TypeError", () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL CHECK (length(body) > 0))');
    db.exec("INSERT INTO t VALUES ('a', 'x')");
    expect(isStoreOutage(sqliteError(db, "INSERT INTO t VALUES ('b', NULL)"))).toBe(false);
    expect(isStoreOutage(sqliteError(db, "INSERT INTO t VALUES ('c', '')"))).toBe(false);
    expect(isStoreOutage(sqliteError(db, "INSERT INTO t VALUES ('a', 'y')"))).toBe(false);
    db.close();
    for (const code of ['23502', '23505', '23514', '22P02', '42703'])
      expect([code, isStoreOutage(postgresError(code))]).toEqual([code, false]);
    expect(isStoreOutage(new TypeError("Cannot read properties of undefined (reading 'trim')"))).toBe(false);
    expect(isStoreOutage('a string')).toBe(false);
    expect(isStoreOutage(undefined)).toBe(false);
  });
});
