import { act, agent, read, receive } from '../support/case-scenarios';
import { eventsOf, expectFieldErrors, withTestServer } from './e2e-helpers';

describe('bulk actions: each case its own command and result, the request idempotent as a whole', () => {
  let open: string[];
  let closed: string;
  const server = withTestServer({ env: { DEADLINE_CHECK_INTERVAL_MS: '86400000' } });
  beforeAll(async () => {
    open = [];
    for (const n of [1, 2, 3])
      open.push((await receive(server, { customerId: `cust-b${n}`, channel: 'email', summary: `Bulk ${n}` })).caseId);
    closed = (await receive(server, { customerId: 'cust-bw', channel: 'email', summary: 'Withdrawn' })).caseId;
    await act(server, closed, 'withdraw', { reason: 'Sorted' });
  });

  it('assigns every case it can, and reports each refusal as the single-case route would', async () => {
    const body = { caseIds: [...open, closed, 'no-such-case'], agentId: 'agent-42', team: 'recalls' };
    const response = await server.request('POST', '/cases/bulk/assign', {
      body,
      headers: { ...agent, 'Idempotency-Key': 'bulk-assign-1' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBeNull();
    expect(response.body).toMatchObject({ succeeded: 3, failed: 2 });
    expect(response.body.results.map((r: { caseId: string; status: number }) => [r.caseId, r.status])).toEqual([
      [open[0], 200],
      [open[1], 200],
      [open[2], 200],
      [closed, 409],
      ['no-such-case', 404],
    ]);
    expect(response.body.results[3].problem).toMatchObject({ status: 409, rule: 'case-withdrawn', instance: `/cases/${closed}` });
    const last = Math.max(
      ...response.body.results.filter((r: { status: number }) => r.status === 200).map((r: { position: number }) => r.position),
    );
    const listed = await read(server, '/cases?team=recalls&assignee=agent-42', last);
    expect(listed.body.items.map((item: { caseId: string }) => item.caseId).sort()).toEqual([...open].sort());
    const history = await eventsOf(server, open[0]);
    expect(history.filter((e) => e.type === 'CaseAssigned').map((e) => e.data['by'])).toEqual([{ id: 'agent-7', role: 'agent' }]);

    // The same request again: the same answer, nothing appended twice.
    const again = await server.request('POST', '/cases/bulk/assign', { body, headers: { ...agent, 'Idempotency-Key': 'bulk-assign-1' } });
    expect(again.body).toEqual(response.body);
    expect((await eventsOf(server, open[0])).filter((e) => e.type === 'CaseAssigned')).toHaveLength(1);
  });

  it('tags many cases; a case that already has the tag is reported, the others tagged', async () => {
    await act(server, open[1], 'tags', { tag: 'recall-2026' });
    const response = await server.request('POST', '/cases/bulk/tag', { body: { caseIds: open, tag: 'recall-2026' }, headers: agent });
    expect(response.status).toBe(200);
    expect(response.body.results.map((r: { status: number }) => r.status)).toEqual([200, 409, 200]);
    expect(response.body.results[1].problem.rule).toBe('tag-already-on-case');
    const last = Math.max(response.body.results[0].position, response.body.results[2].position);
    const tagged = await read(server, '/cases?tag=recall-2026', last);
    expect(tagged.body.items.map((item: { caseId: string }) => item.caseId).sort()).toEqual([...open].sort());
  });

  it('refuses a malformed selection as a whole, naming the field', async () => {
    expectFieldErrors(await server.request('POST', '/cases/bulk/tag', { body: { caseIds: [], tag: 'x' }, headers: agent }), ['caseIds']);
    expectFieldErrors(
      await server.request('POST', '/cases/bulk/tag', { body: { caseIds: [open[0], open[0]], tag: 'x' }, headers: agent }),
      ['caseIds'],
    );
    expectFieldErrors(
      await server.request('POST', '/cases/bulk/assign', {
        body: { caseIds: Array.from({ length: 101 }, (_, i) => `c-${i}`), agentId: 'a' },
        headers: agent,
      }),
      ['caseIds'],
    );
    expectFieldErrors(await server.request('POST', '/cases/bulk/assign', { body: { caseIds: ['bad id'] }, headers: agent }), [
      'caseIds',
      'agentId',
    ]);
  });
});
