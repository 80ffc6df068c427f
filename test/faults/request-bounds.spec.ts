/**
 * Fault suite: abusive and unlucky clients against a real service process (embedded SQLite profile): a body
 * dribbled a byte at a time, headers that never end, an import that stalls or whose client goes away, too many
 * live streams, HEAD on every GET route. Every request is answered or closed within its bound, and the process
 * stays up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceProcess } from '../support/service-process';
import { testToken } from '../support/test-tokens';
import { call, pause, until } from './fault-helpers';
import { recordFigure } from './figures';

const BODY_TIMEOUT_MS = 1000;
const HEADERS_TIMEOUT_MS = 1000;
const STREAM_IDLE_TIMEOUT_MS = 1500;
/** What a bound may overshoot by on a busy machine (Node checks header deadlines once a second). */
const SLACK_MS = 2000;

/** A raw HTTP/1.1 exchange: what the server wrote back, and when it closed the connection. */
interface RawExchange {
  readonly socket: Socket;
  response(): string;
  readonly closed: Promise<number>;
}

function rawConnection(url: string): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      let received = '';
      socket.on('data', (chunk) => (received += chunk.toString()));
      const closed = new Promise<number>((done) => socket.on('close', () => done(performance.now() - started)));
      // Interim 1xx answers (102 Processing while an import runs) come before the final one.
      resolve({ socket, response: () => received.replace(/^(HTTP\/1\.1 1\d\d [^\r]*\r\n\r\n)+/, ''), closed });
    });
    socket.on('error', (error) => (socket.connecting ? reject(error) : undefined));
  });
}

describe('fault: slow, stalled and greedy clients', () => {
  let service: ServiceProcess;
  let dataDir: string;
  let agentToken: string;
  let adminToken: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'redress-fault-bounds-'));
    service = await ServiceProcess.start(dataDir, {
      BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
      HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      STREAM_IDLE_TIMEOUT_MS: String(STREAM_IDLE_TIMEOUT_MS),
      LIVE_MAX_STREAMS_PER_CLIENT: '2',
      IMPORT_BATCH_SIZE: '50',
      LOG_LEVEL: 'log',
    });
    agentToken = await testToken({ sub: 'agent-slow', role: 'agent' });
    adminToken = await testToken({ sub: 'admin-1', role: 'admin' });
  }, 90_000);

  afterAll(async () => {
    await service?.crash();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a JSON body dribbled a byte at a time with a 408 problem within the body timeout, and closes the connection', async () => {
    const exchange = await rawConnection(service.url);
    const body = JSON.stringify({ customerId: 'cust-1', channel: 'email', summary: 'slow' });
    exchange.socket.write(
      `POST /cases HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${agentToken}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    const dribble = setInterval(() => exchange.socket.writable && exchange.socket.write(body[0]), 200);
    const closedAfter = await exchange.closed;
    clearInterval(dribble);
    expect(exchange.response()).toMatch(/^HTTP\/1\.1 408 /);
    expect(exchange.response()).toContain('/problems/request-timeout');
    expect(closedAfter).toBeLessThan(BODY_TIMEOUT_MS + SLACK_MS);
    recordFigure('slow-body', {
      fault: 'JSON body dribbled one byte every 200 ms (slowloris)',
      outcome: '408 request-timeout problem, connection closed',
      figures: [`closed after: ${Math.round(closedAfter)} ms (bound ${BODY_TIMEOUT_MS} ms)`],
    });
  });

  it('closes a connection whose headers never end with a 408 within the headers timeout', async () => {
    const exchange = await rawConnection(service.url);
    exchange.socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n');
    const dribble = setInterval(() => exchange.socket.writable && exchange.socket.write('X-Slow: 1\r\n'), 200);
    const closedAfter = await exchange.closed;
    clearInterval(dribble);
    expect(exchange.response()).toMatch(/^HTTP\/1\.1 408 /);
    expect(closedAfter).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
    recordFigure('slow-headers', {
      fault: 'Request headers dribbled a line every 200 ms, never ending',
      outcome: '408 problem, connection closed',
      figures: [`closed after: ${Math.round(closedAfter)} ms (bound ${HEADERS_TIMEOUT_MS} ms)`],
    });
  });

  it('answers an import that stalls with a 408 carrying how far it got; the rows before are recorded', async () => {
    const exchange = await rawConnection(service.url);
    exchange.socket.write(
      `POST /imports/purchases HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${adminToken}\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    const rows = ['customerId,orderId,amount,currency,at'];
    for (let index = 0; index < 120; index++) rows.push(`stall-${index % 7},stall-order-${index},1000,GBP,2026-01-02T10:00:00Z`);
    const chunk = `${rows.join('\n')}\n`;
    exchange.socket.write(`${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`);
    const closedAfter = await exchange.closed;
    const answer = exchange.response();
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    const problem = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { report?: { rows: number; recorded: number } };
    expect(problem.report).toMatchObject({ rows: 100, recorded: 100 });
    expect(closedAfter).toBeLessThan(STREAM_IDLE_TIMEOUT_MS + SLACK_MS);
    recordFigure('import-stall', {
      fault: 'Purchase import whose client stops sending mid-file',
      outcome: '408 with the report so far (whole batches recorded); re-sending appends nothing twice',
      figures: [
        `answered after: ${Math.round(closedAfter)} ms (idle bound ${STREAM_IDLE_TIMEOUT_MS} ms)`,
        `rows recorded before the stall: ${problem.report?.recorded}`,
      ],
    });
  });

  it('stops an import when its client goes away, and says how far it got', async () => {
    const before = await headPosition();
    const exchange = await rawConnection(service.url);
    exchange.socket.write(
      `POST /imports/purchases HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${adminToken}\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    const lines = ['customerId,orderId,amount,currency,at'];
    for (let index = 0; index < 20_000; index++) lines.push(`gone-${index % 97},gone-order-${index},1000,GBP,2026-01-02T10:00:00Z`);
    const chunk = `${lines.join('\n')}\n`;
    exchange.socket.write(`${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`);
    await until('the import to start', async () => ((await headPosition()) > before ? true : undefined), 20_000, 50);
    exchange.socket.destroy();
    const line = await until('the import to report it stopped', async () =>
      service.log.split('\n').find((entry) => entry.includes('import stopped: the client went away')),
    );
    const stoppedAt = await headPosition();
    await pause(1000);
    expect(await headPosition()).toBe(stoppedAt);
    expect(stoppedAt - before).toBeLessThan(20_000);
    expect(service.log).not.toMatch(/ERROR.*aborted|Error: aborted/);
    recordFigure('import-client-gone', {
      fault: 'Purchase import (20,000 rows sent at once) whose client disconnects',
      outcome: 'the import stops at the batch it was in and logs how far it got; no error logged',
      figures: [
        `rows appended when it stopped: ${stoppedAt - before} of 20000`,
        `log: ${line.replace(/^.*import stopped: /, '').slice(0, 80)}…`,
      ],
    });
  }, 60_000);

  it('caps live streams per client with 429, answers HEAD on the live route, and closes streams their client left', async () => {
    const created = await call(service.url, 'POST', '/cases', { body: { customerId: 'cust-live', channel: 'email', summary: 'live' } });
    const path = `/cases/${created.body.caseId}/live`;
    const head = await call(service.url, 'HEAD', path, { timeoutMs: 3000 });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toContain('text/event-stream');
    const controllers = [new AbortController(), new AbortController()];
    const open = await Promise.all(
      controllers.map(async (controller) =>
        fetch(service.url + path, { headers: { authorization: `Bearer ${agentToken}` }, signal: controller.signal }),
      ),
    );
    expect(open.map((response) => response.status)).toEqual([200, 200]);
    const third = await call(service.url, 'GET', path, { headers: { authorization: `Bearer ${agentToken}` }, timeoutMs: 3000 });
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).not.toBeNull();
    controllers[0].abort();
    await until('a stream slot to free up', async () => {
      const controller = new AbortController();
      const again = await fetch(service.url + path, { headers: { authorization: `Bearer ${agentToken}` }, signal: controller.signal });
      controller.abort();
      return again.status === 200 ? true : undefined;
    });
    controllers[1].abort();
    recordFigure('live-streams', {
      fault: 'One client opening more live (SSE) streams than allowed; HEAD on the live route',
      outcome: '429 with Retry-After past the cap; a slot frees when a stream closes; HEAD answers 200 at once',
      figures: [`HEAD answered in: ${Math.round(head.ms)} ms`],
    });
  });

  it('answers HEAD on every GET route as GET would (never hangs, never 405)', async () => {
    const doc = (await call(service.url, 'GET', '/docs-json', { anonymous: true })).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const created = await call(service.url, 'POST', '/cases', { body: { customerId: 'cust-head', channel: 'email', summary: 'head' } });
    const fill = (path: string) =>
      path
        .replace('{caseId}', created.body.caseId)
        .replace('{customerId}', 'cust-head')
        .replace('{name}', 'case-views')
        .replace(/\{[^}]+\}/g, 'x');
    const paths = Object.entries(doc.paths)
      .filter(([, operations]) => 'get' in operations)
      .map(([path]) => path);
    expect(paths.length).toBeGreaterThan(10);
    const answers = [];
    for (const path of paths) {
      const target = fill(path);
      const headers = { authorization: `Bearer ${await testToken({ sub: 'admin-1', role: roleFor(target) })}` };
      const head = await call(service.url, 'HEAD', target, { headers, timeoutMs: 5000 });
      // GET's status line only: a live stream never ends.
      const controller = new AbortController();
      const get = await fetch(service.url + target, { headers, signal: controller.signal });
      controller.abort();
      answers.push({ path, head: head.status, get: get.status });
    }
    expect(answers.filter((answer) => answer.head !== answer.get || answer.head === 405 || answer.head >= 500)).toEqual([]);
    recordFigure('head-routes', {
      fault: 'HEAD on every GET route of the API document',
      outcome: 'each answered with the status GET gives (no hang, no 405, no 5xx)',
      figures: [`routes tried: ${answers.length}`],
    });
  });

  it('is still up and answering', async () => {
    expect(service.running).toBe(true);
    expect((await call(service.url, 'GET', '/health/ready', { anonymous: true })).status).toBe(200);
  });

  async function headPosition(): Promise<number> {
    const statuses = (await call<Array<{ headPosition: number }>>(service.url, 'GET', '/projections')).body;
    return statuses[0]?.headPosition ?? 0;
  }
});

/** A role the route admits, so HEAD meets the route rather than a 403. */
function roleFor(path: string): string {
  if (path.startsWith('/analytics')) return 'analyst';
  if (path.startsWith('/projections') || path.startsWith('/imports')) return 'admin';
  if (/\/(history|state|verify|ledger|audit)/.test(path) || path.startsWith('/ledger')) return 'supervisor';
  return 'agent';
}
