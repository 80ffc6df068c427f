import { expectFieldErrors, expectProblem, withTestServer } from './e2e-helpers';

const shop = { 'X-Actor-Id': 'shop', 'X-Actor-Role': 'agent' };
/** Imports are an administrator's job. */
const importer = { 'X-Actor-Id': 'shop', 'X-Actor-Role': 'admin' };
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

describe('customer streams over HTTP: purchases, referrals, churn', () => {
  const server = withTestServer();

  const purchase = (customerId: string, body: Record<string, unknown>, headers: Record<string, string> = shop) =>
    server.post(`/customers/${customerId}/purchases`, body, headers);

  it('records a purchase (201, ETag) and answers a repeat of the order with the first answer, appending nothing', async () => {
    const at = hoursAgo(2);
    const first = await purchase('cust-p1', { orderId: 'order-1', amount: 4999, currency: 'GBP', at });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ customerId: 'cust-p1', revision: 0, position: expect.any(Number), orderId: 'order-1' });
    expect(first.headers.get('etag')).toBe('"0"');
    const again = await purchase(
      'cust-p1',
      { orderId: 'order-1', amount: 4999, currency: 'GBP', at },
      { ...shop, 'Idempotency-Key': 'ignored-for-purchases' },
    );
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const next = await purchase('cust-p1', { orderId: 'order-2', amount: 100, currency: 'GBP', at });
    expect(next.body).toMatchObject({ revision: 1, position: first.body.position + 1 });
  });

  it('refuses a repeated order with another amount, currency or instant: 409 order-already-recorded, nothing appended', async () => {
    const at = hoursAgo(3);
    const first = await purchase('cust-p2', { orderId: 'order-9', amount: 1000, currency: 'GBP', at });
    for (const change of [{ amount: 1001 }, { currency: 'EUR' }, { at: hoursAgo(4) }]) {
      const conflicting = await purchase('cust-p2', { orderId: 'order-9', amount: 1000, currency: 'GBP', at, ...change });
      expectProblem(conflicting, 409, '/customers/cust-p2/purchases');
      expect(conflicting.body.rule).toBe('order-already-recorded');
      expect(conflicting.body.detail).toContain('recorded as 1000 GBP');
    }
    const probe = await purchase('cust-p2', { orderId: 'order-10', amount: 1, currency: 'GBP', at });
    expect(probe.body).toMatchObject({ revision: first.body.revision + 1 });
  });

  it('validates the body and the path like every command (400 naming each field; unknown fields refused)', async () => {
    expectFieldErrors(await purchase('cust-p3', { orderId: 'o 1', amount: 12.5, currency: 'POUNDS', at: '2025-01-01' }), [
      'orderId',
      'amount',
      'currency',
      'at',
    ]);
    expectFieldErrors(await purchase('cust-p3', { orderId: 'o1', amount: -1, currency: 'GBP', at: hoursAgo(1), discount: 5 }), [
      'amount',
      'discount',
    ]);
    expectFieldErrors(await purchase('cust p3', { orderId: 'o1', amount: 1, currency: 'GBP', at: hoursAgo(1) }), ['customerId']);
    expectFieldErrors(await purchase('cust-p3', {}), ['orderId', 'amount', 'currency', 'at']);
  });

  it('refuses a purchase dated in the future (409 dated-in-future) and a stale If-Match (409)', async () => {
    const future = await purchase('cust-p4', {
      orderId: 'o1',
      amount: 1,
      currency: 'GBP',
      at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expectProblem(future, 409);
    expect(future.body.rule).toBe('dated-in-future');
    await purchase('cust-p4', { orderId: 'o2', amount: 1, currency: 'GBP', at: hoursAgo(1) });
    const stale = await purchase('cust-p4', { orderId: 'o3', amount: 1, currency: 'GBP', at: hoursAgo(1) }, { ...shop, 'If-Match': '"7"' });
    expectProblem(stale, 409);
  });

  it('records referrals (201, generated or given id, idempotent) and churn (200, then 409 until the customer buys again)', async () => {
    const generated = await server.post('/customers/cust-r1/referrals', undefined, { ...shop, 'Idempotency-Key': 'ref-key-1' });
    expect(generated.status).toBe(201);
    expect(generated.body.referralId).toEqual(expect.any(String));
    const retried = await server.post('/customers/cust-r1/referrals', undefined, { ...shop, 'Idempotency-Key': 'ref-key-1' });
    expect(retried.body).toEqual(generated.body);
    const given = await server.post('/customers/cust-r1/referrals', { referralId: 'ref-42', referredCustomerId: 'cust-new' });
    expect(given.body).toMatchObject({ referralId: 'ref-42', revision: 1 });
    expect((await server.post('/customers/cust-r1/referrals', { referralId: 'ref-42', referredCustomerId: 'cust-new' })).body).toEqual(
      given.body,
    );
    expectFieldErrors(await server.post('/customers/cust-r1/referrals', { referredCustomerId: '' }), ['referredCustomerId']);

    const churned = await server.post('/customers/cust-r1/churn', { reason: 'Closed the account', at: hoursAgo(1) });
    expect(churned.status).toBe(200);
    expect(churned.body).toMatchObject({ customerId: 'cust-r1', revision: 2 });
    const twice = await server.post('/customers/cust-r1/churn', {});
    expectProblem(twice, 409);
    expect(twice.body.rule).toBe('customer-already-churned');
    await purchase('cust-r1', { orderId: 'back', amount: 500, currency: 'GBP', at: new Date().toISOString() });
    expect((await server.post('/customers/cust-r1/churn', undefined)).status).toBe(200);
  });

  it('lets the analytics read their writes: a purchase is counted once its position is reached', async () => {
    const at = hoursAgo(30);
    const recorded = await purchase('cust-ryw', { orderId: 'ryw-1', amount: 700, currency: 'GBP', at });
    const from = hoursAgo(30.5);
    const to = hoursAgo(29.5);
    const report = await server.get(`/analytics/loyalty-outcomes?from=${from}&to=${to}&windowDays=2&minPosition=${recorded.body.position}`);
    expect(report.status).toBe(200);
    expect(report.body.rows[0]).toMatchObject({ cohort: 'no-complaint', customers: 1 });
    expect(report.body.window.complete).toBe(false);
  });
});

describe('bulk import of purchases: POST /imports/purchases', () => {
  const server = withTestServer({ env: { BODY_LIMIT_BYTES: '2048' } });

  const post = (body: string, contentType: string) =>
    server.request('POST', '/imports/purchases', { raw: body, headers: { 'content-type': contentType, ...importer } });

  const CSV = [
    'orderId,customerId,amount,currency,at',
    'i-1,imp-a,1000,GBP,2025-02-01T10:00:00Z',
    'i-2,imp-a,1500,GBP,2025-02-02T10:00:00Z',
    '',
    'i-3,imp-b,12.50,GBP,2025-02-03T10:00:00Z',
    '"i-4","imp-b","2500","GBP","2025-02-04T10:00:00+01:00"',
    'i-5,imp-c,100,GBP',
    'i-1,imp-a,999,GBP,2025-02-01T10:00:00Z',
    'i-6,imp-c,100,XXX,2099-01-01T00:00:00Z',
    'i-7,imp-c,"100,GBP,2025-02-05T10:00:00Z',
    'i-8,imp-c,300,GBP,2099-02-05T10:00:00Z',
    'i-9,imp-c,300,GBP,2025-02-06T10:00:00Z',
    '',
  ].join('\r\n');

  it('keeps every valid CSV row and reports each invalid one with its line number and reason', async () => {
    const response = await post(CSV, 'text/csv; charset=utf-8');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      format: 'csv',
      rows: 10,
      recorded: 4,
      duplicates: 0,
      invalidCount: 6,
      position: expect.any(Number),
      invalid: [
        { line: 5, reason: expect.stringContaining('amount: must be an integer number') },
        { line: 7, reason: 'has 4 field(s), the header has 5' },
        { line: 8, reason: expect.stringContaining('Order i-1 was recorded as 1000 GBP'), rule: 'order-already-recorded' },
        { line: 9, reason: 'currency: must be an ISO 4217 currency code such as GBP, EUR or USD' },
        { line: 10, reason: 'has a quoted field that is not closed on the same line' },
        { line: 11, reason: expect.stringContaining('cannot be dated later than the moment it is recorded'), rule: 'dated-in-future' },
      ],
    });

    // The valid rows are in the read model: three customers bought in February 2025.
    const report = await server.get(`/analytics/loyalty-outcomes?from=2025-02-01&to=2025-02-28&minPosition=${response.body.position}`);
    expect(report.body.rows[0]).toMatchObject({ cohort: 'no-complaint', customers: 3 });

    // Importing the same file again appends nothing: its valid rows are duplicates, its invalid rows still invalid.
    const again = await post(CSV, 'text/csv');
    expect(again.body).toMatchObject({ rows: 10, recorded: 0, duplicates: 4, invalidCount: 6 });
  });

  it('imports NDJSON the same way', async () => {
    const ndjson = [
      JSON.stringify({ customerId: 'imp-n', orderId: 'n-1', amount: 500, currency: 'EUR', at: '2025-03-01T10:00:00Z' }),
      '{"customerId":"imp-n","orderId":"n-2",',
      JSON.stringify({ customerId: 'imp-n', orderId: 'n-3', amount: 500, currency: 'EUR', at: '2025-03-01T10:00:00Z', coupon: 'X' }),
      '[1,2]',
      JSON.stringify({ customerId: 'imp-n', orderId: 'n-4', amount: '500', currency: 'EUR', at: '2025-03-01T10:00:00Z' }),
      JSON.stringify({ customerId: 'imp-n', orderId: 'n-5', amount: 700, currency: 'EUR', at: '2025-03-02T10:00:00Z' }),
    ].join('\n');
    const response = await post(ndjson, 'application/x-ndjson');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ format: 'ndjson', rows: 6, recorded: 2, duplicates: 0, invalidCount: 4 });
    expect(response.body.invalid.map((entry: { line: number }) => entry.line)).toEqual([2, 3, 4, 5]);
    expect(response.body.invalid[1].reason).toBe('coupon: property coupon should not exist');
    expect(response.body.invalid[2].reason).toBe('is not a JSON object');
  });

  it('streams a body far larger than the JSON body limit without buffering it', async () => {
    const rows = 300;
    const lines = [
      'customerId,orderId,amount,currency,at',
      ...Array.from({ length: rows }, (_, index) => `big-${index % 7},big-order-${index},${100 + index},GBP,2025-01-15T10:00:00Z`),
    ];
    const encoder = new TextEncoder();
    let next = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (next >= lines.length) return controller.close();
        controller.enqueue(encoder.encode(`${lines.slice(next, next + 50).join('\n')}\n`));
        next += 50;
      },
    });
    const response = await fetch(`${server.url}/imports/purchases`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...(await server.authorization({ sub: 'shop-1', role: 'admin' })) },
      body,
      duplex: 'half',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ rows, recorded: rows, invalidCount: 0 });
    expect(lines.join('\n').length).toBeGreaterThan(5 * 2048);
  });

  it('refuses a CSV header without the purchase columns (400, nothing recorded) and bodies of other types (415)', async () => {
    const header = await post('customer,order,amount\nx,y,1\n', 'text/csv');
    expectFieldErrors(header, ['body']);
    expect(header.body.errors[0].message).toMatch(
      /missing column\(s\) customerId, orderId, currency, at; unknown column\(s\) customer, order/,
    );
    expectProblem(await post('{"customerId":"x"}', 'application/json'), 415, '/imports/purchases');
    expectProblem(await post('customerId=x', 'text/plain'), 415, '/imports/purchases');
    // The streaming types stay refused everywhere else.
    expectProblem(await server.request('POST', '/cases', { raw: 'a,b\n1,2\n', headers: { 'content-type': 'text/csv' } }), 415, '/cases');
    expectProblem(
      await server.request('POST', '/customers/x/purchases', { raw: '{}\n', headers: { 'content-type': 'application/x-ndjson' } }),
      415,
    );
  });
});
