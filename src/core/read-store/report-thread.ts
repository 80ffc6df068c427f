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
import { WorkerTasks } from '../worker-tasks';

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
parentPort.on('message', ({ id, task: { sql, parameters } }) => {
  try {
    const statement = prepared(sql);
    if (!statement.reader) throw new Error('Reports only read: ' + sql.slice(0, 60));
    parentPort.postMessage({ id, result: statement.all(parameters) });
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
  private thread?: WorkerTasks<CompiledQuery, unknown[]>;
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
    const thread = this.thread;
    this.thread = undefined;
    await thread?.close(() => Promise.reject(closedError()));
  }

  private async execute(query: CompiledQuery): Promise<QueryResult<unknown>> {
    if (this.closed) throw closedError();
    const thread = this.started();
    return thread ? { rows: await thread.run(query) } : this.options.fallback(query);
  }

  private started(): WorkerTasks<CompiledQuery, unknown[]> | undefined {
    if (this.thread || this.failed) return this.thread;
    return (this.thread = WorkerTasks.start({
      source: READER,
      workerData: { driver: require.resolve('better-sqlite3'), filename: this.options.filename, busyMs: this.options.busyMs },
      here: async (query) => (await this.options.fallback(query)).rows,
      onLost: (error) => this.fail(error),
      failure: this.options.failure,
    }));
  }

  private fail(error: unknown): void {
    this.failed = true;
    this.thread = undefined;
    this.logger.warn(
      `report thread unavailable, reports read on the main thread: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

const closedError = () => new Error('The read store was closed');
