import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/core/event-store/sqlite-event-store';
import { act, customer, read, readCase, receive, walkFullLifecycle } from '../support/case-scenarios';
import { runCli } from '../support/run-cli';
import { startTestServer, TestServer } from '../support/test-server';
import { expectProblem, withTestServer } from './e2e-helpers';

const QUIET = { DEADLINE_CHECK_INTERVAL_MS: '86400000', READ_WAIT_TIMEOUT_MS: '2000' };

interface ProjectionStatusBody {
  name: string;
  state: string;
  checkpoint: number;
  headPosition: number;
  lag: { events: number; seconds: number };
  failure?: { position: number; error: string };
  rebuild?: { processed: number; total: number };
}

async function caseViews(server: TestServer): Promise<ProjectionStatusBody> {
  const response = await server.get<ProjectionStatusBody[]>('/projections');
  expect(response.status).toBe(200);
  const status = response.body.find((projection) => projection.name === 'case-views');
  if (!status) throw new Error(`GET /projections lists no case-views: ${JSON.stringify(response.body)}`);
  return status;
}

/** Polls GET /projections (the one thing here no minPosition can wait for) until `done` holds. */
async function untilStatus(
  server: TestServer,
  done: (status: ProjectionStatusBody) => boolean,
  what: string,
): Promise<ProjectionStatusBody> {
  let last: ProjectionStatusBody | undefined;
  for (let attempt = 0; attempt < 1000; attempt++) {
    last = await caseViews(server);
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`case-views never became ${what}; last status: ${JSON.stringify(last)}`);
}

/** Writes a varied log: two full lifecycles and a handful of shorter cases. Returns the case ids and the head position. */
async function writeCases(server: TestServer): Promise<{ caseIds: string[]; head: number }> {
  const now = () => new Date().toISOString();
  const caseIds: string[] = [];
  let head = 0;
  for (const customerId of ['ops-1', 'ops-2']) {
    const walked = await walkFullLifecycle(server, now, customerId);
    caseIds.push(walked.caseId);
    head = walked.last.position;
  }
  for (let index = 0; index < 6; index++) {
    const opened = await receive(server, {
      customerId: `ops-${index % 3}`,
      channel: 'web',
      summary: `short ${index}`,
      regime: index % 2 ? 'FCA' : 'CFPB',
    });
    caseIds.push(opened.caseId);
    head = opened.position;
    if (index % 3 === 0) head = (await act(server, opened.caseId, 'acknowledge', { channel: 'email', message: 'Seen' })).position;
    if (index % 3 === 1) head = (await act(server, opened.caseId, 'withdraw', {}, customer)).position;
  }
  return { caseIds, head };
}

/** Every case view in full plus the list, as frontends would read them at `head`. */
async function snapshot(server: TestServer, caseIds: string[], head: number) {
  const views = [];
  for (const caseId of caseIds) {
    const response = await readCase(server, caseId, head);
    views.push({ view: response.body, etag: response.headers.get('etag') });
  }
  const list = (await read(server, '/cases?limit=200&sort=receivedAt', head)).body;
  const customers = [];
  for (const customerId of ['ops-0', 'ops-1', 'ops-2']) customers.push((await read(server, `/customers/${customerId}`, head)).body);
  return { views, list, customers };
}

describe('projection operations over HTTP', () => {
  let caseIds: string[];
  let head: number;
  const server = withTestServer({ env: QUIET });
  beforeAll(async () => {
    ({ caseIds, head } = await writeCases(server));
  });

  it('GET /projections shows case-views running at the head of the log, with no lag, once reads have caught up', async () => {
    await readCase(server, caseIds[0], head);
    expect(await caseViews(server)).toEqual({
      name: 'case-views',
      state: 'running',
      checkpoint: head,
      headPosition: head,
      lag: { events: 0, seconds: 0 },
    });
  });

  it('POST /projections/case-views/rebuild answers 202 and replays the log into identical case views', async () => {
    const before = await snapshot(server, caseIds, head);
    const started = await server.post<ProjectionStatusBody>('/projections/case-views/rebuild');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ name: 'case-views', headPosition: head });
    expect(['stopped', 'rebuilding']).toContain(started.body.state);

    const rebuilt = await untilStatus(server, (status) => status.state === 'running' && status.checkpoint === head, `running at ${head}`);
    expect(rebuilt).toEqual({ name: 'case-views', state: 'running', checkpoint: head, headPosition: head, lag: { events: 0, seconds: 0 } });
    expect(await snapshot(server, caseIds, head)).toEqual(before);

    // And the rebuilt projection keeps following new writes.
    const next = await act(server, caseIds[2], 'assign', { agentId: 'agent-after-rebuild' });
    expect((await readCase(server, caseIds[2], next.position)).body.assignee).toEqual({ agentId: 'agent-after-rebuild' });
    head = next.position;
  });

  it('never presents a partly rebuilt read model as current to a read with minPosition', async () => {
    const expected = (await readCase(server, caseIds[0], head)).body;
    const started = await server.post('/projections/case-views/rebuild');
    expect(started.status).toBe(202);
    const reads = await Promise.all(Array.from({ length: 20 }, () => server.get(`/cases/${caseIds[0]}?minPosition=${head}`)));
    for (const response of reads) {
      // Either the view as it is at `head`, or 503 (not yet): never 404 or an older revision.
      if (response.status === 503) continue;
      expect({ status: response.status, revision: response.body.revision }).toEqual({ status: 200, revision: expected.revision });
      expect(response.body).toEqual(expected);
    }
    await untilStatus(server, (status) => status.state === 'running' && status.checkpoint === head, `running at ${head}`);
  });

  it('POST /projections/case-views/restart resumes a running projection where it was', async () => {
    const restarted = await server.post<ProjectionStatusBody>('/projections/case-views/restart');
    expect(restarted.status).toBe(200);
    expect(restarted.body).toMatchObject({ name: 'case-views', state: 'running', checkpoint: head });
    const next = await receive(server, { customerId: 'ops-after-restart', channel: 'web', summary: 'After restart' });
    expect((await readCase(server, next.caseId, next.position)).body.summary).toBe('After restart');
  });

  it('answers 404 problems for a projection that does not exist', async () => {
    expectProblem(await server.post('/projections/nope/rebuild'), 404, '/projections/nope/rebuild');
    expectProblem(await server.post('/projections/nope/restart'), 404, '/projections/nope/restart');
    expect((await server.post('/projections/nope/rebuild')).body.detail).toContain('case-views');
  });
});

describe('a projection that meets an event it cannot apply', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-projection-failure-'));
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dataDir, env: { ...QUIET, READ_WAIT_TIMEOUT_MS: '300' } });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops at that event, reports it, answers 503 for reads beyond it, and a restart does not skip it', async () => {
    const good = await receive(server, { customerId: 'fail-1', channel: 'web', summary: 'Before the bad event' });
    await readCase(server, good.caseId, good.position);
    // Another writer (an older or newer service version) appends an event this projection cannot apply:
    // an acknowledgement on a complaint stream that was never received.
    const other = new SqliteEventStore(join(dataDir, 'events.db'));
    const bad = await other.appendToStream('complaint-ghost', [
      {
        id: '00000000-0000-4000-8000-000000000001',
        type: 'ComplaintAcknowledged',
        data: { channel: 'email', message: 'Hello?', by: { id: 'x', role: 'agent' }, at: new Date().toISOString() },
        metadata: { schemaVersion: 1 },
      },
    ]);
    await other.close();
    const after = await receive(server, { customerId: 'fail-1', channel: 'web', summary: 'After the bad event' });

    const failed = await untilStatus(server, (status) => status.state === 'failed', 'failed');
    expect(failed).toMatchObject({
      state: 'failed',
      checkpoint: good.position,
      headPosition: after.position,
      lag: { events: 2 },
      failure: { position: bad.position, error: expect.stringMatching(/ComplaintAcknowledged.*precedes ComplaintReceived/) },
    });
    const behind = await server.get(`/cases/${after.caseId}?minPosition=${after.position}`);
    expectProblem(behind, 503);
    expect(behind.headers.get('retry-after')).toEqual(expect.stringMatching(/^\d+$/));
    // What was projected before the bad event is still served.
    expect((await readCase(server, good.caseId, good.position)).body.summary).toBe('Before the bad event');

    const restarted = await server.post<ProjectionStatusBody>('/projections/case-views/restart');
    expect(restarted.status).toBe(200);
    const failedAgain = await untilStatus(server, (status) => status.state === 'failed', 'failed again');
    expect(failedAgain).toMatchObject({ checkpoint: good.position, failure: { position: bad.position } });
    expectProblem(await server.get(`/cases/${after.caseId}?minPosition=${after.position}`), 503);
  });
});

describe('the rebuild CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-cli-rebuild-'));
  let server: TestServer | undefined;
  let caseIds: string[];
  let head: number;
  let before: Awaited<ReturnType<typeof snapshot>>;
  beforeAll(async () => {
    server = await startTestServer({ dataDir, env: QUIET });
    ({ caseIds, head } = await writeCases(server));
    before = await snapshot(server, caseIds, head);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses, with a clear message and a non-zero exit, while a running service holds the projections', async () => {
    const run = await runCli(['rebuild'], { DATA_DIR: dataDir });
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: expect.any(Number),
      stderr: expect.stringMatching(/Projections are already run by process \d+ \(Redress service/),
    });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('POST /projections/:name/rebuild');
    // The service was not disturbed.
    expect(await snapshot(server!, caseIds, head)).toEqual(before);
    expect((await caseViews(server!)).state).toBe('running');
  });

  it('rebuilds every read model of a stopped service with a progress report, exits 0, and the service serves identical views', async () => {
    await server!.close();
    server = undefined;
    const run = await runCli(['rebuild'], { DATA_DIR: dataDir });
    expect({ code: run.code, stderr: run.stderr }).toEqual({
      code: 0,
      stderr: expect.stringContaining(`case-views: rebuilt to position ${head}`),
    });
    // One pass over the log for all of them, one progress line.
    expect(run.stderr).toMatch(/Rebuilding case-views, case-tags, [a-z, -]+: 0% \(0\/\d+\)/);
    expect(run.stderr).toMatch(/Rebuilding case-views, case-tags, [a-z, -]+: 100% \((\d+)\/\1\)/);

    server = await startTestServer({ dataDir, env: QUIET });
    expect(await snapshot(server, caseIds, head)).toEqual(before);
    expect(await caseViews(server)).toMatchObject({ state: 'running', checkpoint: head, lag: { events: 0 } });
  });
});
