import { Logger } from '@nestjs/common';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { Worker } from 'node:worker_threads';

/**
 * The reporting thread: a read-only connection of its own to the read store's file, each SQL text prepared once, every
 * answer or failure posted back by the query's id. Errors travel as their message and SQLite code: a thread cannot hand
 * over the error itself.
 */
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = ' + workerData.busyMs);
const statements = new Map();
const prepared = (text) => {
  let statement = statements.get(text);
  if (!statement) {
    statement = db.prepare(text);
    if (statements.size >= 200) statements.delete(statements.keys().next().value);
    statements.set(text, statement);
  }
  return statement;
};
parentPort.on('message', ({ id, sql, parameters }) => {
  try {
    const statement = prepared(sql);
    if (!statement.reader) throw new Error('Reports only read: ' + sql.slice(0, 60));
    parentPort.postMessage({ id, rows: statement.all(parameters) });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String((error && error.message) || error), code: error && error.code } });
  }
});
`;

export interface ReportThreadOptions {
  readonly filename: string;
  readonly busyMs: number;
  /** Where a query runs when the thread cannot: the read store's own connection, in turn with its other queries. */
  readonly fallback: (query: CompiledQuery) => Promise<QueryResult<unknown>>;
  /** Turns a failure as SQLite reports it into the error callers see (a busy database becomes a 503). */
  readonly failure: (error: Error & { code?: string }) => unknown;
}

interface Pending {
  readonly query: CompiledQuery;
  readonly resolve: (result: QueryResult<unknown>) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A Kysely dialect for long read-only queries (analytics reports) on the embedded read store: each query runs on a worker
 * thread with a read-only connection of its own, so that a report of some hundreds of milliseconds never holds the event
 * loop that serves commands and applies projections. WAL lets the thread read the last committed state while the
 * service's connection writes. The thread starts at the first query and holds the process open only while it answers;
 * should it fail, queries run on the read store's own connection (logged once), as they did before.
 * Reads only: the thread's connection refuses a write, and the dialect a transaction.
 */
export class ReportThreadDialect implements Dialect {
  private readonly driver: ReportThreadDriver;

  constructor(options: ReportThreadOptions) {
    this.driver = new ReportThreadDriver(options);
  }

  /** Stops the thread, whether or not Kysely ever used the dialect; later queries are refused. */
  close(): Promise<void> {
    return this.driver.destroy();
  }

  createAdapter() {
    return new SqliteAdapter();
  }

  createDriver(): Driver {
    return this.driver;
  }

  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
}

class ReportThreadDriver implements Driver {
  private readonly logger = new Logger('ReportThread');
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failed = false;
  private closed = false;
  private readonly connection: DatabaseConnection = {
    executeQuery: <R>(query: CompiledQuery) => this.execute(query) as Promise<QueryResult<R>>,
    streamQuery: () => {
      throw new Error('Reports are answered whole, not streamed');
    },
  };

  constructor(private readonly options: ReportThreadOptions) {}

  async init(): Promise<void> {}

  // Queries are independent and the thread answers them in turn: one connection serves them all.
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }

  async releaseConnection(): Promise<void> {}

  beginTransaction(): Promise<void> {
    return Promise.reject(new Error('Reports read without transactions'));
  }

  commitTransaction(): Promise<void> {
    return this.beginTransaction();
  }

  rollbackTransaction(): Promise<void> {
    return this.beginTransaction();
  }

  /** Stops the thread; queries it had not answered are refused (the read store is closing). */
  async destroy(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
    this.settleAll((pending) => pending.reject(new Error('The read store was closed')));
  }

  private execute(query: CompiledQuery): Promise<QueryResult<unknown>> {
    if (this.closed) return Promise.reject(new Error('The read store was closed'));
    const worker = this.thread();
    if (!worker) return this.here(query);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { query, resolve, reject });
      worker.ref();
      worker.postMessage({ id, sql: query.sql, parameters: query.parameters });
    });
  }

  /** The query on the read store's own connection, on this thread. */
  private here(query: CompiledQuery): Promise<QueryResult<unknown>> {
    return this.options.fallback(query);
  }

  private thread(): Worker | undefined {
    if (this.worker || this.failed) return this.worker;
    let worker: Worker;
    try {
      worker = new Worker(READER, {
        eval: true,
        workerData: { driver: require.resolve('better-sqlite3'), filename: this.options.filename, busyMs: this.options.busyMs },
      });
    } catch (error) {
      this.fail(error);
      return undefined;
    }
    worker.unref();
    worker.on('message', ({ id, rows, error }: { id: number; rows?: unknown[]; error?: { message: string; code?: string } }) => {
      const pending = this.pending.get(id);
      this.pending.delete(id);
      if (this.pending.size === 0) worker.unref();
      if (!pending) return;
      if (error) pending.reject(this.options.failure(Object.assign(new Error(error.message), { code: error.code })));
      else pending.resolve({ rows: rows ?? [] });
    });
    const lost = (error: unknown) => {
      if (this.worker !== worker) return; // destroyed, or already lost
      this.worker = undefined;
      this.fail(error);
      this.settleAll((pending) => this.here(pending.query).then(pending.resolve, pending.reject));
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the report thread exited with code ${code}`)));
    return (this.worker = worker);
  }

  private settleAll(settle: (pending: Pending) => void): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const each of pending) settle(each);
  }

  private fail(error: unknown): void {
    this.failed = true;
    this.logger.warn(
      `report thread unavailable, reports read on the main thread: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
