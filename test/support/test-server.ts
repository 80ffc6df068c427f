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

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestServer {
  readonly url: string;
  readonly dataDir: string;
  request<T = any>(method: string, path: string, options?: { body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  get<T = any>(path: string, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  /** Stops the service gracefully and starts a new one on the same data directory (and event store). */
  restart(): Promise<TestServer>;
  close(): Promise<void>;
  /** Set when the server runs on EventStoreDB (the protocol double, or EVENTSTORE_URL from `env`). */
  readonly eventStoreUrl?: string;
  /** How many events the global log holds after `position`; positions are opaque, so count rather than subtract. */
  countEventsAfter(position: number): Promise<number>;
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
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', ...(double ? { EVENTSTORE_URL: double.url } : {}), ...options.env });
  let app: NestFastifyApplication;
  try {
    app = await createApp({ config, clock: options.clock });
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await double?.stop();
    throw error;
  }
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');

  const request: TestServer['request'] = async (method, path, { body, raw, headers = {} } = {}) => {
    const hasBody = body !== undefined || raw !== undefined;
    const response = await fetch(url + path, {
      method,
      headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...headers },
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
