/**
 * Fault suite: the PostgreSQL read store goes away under a running service (a real process, real PostgreSQL
 * behind a TCP proxy the test controls). Through every fault the process stays up, commands keep committing on
 * the SQLite event log, reads answer 503 within the bound, readiness says which dependency failed and comes
 * back on its own, and afterwards nothing acknowledged is missing and the read model equals a rebuild.
 */
import { Client } from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithPostgres, dropSchema, postgresUrl, temporarySchemaName } from '../support/postgres';
import { ServiceProcess } from '../support/service-process';
import { TcpProxy } from '../support/tcp-proxy';
import { Answer, CommandLoad, call, pause, percentile, until } from './fault-helpers';
import { recordFigure } from './figures';

/** The read-store bounds the service runs with here, and what a read may take at most under a fault. */
const STATEMENT_TIMEOUT_MS = 1000;
const CONNECT_TIMEOUT_MS = 1000;
const READ_BOUND_MS = 4000;

describeWithPostgres('fault: the PostgreSQL read store goes away', () => {
  let proxy: TcpProxy;
  let service: ServiceProcess;
  let load: CommandLoad;
  let dataDir: string;
  const schema = temporarySchemaName();
  const reads: Answer[] = [];

  beforeAll(async () => {
    const target = new URL(postgresUrl());
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(postgresUrl());
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    dataDir = mkdtempSync(join(tmpdir(), 'redress-fault-pg-'));
    service = await ServiceProcess.start(dataDir, {
      READ_STORE_URL: viaProxy.toString(),
      READ_STORE_SCHEMA: schema,
      READ_STORE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      READ_STORE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      HEALTH_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'log',
    });
    load = new CommandLoad(service.url);
    await load.waitForMore(10);
  }, 90_000);

  afterAll(async () => {
    await load?.stop();
    await service?.crash();
    await proxy?.close();
    await dropSchema(schema).catch(() => undefined);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const readCase = async () => {
    const { caseId } = load.acknowledged[0];
    const answer = await call(service.url, 'GET', `/cases/${caseId}`);
    reads.push(answer);
    return answer;
  };
  const ready = () => call(service.url, 'GET', '/health/ready', { anonymous: true });
  const caseViews = async () =>
    (await call<Array<{ name: string; state: string; lastError?: string; since?: string }>>(service.url, 'GET', '/projections')).body.find(
      (status) => status.name === 'case-views',
    )!;

  /** The service's answers while the read store is down: commands 201, reads a fast 503, readiness 503 naming the read store. */
  async function duringOutage(fault: string): Promise<{ readMs: number; committed: number }> {
    const before = load.acknowledged.length;
    const read = await until(
      `a 503 read during ${fault}`,
      async () => {
        const answer = await readCase();
        return answer.status === 503 ? answer : undefined;
      },
      15_000,
      200,
    );
    expect(read.body).toMatchObject({ type: expect.stringMatching(/\/problems\/read-store-unavailable$/), status: 503 });
    expect(Number(read.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(read.ms).toBeLessThan(READ_BOUND_MS);
    const health = await until(
      `readiness to fail during ${fault}`,
      async () => {
        const answer = await ready();
        return answer.status === 503 ? answer : undefined;
      },
      15_000,
      200,
    );
    expect(health.body.failing).toContain('readStore');
    expect(health.headers.get('retry-after')).not.toBeNull();
    expect((await call(service.url, 'GET', '/health/live', { anonymous: true })).status).toBe(200);
    await until(`case-views to be retrying during ${fault}`, async () => {
      const status = await caseViews();
      return status.state === 'retrying' && status.lastError && status.since ? status : undefined;
    });
    await load.waitForMore(5);
    // Idempotency-Key bindings live in the read store; a keyed command must not depend on it (the log is the backstop).
    const key = `outage-${fault.replace(/\W+/g, '-')}-${Date.now()}`;
    const complaint = { customerId: 'cust-keyed', channel: 'email', summary: `Keyed during ${fault}` };
    const keyed = await call(service.url, 'POST', '/cases', { body: complaint, headers: { 'idempotency-key': key } });
    expect(keyed.status).toBe(201);
    const again = await call(service.url, 'POST', '/cases', { body: complaint, headers: { 'idempotency-key': key } });
    expect({ status: again.status, caseId: again.body.caseId }).toEqual({ status: 201, caseId: keyed.body.caseId });
    return { readMs: read.ms, committed: load.acknowledged.length - before };
  }

  async function recovers(fault: string): Promise<number> {
    const started = Date.now();
    await until(`readiness to come back after ${fault}`, async () => ((await ready()).status === 200 ? true : undefined), 30_000, 200);
    expect((await readCase()).status).toBe(200);
    expect(service.running).toBe(true);
    return Date.now() - started;
  }

  it('survives its connections being reset (as by a failover) and terminated (pg_terminate_backend)', async () => {
    for (let round = 0; round < 3; round++) {
      proxy.reset();
      await load.waitForMore(3);
    }
    // A projection retrying after the resets waits its backoff first: terminate the connections once there are some again.
    await until('a read-store connection through the proxy', async () => (proxy.upstreamPorts().length > 0 ? true : undefined));
    const admin = new Client({ connectionString: postgresUrl() });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE client_port = ANY($1::int[])', [
        proxy.upstreamPorts(),
      ]);
      expect(rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    await load.waitForMore(5);
    const back = await recovers('the resets');
    expect(service.running).toBe(true);
    recordFigure('pg-reset-terminate', {
      fault: 'PostgreSQL read-store connections reset (RST) three times, then every session terminated (pg_terminate_backend)',
      outcome: 'process stays up; commands keep committing; the pool replaces the lost connections',
      figures: [`commands acknowledged: ${load.acknowledged.length}`, `ready again within: ${back} ms`],
    });
  }, 60_000);

  it('is cut off (connections closed, new ones refused): reads 503 fast, readiness 503, commands commit, it comes back by itself', async () => {
    proxy.cut();
    const outage = await duringOutage('the cut');
    proxy.restore();
    const back = await recovers('the cut');
    recordFigure('pg-cut', {
      fault: 'PostgreSQL read store unreachable (connections closed, new ones refused)',
      outcome:
        'reads 503 read-store-unavailable with Retry-After; /health/ready 503 naming readStore; projections retrying; commands commit',
      figures: [
        `503 read in: ${Math.round(outage.readMs)} ms`,
        `commands acknowledged meanwhile: ${outage.committed}`,
        `ready again: ${back} ms after restore`,
      ],
    });
  }, 90_000);

  it('is blackholed (nothing answers): reads 503 within the statement timeout, never hang, and recover', async () => {
    proxy.blackhole();
    const outage = await duringOutage('the blackhole');
    await pause(500);
    proxy.restore();
    const back = await recovers('the blackhole');
    recordFigure('pg-blackhole', {
      fault: 'PostgreSQL read store blackholed (packets dropped, connections hang)',
      outcome: `reads 503 within the statement/connect timeouts (${STATEMENT_TIMEOUT_MS} ms here), never a hang; commands commit; recovers`,
      figures: [
        `503 read in: ${Math.round(outage.readMs)} ms`,
        `commands acknowledged meanwhile: ${outage.committed}`,
        `ready again: ${back} ms after restore`,
      ],
    });
  }, 90_000);

  it('lost nothing acknowledged, answered no 500, logged each outage once, and its read model equals a rebuild', async () => {
    await load.stop();
    const { acknowledged } = load;
    expect(load.refused.filter((refusal) => refusal.status !== 201)).toEqual([]);
    expect(reads.filter((read) => read.status !== 200 && read.status !== 503)).toEqual([]);
    const head = load.lastPosition;
    const views = new Map<string, unknown>();
    for (const { caseId } of acknowledged) {
      const answer = await call(service.url, 'GET', `/cases/${caseId}?minPosition=${head}`);
      expect({ caseId, status: answer.status }).toEqual({ caseId, status: 200 });
      views.set(caseId, answer.body);
    }
    const rebuild = await call(service.url, 'POST', '/projections/case-views/rebuild');
    expect(rebuild.status).toBe(202);
    await until('the rebuild to finish', async () => {
      const status = await caseViews();
      return status.state === 'running' ? status : undefined;
    });
    for (const { caseId } of acknowledged) {
      const answer = await call(service.url, 'GET', `/cases/${caseId}?minPosition=${head}`);
      expect({ caseId, view: answer.body }).toEqual({ caseId, view: views.get(caseId) });
    }
    // Once per change of state, not once per failed query (hundreds failed): every "unavailable" line is a spell that
    // ended with an "available again" line (a reset can flap a pool a few times as dead connections are found).
    const lines = service.log.split('\n');
    const unavailableLines = lines.filter((line) => line.includes('read store unavailable')).length;
    const recoveredLines = lines.filter((line) => line.includes('read store available again')).length;
    expect(unavailableLines).toBeGreaterThan(0);
    expect(unavailableLines).toBeLessThanOrEqual(recoveredLines + 1);
    expect(unavailableLines).toBeLessThan(30);
    expect(service.log).not.toMatch(/Unhandled|uncaught/i);
    recordFigure('pg-nothing-lost', {
      fault: 'After the PostgreSQL faults above',
      outcome: 'every acknowledged command is in the read model; the read model equals a rebuild; each outage logged once',
      figures: [
        `commands acknowledged: ${acknowledged.length}`,
        `lost: 0`,
        `command p99: ${Math.round(percentile(load.latenciesMs, 99))} ms`,
        `"unavailable" log lines: ${unavailableLines}`,
      ],
    });
  }, 120_000);
});
