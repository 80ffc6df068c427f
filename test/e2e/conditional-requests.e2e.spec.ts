import { agent, openCase, succeed, validComplaint, withTestServer } from './e2e-helpers';

/**
 * What HTTP clients and caches expect of the API: a 201 says where the new resource is, the case view
 * answers 304 to a client that already has its revision, and a list says where its next page is.
 */
describe('conditional reads, Location and Link', () => {
  const server = withTestServer();

  it('POST /cases answers 201 with the Location of the new case, which reads it back', async () => {
    const opened = await server.post('/cases', validComplaint, agent);
    expect(opened.status).toBe(201);
    expect(opened.headers.get('location')).toBe(`/cases/${opened.body.caseId}`);
    const read = await server.get(`${opened.headers.get('location')}?minPosition=${opened.body.position}`, agent);
    expect(read).toMatchObject({ status: 200, body: { caseId: opened.body.caseId } });
  });

  it('a recorded purchase (201) names the customer as its Location; a 200 command names none', async () => {
    const purchase = await server.post(
      '/customers/cust-location/purchases',
      { orderId: 'order-location', amount: 1200, currency: 'GBP', at: '2026-01-05T10:00:00Z' },
      agent,
    );
    expect(purchase.status).toBe(201);
    expect(purchase.headers.get('location')).toBe('/customers/cust-location');
    const { caseId } = await openCase(server);
    const acknowledged = await succeed(server, caseId, 'acknowledge', { channel: 'email', message: 'Got it' });
    expect(acknowledged.headers.get('location')).toBeNull();
  });

  it('GET /cases/:id answers 304 without a body while If-None-Match names its current ETag, 200 once it changed', async () => {
    const opened = await openCase(server);
    const first = await server.get(`/cases/${opened.caseId}?minPosition=${opened.position}`, agent);
    expect(first.headers.get('etag')).toBe('"0"');

    for (const tag of ['"0"', 'W/"0"', '"7", "0"', '*']) {
      const unchanged = await server.get(`/cases/${opened.caseId}`, { ...agent, 'If-None-Match': tag });
      expect({ tag, status: unchanged.status, body: unchanged.body, etag: unchanged.headers.get('etag') }).toEqual({
        tag,
        status: 304,
        body: '',
        etag: '"0"',
      });
    }

    const acknowledged = await succeed(server, opened.caseId, 'acknowledge', { channel: 'email', message: 'Got it' });
    const changed = await server.get(`/cases/${opened.caseId}?minPosition=${acknowledged.body.position}`, {
      ...agent,
      'If-None-Match': '"0"',
    });
    expect(changed).toMatchObject({ status: 200, body: { caseId: opened.caseId, revision: 1 } });
    expect(changed.headers.get('etag')).toBe('"1"');
  });

  it("a case's history links its next page by fromRevision", async () => {
    const { caseId } = await openCase(server);
    await succeed(server, caseId, 'acknowledge', { channel: 'email', message: 'Got it' });
    const auditor = { 'X-Actor-Id': 'aud-1', 'X-Actor-Role': 'auditor' };
    const first = await server.get(`/cases/${caseId}/history?limit=1`, auditor);
    expect(first.body.nextRevision).toBe(1);
    expect(first.headers.get('link')).toBe(`</cases/${caseId}/history?limit=1&fromRevision=1>; rel="next"`);
    const last = await server.get(/^<([^>]+)>/.exec(first.headers.get('link')!)![1], auditor);
    expect(last.body.events.map((event: { revision: number }) => event.revision)).toEqual([1]);
    expect(last.headers.get('link')).toBeNull();
  });

  it('GET /cases links the next page (RFC 8288) with the same filters, and the last page links none', async () => {
    const customerId = `cust-pages-${Date.now()}`;
    let last = 0;
    for (let i = 0; i < 3; i++) last = (await openCase(server, { ...validComplaint, customerId })).position;

    const first = await server.get(`/cases?customerId=${customerId}&limit=2&minPosition=${last}`, agent);
    expect(first.body.items).toHaveLength(2);
    const link = first.headers.get('link');
    expect(link).toBe(`</cases?customerId=${customerId}&limit=2&minPosition=${last}&cursor=${first.body.nextCursor}>; rel="next"`);

    const next = await server.get(/^<([^>]+)>/.exec(link!)![1], agent);
    expect(next.status).toBe(200);
    expect(next.body.items).toHaveLength(1);
    expect(next.body.nextCursor).toBeNull();
    expect(next.headers.get('link')).toBeNull();
  });
});
