/**
 * PostgreSQL for tests. The jest globalSetup (jest-global-setup.ts) probes DATABASE_URL once and
 * records the answer in REDRESS_POSTGRES_AVAILABLE, which every worker inherits. Under CI=true an
 * unreachable server fails the run there; on a developer machine the PostgreSQL suites are
 * registered as skipped, so the run says how many were left out.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const POSTGRES_AVAILABLE_ENV = 'REDRESS_POSTGRES_AVAILABLE';

export function postgresUrl(): string {
  return process.env['DATABASE_URL'] || DEFAULT_DATABASE_URL;
}

/** CI=true (or 1): tests that need PostgreSQL must run. */
export function runningInCi(): boolean {
  const ci = (process.env['CI'] ?? '').trim().toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}

export function postgresAvailable(): boolean {
  return process.env[POSTGRES_AVAILABLE_ENV] === '1';
}

/** The URL with any password masked, for messages. */
export function redactedPostgresUrl(url = postgresUrl()): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/** Connects once; resolves undefined when PostgreSQL answers, or the reason it does not. */
export async function probePostgres(url = postgresUrl(), timeoutMs = 3000): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  const started = Date.now();
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message || error.name : String(error);
    // pg reports its connect timeout as "Connection terminated unexpectedly": say what happened.
    return Date.now() - started >= timeoutMs - 100 ? `no answer within ${timeoutMs} ms: ${reason}` : reason;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * `describe` for suites that need PostgreSQL: runs them when the server answered the global
 * setup, registers them as skipped otherwise (never under CI, where that is a failure).
 */
export function describeWithPostgres(name: string, fn: () => void): void {
  const available = postgresAvailable();
  if (!available && runningInCi()) {
    // The global setup fails a CI run first; this catches a jest config that does not run it.
    describe(name, () => {
      it('needs PostgreSQL under CI', () => {
        throw new Error(
          `PostgreSQL tests must run under CI=true, but ${POSTGRES_AVAILABLE_ENV} is not 1: ` +
            'is test/support/jest-global-setup.ts the globalSetup of this jest config, and is PostgreSQL up?',
        );
      });
    });
    return;
  }
  const run = available ? describe : describe.skip;
  run(name, fn);
}

/** A fresh schema name, valid for openReadStore's `schema` option. */
export function temporarySchemaName(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(schema: string, url = postgresUrl()): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Refusing to drop "${schema}": not a plain schema name`);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Runs `fn` with a unique schema name, then drops the schema (CASCADE) whatever happened. Close stores on it inside `fn`. */
export async function withTemporarySchema<T>(fn: (schema: string) => Promise<T>): Promise<T> {
  const schema = temporarySchemaName();
  try {
    return await fn(schema);
  } finally {
    await dropSchema(schema);
  }
}

/**
 * For suites that open stores from hooks: hands out unique schema names and drops them all in
 * `afterAll`. Close the stores on them before (in `afterEach`, or in the test itself).
 */
export function useTemporarySchemas(): () => string {
  const created: string[] = [];
  afterAll(async () => {
    for (const schema of created.splice(0)) await dropSchema(schema);
  });
  return () => {
    const schema = temporarySchemaName();
    created.push(schema);
    return schema;
  };
}
