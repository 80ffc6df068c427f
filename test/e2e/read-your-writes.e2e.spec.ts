import { ConfigError, loadConfig } from '../../src/config/app-config';
import { act, customer, receive } from '../support/case-scenarios';
import { expectFieldErrors, expectProblem, withTestServer } from './e2e-helpers';

const READ_WAIT_TIMEOUT_MS = 300;
/** Far beyond any position this test writes. */
const FUTURE = 999_999_999;

describe('read-your-writes over HTTP', () => {
  const server = withTestServer({ env: { READ_WAIT_TIMEOUT_MS: String(READ_WAIT_TIMEOUT_MS), DEADLINE_CHECK_INTERVAL_MS: '86400000' } });

  it('always sees the write a command just made when reading with its position', async () => {
    const seen: Array<{ step: number; revision: number; contacts: number; listed: boolean; customerCases: number }> = [];
    const expected: typeof seen = [];
    let caseId = '';
    for (let step = 0; step < 30; step++) {
      // A new case every 10 steps, a contact on the current one otherwise.
      const written =
        step % 10 === 0
          ? await receive(server, { customerId: 'ryw-cust', channel: 'email', summary: `case ${step}` })
          : await act(server, caseId, 'log-contact', { direction: 'inbound', channel: 'phone', summary: `call ${step}` }, customer);
      caseId = written.caseId;
      const view = await server.get(`/cases/${caseId}?minPosition=${written.position}`);
      const list = await server.get(`/cases?customerId=ryw-cust&sort=-updatedAt&limit=1&minPosition=${written.position}`);
      const mine = await server.get(`/customers/ryw-cust?minPosition=${written.position}`);
      seen.push({
        step,
        revision: view.body.revision,
        contacts: view.body.contacts?.length,
        listed: list.body.items?.[0]?.caseId === caseId && list.body.items[0].revision === written.revision,
        customerCases: mine.body.totals?.cases,
      });
      expected.push({ step, revision: written.revision, contacts: step % 10, listed: true, customerCases: Math.floor(step / 10) + 1 });
    }
    expect(seen).toEqual(expected);
  });

  it('sees each write when many clients write and read at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        const opened = await receive(server, { customerId: `ryw-parallel-${index % 4}`, channel: 'chat', summary: `parallel ${index}` });
        const assigned = await act(server, opened.caseId, 'assign', { agentId: `agent-${index}` });
        const view = await server.get(`/cases/${opened.caseId}`, { 'X-Min-Position': String(assigned.position) });
        return { status: view.status, revision: view.body.revision, assignee: view.body.assignee?.agentId };
      }),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => ({ status: 200, revision: 1, assignee: `agent-${index}` })));
  });

  it('takes the position from the X-Min-Position header too', async () => {
    const opened = await receive(server, { customerId: 'ryw-header', channel: 'web', summary: 'Header read' });
    const acknowledged = await act(server, opened.caseId, 'acknowledge', { channel: 'email', message: 'Got it' });
    const headers = { 'X-Min-Position': String(acknowledged.position) };
    const view = await server.get(`/cases/${opened.caseId}`, headers);
    expect({ status: view.status, revision: view.body.revision, state: view.body.status }).toEqual({
      status: 200,
      revision: 1,
      state: 'acknowledged',
    });
    const list = await server.get('/cases?customerId=ryw-header', headers);
    expect(list.body.items.map((item: { status: string }) => item.status)).toEqual(['acknowledged']);
    const customerPage = await server.get('/customers/ryw-header', headers);
    expect(customerPage.body.cases.map((item: { revision: number }) => item.revision)).toEqual([1]);
  });

  it('answers reads of a position already reached at once, and position 0 always', async () => {
    const opened = await receive(server, { customerId: 'ryw-old', channel: 'web', summary: 'Old write' });
    expect((await server.get(`/cases/${opened.caseId}?minPosition=${opened.position}`)).status).toBe(200);
    expect((await server.get(`/cases/${opened.caseId}?minPosition=0`)).status).toBe(200);
    expect((await server.get(`/cases/${opened.caseId}?minPosition=1`)).status).toBe(200);
  });

  it.each([
    ['GET /cases/:caseId', (caseId: string) => `/cases/${caseId}`],
    ['GET /cases', () => '/cases'],
    ['GET /customers/:customerId', () => '/customers/ryw-behind'],
  ])('%s answers 503 with Retry-After, not stale data, for a position the read model cannot reach in time', async (_name, path) => {
    const opened = await receive(server, { customerId: 'ryw-behind', channel: 'web', summary: 'Behind' });
    const viaQuery = await server.get(`${path(opened.caseId)}${path(opened.caseId).includes('?') ? '&' : '?'}minPosition=${FUTURE}`);
    expectProblem(viaQuery, 503);
    expect(viaQuery.body.type).toMatch(/read-model-behind/);
    expect(viaQuery.body.detail).toContain(String(FUTURE));
    expect(Number(viaQuery.headers.get('retry-after'))).toBeGreaterThan(0);
    const viaHeader = await server.get(path(opened.caseId), { 'X-Min-Position': String(FUTURE) });
    expectProblem(viaHeader, 503);
    expect(viaHeader.headers.get('retry-after')).toEqual(expect.stringMatching(/^\d+$/));
  });

  it.each([['abc'], ['-1'], ['1.5'], ['1e3'], ['0x10'], ['1234567890123456']])(
    'refuses minPosition=%s with a 400 naming it, on every read endpoint',
    async (raw) => {
      const opened = await receive(server, { customerId: 'ryw-bad', channel: 'web', summary: 'Bad position' });
      for (const path of [`/cases/${opened.caseId}`, '/customers/ryw-bad', '/cases']) {
        expectFieldErrors(await server.get(`${path}?minPosition=${encodeURIComponent(raw)}`), ['minPosition']);
      }
      for (const path of [`/cases/${opened.caseId}`, '/customers/ryw-bad', '/cases']) {
        expectFieldErrors(await server.get(path, { 'X-Min-Position': raw }), ['X-Min-Position']);
      }
    },
  );

  it('refuses a repeated minPosition with a 400 naming it, on every read endpoint, instead of ignoring it', async () => {
    const opened = await receive(server, { customerId: 'ryw-twice', channel: 'web', summary: 'Twice' });
    for (const path of [`/cases/${opened.caseId}`, '/customers/ryw-twice', '/cases']) {
      const response = await server.get(`${path}?minPosition=${FUTURE}&minPosition=${FUTURE}`);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expectFieldErrors(response, ['minPosition']);
    }
  });

  it('does not drop the X-Min-Position header because the query has an empty minPosition', async () => {
    const opened = await receive(server, { customerId: 'ryw-empty', channel: 'web', summary: 'Empty' });
    for (const path of [`/cases/${opened.caseId}`, '/customers/ryw-empty', '/cases']) {
      const response = await server.get(`${path}?minPosition=`, { 'X-Min-Position': String(FUTURE) });
      // Either refused as invalid, or the header is honoured (and cannot be reached): never served as if current.
      expect({ path, served: response.status === 200 }).toEqual({ path, served: false });
      if (response.status === 400) expectFieldErrors(response, ['minPosition']);
      else expectProblem(response, 503);
    }
  });
});

describe('read-your-writes with a projection pass interval (PROJECTION_PASS_INTERVAL_MS)', () => {
  const server = withTestServer({ env: { PROJECTION_PASS_INTERVAL_MS: '100', DEADLINE_CHECK_INTERVAL_MS: '86400000' } });

  it('still shows every client its own write, while appends share passes', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, async (_, index) => {
        const opened = await receive(server, { customerId: `ryw-interval-${index % 3}`, channel: 'chat', summary: `interval ${index}` });
        const contacted = await act(
          server,
          opened.caseId,
          'log-contact',
          { direction: 'inbound', channel: 'phone', summary: `call ${index}` },
          customer,
        );
        const view = await server.get(`/cases/${opened.caseId}?minPosition=${contacted.position}`);
        return { status: view.status, revision: view.body.revision, contacts: view.body.contacts?.length };
      }),
    );
    expect(results).toEqual(Array.from({ length: 12 }, () => ({ status: 200, revision: 1, contacts: 1 })));
  });

  it('is off unless set, and at most a second', () => {
    expect(loadConfig({}).projectionPassIntervalMs).toBe(0);
    expect(loadConfig({ PROJECTION_PASS_INTERVAL_MS: '5' }).projectionPassIntervalMs).toBe(5);
    expect(() => loadConfig({ PROJECTION_PASS_INTERVAL_MS: '1001' })).toThrow(ConfigError);
  });
});
