import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app-config';
import { Clock } from '../../src/core/clock';
import { RAW_EVENT_STORE } from '../../src/core/event-store/event-store.module';
import type { EventStore } from '../../src/core/event-store/event-store.port';
import { EsdbDouble } from './esdb-double';
import { TEST_AUTH_SECRET, testToken, withToken, type TokenKeys } from './test-tokens';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  body?: unknown;
  raw?: string;
  /** X-Actor-Id / X-Actor-Role become the bearer token's sub and role; an Authorization header is sent as given. */
  headers?: Record<string, string>;
  /** Send no Authorization header. */
  anonymous?: boolean;
}

export interface TestServer {
  readonly url: string;
  readonly dataDir: string;
  /**
   * Every request carries a real bearer token (see test-tokens.ts): for X-Actor-Id / X-Actor-Role
   * when given, else an agent's (or the first role the matrix admits on a route closed to agents).
   */
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  get<T = any>(path: string, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  /** Stops the service gracefully and starts a new one on the same data directory (and event store). */
  restart(): Promise<TestServer>;
  close(): Promise<void>;
  /** Set when the server runs on EventStoreDB (the protocol double, or EVENTSTORE_URL from `env`). */
  readonly eventStoreUrl?: string;
  /** How many events the global log holds after `position`; positions are opaque, so count rather than subtract. */
  countEventsAfter(position: number): Promise<number>;
  /** A token this server accepts (when sub and role are valid), signed with its AUTH_SECRET, issuer and audience. */
  token(actor: { sub: string; role: string; ttl?: string }): Promise<string>;
  /** `{ authorization: 'Bearer …' }` for tests that call fetch themselves. */
  authorization(actor?: { sub?: string; role: string }): Promise<Record<string, string>>;
  /** The keys its tokens are signed with. */
  readonly tokenKeys: TokenKeys;
}

export type TestEventStore = 'sqlite' | 'esdb';

/**
 * The event store test servers use unless told: REDRESS_TEST_EVENT_STORE=esdb runs them on the
 * EventStoreDB adapter, against an in-process protocol double on a free port (`npm run test:esdb`).
 */
export function defaultTestEventStore(): TestEventStore {
  return process.env['REDRESS_TEST_EVENT_STORE'] === 'esdb' ? 'esdb' : 'sqlite';
}

export interface TestServerOptions {
  dataDir?: string;
  env?: Record<string, string>;
  clock?: Clock;
  eventStore?: TestEventStore;
  /** Where the service's log lines go (with env LOG_LEVEL, which is `silent` unless a test sets it). */
  logDestination?: { write(line: string): void };
}

/** A real Redress HTTP server on a free loopback port and a temporary DATA_DIR. */
export function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  return start(options);
}

async function start(options: TestServerOptions): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'redress-e2e-'));
  const ownsDir = options.dataDir === undefined;
  const onDouble = (options.eventStore ?? defaultTestEventStore()) === 'esdb' && !options.env?.['EVENTSTORE_URL'];
  // The double keeps its log in DATA_DIR, so a server started again on that directory finds its events, as with SQLite.
  if (onDouble) mkdirSync(dataDir, { recursive: true });
  const double = onDouble ? await EsdbDouble.start({ dataFile: join(dataDir, 'eventstoredb-double.ndjson') }) : undefined;
  // A known secret, so the helpers can sign; a test that sets AUTH_SECRET (even to '') decides for itself.
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    AUTH_SECRET: TEST_AUTH_SECRET,
    ...(double ? { EVENTSTORE_URL: double.url } : {}),
    ...options.env,
  });
  const tokenKeys: TokenKeys = {
    secret: config.auth.secret ?? TEST_AUTH_SECRET,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
  };
  let app: NestFastifyApplication;
  try {
    app = await createApp({ config, clock: options.clock, logDestination: options.logDestination });
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await double?.stop();
    throw error;
  }
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');

  const request: TestServer['request'] = async (method, path, { body, raw, headers = {}, anonymous } = {}) => {
    const hasBody = body !== undefined || raw !== undefined;
    const response = await fetch(url + path, {
      method,
      headers: {
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
        ...(await withToken(method, path, headers, { anonymous, keys: tokenKeys })),
      },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, headers: response.headers, body: type.includes('json') && text ? JSON.parse(text) : text };
  };

  const server: TestServer = {
    url,
    dataDir,
    request,
    post: (path, body, headers) => request('POST', path, { body, headers }),
    get: (path, headers) => request('GET', path, { headers }),
    eventStoreUrl: config.eventStoreUrl,
    countEventsAfter: (position) => app.get<EventStore>(RAW_EVENT_STORE, { strict: false }).countEventsAfter(position),
    tokenKeys,
    token: (actor) => testToken(actor, tokenKeys),
    authorization: async (actor = { role: 'agent' }) => ({
      authorization: `Bearer ${await testToken({ sub: actor.sub ?? 'anonymous', role: actor.role }, tokenKeys)}`,
    }),
    async restart() {
      await app.close();
      await double?.stop();
      return start({ ...options, dataDir });
    },
    async close() {
      await app.close();
      await double?.stop();
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}
