import { startTestServer } from '../support/test-server';
import { agent, customer, openCase, validComplaint, withTestServer } from './e2e-helpers';

const monitor = { 'X-Actor-Id': 'prometheus', 'X-Actor-Role': 'monitor' };

/** The value of one sample of the Prometheus text, or undefined when it is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const seen = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]));
    if (Object.entries(labels).every(([key, value]) => seen[key] === value)) return Number(match[3]);
  }
  return undefined;
}

/** What an operator's Prometheus scrapes: the service's work by route, command, append, projection and stream. */
describe('GET /metrics', () => {
  const scrape = async () => {
    const response = await server.get<string>('/metrics', monitor);
    expect(response.status).toBe(200);
    return response.body;
  };

  const server = withTestServer();

  it("is closed to anonymous callers and to case workers, open to a monitor's and an admin's token, in Prometheus' text format", async () => {
    expect((await server.request('GET', '/metrics', { anonymous: true })).status).toBe(401);
    expect((await server.get('/metrics', agent)).status).toBe(403);
    expect((await server.get('/metrics', { 'X-Actor-Id': 'ops', 'X-Actor-Role': 'admin' })).status).toBe(200);
    const response = await server.get<string>('/metrics', monitor);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    // A monitor reads the metrics and nothing else.
    expect((await server.get('/cases', monitor)).status).toBe(403);
    expect(sample(response.body, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(response.body).toContain('# TYPE redress_http_request_duration_seconds histogram');
  });

  it('counts commands by type and outcome, with their latency, and the appends behind them', async () => {
    const before = await scrape();
    const opened = await server.post('/cases', validComplaint, { ...agent, 'Idempotency-Key': 'metrics-open-1' });
    expect(opened.status).toBe(201);
    expect((await server.post('/cases', validComplaint, { ...agent, 'Idempotency-Key': 'metrics-open-1' })).status).toBe(201);
    const caseId = opened.body.caseId as string;
    const refused = await server.post(`/cases/${caseId}/follow-up`, { satisfied: true, csat: 5 }, customer);
    expect(refused.status).toBe(409);
    const stale = await server.post(
      `/cases/${caseId}/log-contact`,
      { direction: 'inbound', channel: 'phone', summary: 'Called' },
      { ...agent, 'If-Match': '"7"' },
    );
    expect(stale.status).toBe(409);
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string>) =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect({
      committed: delta('redress_commands_total', { type: 'ReceiveComplaint', outcome: 'committed' }),
      replayed: delta('redress_commands_total', { type: 'ReceiveComplaint', outcome: 'replayed' }),
      ruleRefused: delta('redress_commands_total', { type: 'CompleteFollowUp', outcome: 'rule_refused' }),
      conflict: delta('redress_commands_total', { type: 'LogCustomerContact', outcome: 'conflict' }),
      timed: delta('redress_command_duration_seconds_count', { type: 'ReceiveComplaint', outcome: 'committed' }),
      appends: delta('redress_event_store_append_duration_seconds_count', {}),
      eventsAppended: delta('redress_events_appended_total', {}),
      created: delta('redress_http_request_duration_seconds_count', { method: 'POST', route: '/cases', status: '201' }),
      refusedRequests: delta('redress_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/cases/:caseId/follow-up',
        status: '409',
      }),
    }).toEqual({
      committed: 1,
      replayed: 1,
      ruleRefused: 1,
      conflict: 1,
      timed: 1,
      appends: 1,
      eventsAppended: 1,
      created: 2,
      refusedRequests: 1,
    });
    expect(sample(after, 'redress_event_store_append_events_bucket', { le: '1' })).toBeGreaterThanOrEqual(1);
  });

  it('shows each projection lag, and the read-your-writes waits', async () => {
    const { caseId, position } = await openCase(server, { ...validComplaint, summary: 'metrics lag' });
    expect((await server.get(`/cases/${caseId}?minPosition=${position}`)).status).toBe(200);
    const text = await scrape();
    expect(sample(text, 'redress_projection_lag_events', { projection: 'case-views' })).toBe(0);
    expect(sample(text, 'redress_projection_lag_seconds', { projection: 'case-views' })).toBe(0);
    expect(
      sample(text, 'redress_read_wait_duration_seconds_count', { projection: 'case-views', outcome: 'reached' }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toContain('# TYPE redress_read_model_behind_total counter');
  });

  it('counts open live (SSE) connections', async () => {
    const { caseId } = await openCase(server, { ...validComplaint, summary: 'metrics live' });
    const abort = new AbortController();
    const response = await fetch(`${server.url}/cases/${caseId}/live`, { headers: await server.authorization(), signal: abort.signal });
    expect(response.status).toBe(200);
    await response.body!.getReader().read();
    expect(sample(await scrape(), 'redress_sse_connections')).toBe(1);
    abort.abort();
    for (let tries = 0; sample(await scrape(), 'redress_sse_connections') !== 0; tries++) {
      if (tries > 50) throw new Error('the closed live connection is still counted');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});

describe('GET /metrics with METRICS_PUBLIC=true', () => {
  it('answers without a token', async () => {
    const server = await startTestServer({ env: { METRICS_PUBLIC: 'true' } });
    try {
      const response = await server.request('GET', '/metrics', { anonymous: true });
      expect(response.status).toBe(200);
      expect(response.body).toContain('redress_commands_total');
    } finally {
      await server.close();
    }
  });
});
