import { request as httpRequest } from 'node:http';
import type { Clock } from '../../src/core/clock';
import { startTestServer, TestServer, type ApiResponse } from '../support/test-server';
import { validComplaint, withTestServer } from './e2e-helpers';

const APP = 'https://app.example.com';

/** A preflight as a browser sends it: no credentials, only the Origin and what the real request will carry. */
function preflight(server: TestServer, origin: string, path = '/cases') {
  return fetch(server.url + path, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,idempotency-key,if-match',
    },
  });
}

describe('browser access and hardening', () => {
  describe('with an allow-listed origin, a small header limit and a clock that can fail', () => {
    let server: TestServer;
    let failing = false;
    const logLines: string[] = [];
    const clock: Clock = {
      now: () => {
        // The kind of message a driver error carries: SQL, a file path, a stack. None of it may reach a client.
        if (failing)
          throw new Error(
            'SQLITE_ERROR: near "SELECT * FROM events WHERE stream_name = ?": syntax error\n    at Database.prepare (/work/main/node_modules/better-sqlite3/lib/methods/wrappers.js:5:21)',
          );
        return new Date();
      },
    };
    beforeAll(async () => {
      server = await startTestServer({
        clock,
        env: { CORS_ORIGINS: `${APP}, http://localhost:5173`, MAX_HEADER_BYTES: '4096', BODY_LIMIT_BYTES: '2048', LOG_LEVEL: 'error' },
        logDestination: { write: (line) => void logLines.push(line) },
      });
    });
    afterAll(async () => {
      await server.close();
    });

    it('answers a preflight from an allowed origin with 204 before authentication, allowing the API headers', async () => {
      const response = await preflight(server, APP);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(APP);
      expect(response.headers.get('vary')).toMatch(/Origin/);
      const allowed = response.headers
        .get('access-control-allow-headers')!
        .split(/, */)
        .map((name) => name.toLowerCase());
      expect(allowed).toEqual(
        expect.arrayContaining([
          'authorization',
          'content-type',
          'idempotency-key',
          'if-match',
          'if-none-match',
          'x-correlation-id',
          'x-min-position',
        ]),
      );
      expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('answers a preflight from an origin not on the list without Access-Control-Allow-Origin, so the browser refuses', async () => {
      const response = await preflight(server, 'https://evil.example');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.status).not.toBe(401);
    });

    it('lets an allowed origin read the API headers of an authenticated answer', async () => {
      const response = await server.post('/cases', validComplaint, { origin: APP, 'X-Correlation-Id': 'corr-cors' });
      expect(response.status).toBe(201);
      expect(response.headers.get('access-control-allow-origin')).toBe(APP);
      const exposed = response.headers
        .get('access-control-expose-headers')!
        .split(/, */)
        .map((name) => name.toLowerCase());
      expect(exposed).toEqual(
        expect.arrayContaining(['etag', 'location', 'retry-after', 'x-correlation-id', 'idempotency-key', 'idempotent-replayed', 'link']),
      );
      const refused = await server.post('/cases', validComplaint, { origin: 'https://evil.example' });
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('sets security headers on answers, problems included', async () => {
      for (const response of [
        await server.get('/cases'),
        await server.request('GET', '/cases', { anonymous: true }),
        await server.request('GET', '/health', { anonymous: true }),
      ]) {
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('x-frame-options')).toBe('DENY');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
        expect(response.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
        expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
        expect(response.headers.get('x-powered-by')).toBeNull();
      }
    });

    it('still serves Swagger UI at /docs, offline: every script and stylesheet it loads comes from the service itself and the CSP allows it', async () => {
      const page = await server.request('GET', '/docs', { anonymous: true });
      expect(page.status).toBe(200);
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).toMatch(/style-src 'self' 'unsafe-inline'/);
      const html = page.body as string;
      expect(html).not.toMatch(/<script>(?!\s*<\/script>)[^<]/); // no inline script the CSP would block
      const assets = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)=["']([^"']+)["']/g)].map((match) => match[1]);
      expect(assets.length).toBeGreaterThanOrEqual(4);
      for (const asset of assets) {
        expect({ asset, remote: /^(https?:)?\/\//.test(asset) }).toEqual({ asset, remote: false });
        const response = await server.request('GET', new URL(asset, `${server.url}/docs`).pathname, { anonymous: true });
        expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
      }
      expect((await server.request('GET', '/docs-json', { anonymous: true })).body.components.securitySchemes.bearer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
      });
    });

    it('refuses a request head over MAX_HEADER_BYTES with a 431 problem, and keeps the body limit (413)', async () => {
      const response = await rawGet(server.url, '/cases', { 'x-padding': 'p'.repeat(5000) });
      expect(response.status).toBe(431);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(response.body)).toMatchObject({
        type: 'http://localhost:3000/problems/headers-too-large',
        status: 431,
        detail: expect.stringContaining('4096 bytes'),
      });
      const tooLarge = await server.post('/cases', { ...validComplaint, summary: 'x'.repeat(3000) });
      expect(tooLarge.status).toBe(413);
    });

    it('answers no error with a stack trace, a file path or SQL, a server failure included', async () => {
      const answers: ApiResponse[] = [
        await server.request('POST', '/cases', { raw: '{"customerId": ' }),
        await server.request('POST', '/cases', { raw: 'x'.repeat(3000) }),
        await server.request('GET', '/cases/%E0%A4%A'),
        await server.request('GET', '/no/such/route'),
        await server.request('GET', '/cases', { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.x' } }),
        await server.request('GET', '/cases?limit=-1;DROP TABLE events'),
        await server.get('/cases/no-such-case'),
        await server.post('/cases', validComplaint, { 'X-Actor-Role': 'analyst' }),
      ];
      failing = true;
      // The failure is logged in full for operators; the client gets none of it.
      try {
        const failed = await server.post('/cases', validComplaint);
        expect(failed.status).toBe(500);
        expect(failed.body).toEqual({
          type: 'http://localhost:3000/problems/internal',
          title: 'Internal error',
          status: 500,
          detail: expect.any(String),
          instance: '/cases',
        });
        answers.push(failed);
        const logged = logLines.map((line) => JSON.parse(line) as { status?: number; err?: { stack?: string } });
        expect(logged.find((line) => line.status === 500)?.err?.stack).toContain('SQLITE_ERROR');
      } finally {
        failing = false;
      }
      for (const answer of answers) {
        const text = JSON.stringify(answer.body);
        expect({ status: answer.status, problem: answer.headers.get('content-type') ?? '' }).toEqual({
          status: answer.status,
          problem: expect.stringMatching(/^application\/problem\+json/),
        });
        expect({
          text,
          leaks: /\bat \S+ \(|\/work\/|node_modules|\.[jt]s:\d+|\bSELECT\b|\bFROM events\b|SQLITE|stack/i.test(text),
        }).toEqual({ text, leaks: false });
      }
    });
  });

  describe('with the default origins and a low rate limit', () => {
    const server = withTestServer({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' } });

    it('allows no origin by default', async () => {
      expect((await preflight(server, APP)).headers.get('access-control-allow-origin')).toBeNull();
    });

    it('answers a burst over the limit with a 429 problem and Retry-After, counted per token subject', async () => {
      const alice = { 'X-Actor-Id': 'alice', 'X-Actor-Role': 'agent' };
      const statuses = [];
      for (let index = 0; index < 3; index++) statuses.push((await server.get('/cases', alice)).status);
      expect(statuses).toEqual([200, 200, 200]);
      const limited = await server.get('/cases', alice);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(limited.body).toMatchObject({
        type: 'http://localhost:3000/problems/too-many-requests',
        status: 429,
        instance: '/cases',
        detail: expect.stringMatching(/at most 3 per 1 minute/),
      });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      // Another subject has its own allowance.
      expect((await server.get('/cases', { 'X-Actor-Id': 'bob', 'X-Actor-Role': 'agent' })).status).toBe(200);
    });

    it('counts requests without a valid token per address, and never limits health checks', async () => {
      const statuses = [];
      for (let index = 0; index < 4; index++) statuses.push((await server.request('GET', '/cases', { anonymous: true })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      for (let index = 0; index < 6; index++) expect((await server.request('GET', '/health', { anonymous: true })).status).toBe(200);
    });
  });
});

/** GET over node:http, which (unlike fetch) lets a test send a head larger than the server accepts and read the answer. */
function rawGet(
  url: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url + path, { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end();
  });
}
