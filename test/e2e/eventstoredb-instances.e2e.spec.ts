import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, readCase, receive } from '../support/case-scenarios';
import { EsdbDouble } from '../support/esdb-double';
import { startTestServer, TestServer } from '../support/test-server';

/**
 * Two Redress instances on one EventStoreDB (the protocol double): what one appends reaches the
 * other's projections through its live subscription to $all, which survives dropped
 * connections and shows its state in GET /projections.
 */

interface StatusBody {
  name: string;
  state: string;
  checkpoint: number;
  headPosition: number;
  lag: { events: number; seconds: number };
  subscription?: { state: string; lastPosition?: number; reconnects: number; lastError?: string; since: string };
}

const QUIET = { DEADLINE_CHECK_INTERVAL_MS: '86400000' };

async function caseViews(server: TestServer): Promise<StatusBody> {
  const response = await server.get<StatusBody[]>('/projections');
  expect(response.status).toBe(200);
  return response.body.find((status) => status.name === 'case-views')!;
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('two instances on one EventStoreDB', () => {
  let double: EsdbDouble;
  let a: TestServer;
  let b: TestServer;
  // Instances that share an event log share the personal-data keys too: one key store, one master key.
  const keys = mkdtempSync(join(tmpdir(), 'redress-twin-keys-'));
  beforeAll(async () => {
    double = await EsdbDouble.start();
    // READ_WAIT_TIMEOUT_MS below the runners' idle poll (1 s): only the subscription can wake B in time.
    const env = {
      ...QUIET,
      EVENTSTORE_URL: double.url,
      READ_WAIT_TIMEOUT_MS: '800',
      KEY_STORE_PATH: join(keys, 'keys.db'),
      MASTER_KEY: randomBytes(32).toString('base64'),
    };
    [a, b] = await Promise.all([startTestServer({ env }), startTestServer({ env })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await double.stop();
    rmSync(keys, { recursive: true, force: true });
  });

  it("shows a case written through one instance in the other's case views, woken by its subscription", async () => {
    await until(
      () => caseViews(b),
      (status) => status.subscription?.state === 'live',
      'B subscribes',
    );
    for (let round = 0; round < 3; round++) {
      const opened = await receive(a, { customerId: `twin-${round}`, channel: 'email', summary: `Written through A (${round})` });
      const acknowledged = await act(a, opened.caseId, 'acknowledge', { channel: 'email', message: 'Seen' });
      const view = await readCase(b, opened.caseId, acknowledged.position);
      expect(view.body).toMatchObject({
        caseId: opened.caseId,
        revision: 1,
        status: 'acknowledged',
        summary: `Written through A (${round})`,
      });
    }
  });

  it('reports the subscription in GET /projections, and the lag with EventStoreDB positions', async () => {
    const opened = await receive(a, { customerId: 'twin-status', channel: 'web', summary: 'Status' });
    await readCase(b, opened.caseId, opened.position);
    const status = await caseViews(b);
    expect(status).toMatchObject({
      state: 'running',
      checkpoint: opened.position,
      headPosition: opened.position,
      lag: { events: 0, seconds: 0 },
      subscription: { state: 'live', lastPosition: opened.position, reconnects: 0, since: expect.any(String) },
    });
  });

  it('resumes after the server drops its subscriptions, and after a server restart, missing nothing', async () => {
    const before = (await caseViews(b)).subscription!.reconnects;
    double.dropSubscriptions();
    const duringDrop = await receive(a, { customerId: 'twin-drop', channel: 'web', summary: 'Written while B resubscribes' });
    expect((await readCase(b, duringDrop.caseId, duringDrop.position)).body.summary).toBe('Written while B resubscribes');

    await double.stop();
    const down = await until(
      () => caseViews(b),
      (status) => status.subscription?.state === 'reconnecting',
      'B notices',
    );
    expect(down.subscription!.lastError).toEqual(expect.any(String));
    await double.resume();
    const afterRestart = await receive(a, { customerId: 'twin-restart', channel: 'web', summary: 'Written after the restart' });
    // Known gap (see the README's EventStoreDB notes): after a server restart B may first catch up through its idle poll
    // rather than its resubscribed stream, so this read allows a few read-your-writes waits before it must see the case.
    const seen = await until(
      () => b.get<{ summary?: string }>(`/cases/${afterRestart.caseId}?minPosition=${afterRestart.position}`),
      (response) => response.status === 200,
      'B reads the case written after the restart',
    );
    expect(seen.body.summary).toBe('Written after the restart');
    const status = await until(
      () => caseViews(b),
      (value) => value.subscription?.state === 'live',
      'B is live again',
    );
    expect(status.subscription!.reconnects).toBeGreaterThanOrEqual(before + 2);
  });

  it('rebuilds case views from $all and keeps following', async () => {
    const opened = await receive(a, { customerId: 'twin-rebuild', channel: 'web', summary: 'Before the rebuild' });
    await readCase(b, opened.caseId, opened.position);
    const head = (await caseViews(b)).headPosition;
    expect((await b.post('/projections/case-views/rebuild')).status).toBe(202);
    const rebuilt = await until(
      () => caseViews(b),
      (status) => status.state === 'running' && status.checkpoint === head,
      'rebuilt',
    );
    expect(rebuilt.lag).toEqual({ events: 0, seconds: 0 });
    expect((await readCase(b, opened.caseId, head)).body.summary).toBe('Before the rebuild');
    const next = await act(a, opened.caseId, 'acknowledge', { channel: 'email', message: 'After the rebuild' });
    expect((await readCase(b, opened.caseId, next.position)).body.status).toBe('acknowledged');
  });
});
