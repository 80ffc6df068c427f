import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app-config';
import { Clock } from '../../src/core/clock';

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
  /** Stops the service gracefully and starts a new one on the same data directory. */
  restart(): Promise<TestServer>;
  close(): Promise<void>;
}

/** A real Redress HTTP server on a free loopback port and a temporary DATA_DIR. */
export async function startTestServer(options: { dataDir?: string; env?: Record<string, string>; clock?: Clock } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'redress-e2e-'));
  const ownsDir = options.dataDir === undefined;
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', ...options.env });
  const app: NestFastifyApplication = await createApp({ config, clock: options.clock });
  await app.listen({ port: 0, host: '127.0.0.1' });
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
    async restart() {
      await app.close();
      return startTestServer({ ...options, dataDir });
    },
    async close() {
      await app.close();
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}
