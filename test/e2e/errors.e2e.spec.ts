import { COMPLAINT_RULES } from '../../src/complaints/domain/complaint.decider';
import { startTestServer } from '../support/test-server';
import {
  agent,
  customer,
  eventsOf,
  expectFieldErrors,
  expectNothingAppendedDuring,
  expectProblem,
  inDays,
  openCase,
  succeed,
  supervisor,
  validAssessment,
  validComplaint,
  withTestServer,
} from './e2e-helpers';

/**
 * Every error class of the command API: each answer is an RFC 9457 problem (application/problem+json
 * with type, title, status, detail, instance, and `errors` naming the fields of an invalid request),
 * never a 500, and a refused request leaves the event log exactly as it was.
 */
describe('errors over HTTP', () => {
  const server = withTestServer();

  const acknowledgement = { channel: 'email', message: 'We have your complaint and will reply within 3 days.' };

  /** Runs `act` against an existing case and checks neither that case nor the global log grew. */
  async function expectCaseUnchanged<T>(caseId: string, act: () => Promise<T>): Promise<T> {
    const before = await eventsOf(server, caseId);
    const result = await expectNothingAppendedDuring(server, act);
    expect(await eventsOf(server, caseId)).toEqual(before);
    return result;
  }

  describe('malformed and non-object bodies: 400', () => {
    let caseId: string;
    beforeAll(async () => {
      ({ caseId } = await openCase(server));
    });

    it.each([
      ['POST /cases', () => '/cases'],
      ['a case action', () => `/cases/${caseId}/acknowledge`],
    ])('answers malformed JSON on %s with 400 naming the body', async (_, path) => {
      await expectCaseUnchanged(caseId, async () => {
        for (const raw of ['{"customerId": "cust-1", ', '{customerId: "cust-1"}', "{'a': 1}", '{"a": 1}}', 'undefined']) {
          const response = await server.request('POST', path(), { raw });
          expectProblem(response, 400, path());
          expect(response.body.errors).toEqual([expect.objectContaining({ field: 'body' })]);
        }
      });
    });

    it('answers an empty body sent as application/json with 400', async () => {
      await expectCaseUnchanged(caseId, async () => {
        for (const path of ['/cases', `/cases/${caseId}/acknowledge`]) {
          const response = await server.request('POST', path, { raw: '' });
          expectProblem(response, 400, path);
        }
      });
    });

    it.each([['[]'], ['[{"customerId":"cust-1"}]'], ['"a complaint"'], ['42'], ['true'], ['null']])(
      'answers the top-level JSON value %s on POST /cases with 400 listing the missing fields, not 500',
      async (raw) => {
        await expectNothingAppendedDuring(server, async () => {
          const response = await server.request('POST', '/cases', { raw });
          expectFieldErrors(response, ['customerId', 'channel', 'summary'], '/cases');
        });
      },
    );

    it.each([['[]'], ['[{"channel":"email"}]'], ['"thanks"'], ['42'], ['true']])(
      'answers the top-level JSON value %s on a case action with 400, not 500, and appends nothing',
      async (raw) => {
        await expectCaseUnchanged(caseId, async () => {
          const response = await server.request('POST', `/cases/${caseId}/acknowledge`, { raw });
          expectProblem(response, 400, `/cases/${caseId}/acknowledge`);
          expect(response.body.errors?.length).toBeGreaterThan(0);
        });
      },
    );

    it('validates a case action posted without any body like an empty one: the required fields are named', async () => {
      await expectCaseUnchanged(caseId, async () => {
        const response = await server.request('POST', `/cases/${caseId}/acknowledge`, { headers: agent });
        expectFieldErrors(response, ['channel', 'message']);
      });
    });
  });

  describe('invalid bodies: 400 naming every field', () => {
    let caseId: string;
    beforeAll(async () => {
      ({ caseId } = await openCase(server));
    });

    it('names each missing required field of POST /cases', async () => {
      await expectNothingAppendedDuring(server, async () => {
        expectFieldErrors(await server.post('/cases', {}), ['customerId', 'channel', 'summary'], '/cases');
      });
    });

    it('names nested money fields: a float amount and an unknown currency', async () => {
      await expectNothingAppendedDuring(server, async () => {
        const response = await server.post('/cases', { ...validComplaint, orderValue: { amount: 129.99, currency: 'XYZ' } });
        expectFieldErrors(response, ['orderValue.amount', 'orderValue.currency'], '/cases');
        expect(response.body.detail).toContain('orderValue.amount');
        const stringAmount = await server.post('/cases', { ...validComplaint, orderValue: { amount: '12999', currency: 'GBP' } });
        expectFieldErrors(stringAmount, ['orderValue.amount']);
        const notAnObject = await server.post('/cases', { ...validComplaint, orderValue: 'about twenty pounds' });
        expectFieldErrors(notAnObject, ['orderValue']);
        const negative = await server.post('/cases', { ...validComplaint, orderValue: { amount: -1, currency: 'GBP' } });
        expectFieldErrors(negative, ['orderValue.amount']);
        const unknownNested = await server.post('/cases', { ...validComplaint, orderValue: { amount: 100, currency: 'GBP', vat: 20 } });
        expectFieldErrors(unknownNested, ['orderValue.vat']);
      });
    });

    it('names enum, pattern and timestamp fields', async () => {
      await expectNothingAppendedDuring(server, async () => {
        const response = await server.post('/cases', {
          customerId: 'cust 42',
          channel: 'pigeon',
          summary: 'x',
          regime: 'EU',
          receivedAt: 'yesterday',
        });
        expectFieldErrors(response, ['customerId', 'channel', 'regime', 'receivedAt']);
        const noOffset = await server.post('/cases', { ...validComplaint, receivedAt: '2026-01-01T10:00:00' });
        expectFieldErrors(noOffset, ['receivedAt']);
      });
    });

    it("rejects an unknown field as 'should not exist'", async () => {
      await expectNothingAppendedDuring(server, async () => {
        const response = await server.post('/cases', { ...validComplaint, priority: 'urgent' });
        expectFieldErrors(response, ['priority'], '/cases');
        expect(response.body.errors).toContainEqual({ field: 'priority', message: expect.stringContaining('should not exist') });
      });
    });

    it('rejects unknown fields named like Object.prototype members (constructor, toString, valueOf)', async () => {
      await expectNothingAppendedDuring(server, async () => {
        const response = await server.request('POST', '/cases', {
          raw: JSON.stringify({ ...validComplaint, constructor: 1, toString: 'x', valueOf: {} }),
        });
        expectFieldErrors(response, ['constructor', 'toString', 'valueOf'], '/cases');
      });
    });

    it('rejects null for an optional field: absent means absent, null is not a value', async () => {
      await expectNothingAppendedDuring(server, async () => {
        expectFieldErrors(await server.post('/cases', { ...validComplaint, details: null }), ['details']);
        expectFieldErrors(await server.post('/cases', { ...validComplaint, orderValue: null }), ['orderValue']);
        expectFieldErrors(await server.post('/cases', { ...validComplaint, receivedAt: null }), ['receivedAt']);
      });
    });

    it('names the invalid fields of a case action and appends nothing', async () => {
      await expectCaseUnchanged(caseId, async () => {
        const path = `/cases/${caseId}/acknowledge`;
        expectFieldErrors(await server.post(path, { channel: 'pigeon', message: '' }), ['channel', 'message'], path);
        expectFieldErrors(await server.post(path, {}), ['channel', 'message'], path);
      });
    });

    it('names a float or string goodwill amount and a bad currency', async () => {
      await expectCaseUnchanged(caseId, async () => {
        const path = `/cases/${caseId}/goodwill`;
        expectFieldErrors(await server.post(path, { kind: 'coupon', amount: 12.5, currency: 'GBP' }), ['amount'], path);
        expectFieldErrors(await server.post(path, { kind: 'coupon', amount: '500', currency: 'GBP' }), ['amount'], path);
        expectFieldErrors(await server.post(path, { kind: 'coupon', amount: 500, currency: 'pounds' }), ['currency'], path);
        expectFieldErrors(await server.post(path, { kind: 'cash-in-envelope', amount: 500, currency: 'GBP' }), ['kind'], path);
      });
    });

    it('rejects unknown fields and nulls on case actions too', async () => {
      await expectCaseUnchanged(caseId, async () => {
        const assign = await server.post(`/cases/${caseId}/assign`, { agentId: 'agent-7', priority: 'high' });
        expectFieldErrors(assign, ['priority']);
        expect(assign.body.errors).toContainEqual({ field: 'priority', message: expect.stringContaining('should not exist') });
        expectFieldErrors(await server.post(`/cases/${caseId}/escalate`, { reason: 'Third complaint', level: null }), ['level']);
        expectFieldErrors(await server.post(`/cases/${caseId}/log-contact`, { direction: 'sideways', channel: 'phone', summary: 'x' }), [
          'direction',
        ]);
      });
    });

    it('validates the body before the case rules: a CSAT of 7 is a 400 on csat, whatever the case state', async () => {
      await expectCaseUnchanged(caseId, async () => {
        const response = await server.post(`/cases/${caseId}/follow-up`, { satisfied: true, csat: 7, nps: 11 }, customer);
        expectFieldErrors(response, ['csat', 'nps']);
      });
    });
  });

  describe('invalid headers: 400 naming the header', () => {
    let caseId: string;
    beforeAll(async () => {
      ({ caseId } = await openCase(server));
    });

    // Who acts comes from the bearer token now; its failures are in auth-tokens.e2e.spec.ts.
    it.each([
      ['If-Match', 'abc'],
      ['If-Match', '"-1"'],
      ['Idempotency-Key', 'k'.repeat(256)],
      ['Idempotency-Key', 'has spaces'],
      ['X-Correlation-Id', 'c'.repeat(256)],
    ])('refuses %s: %s on POST /cases and on a case action', async (header, value) => {
      await expectCaseUnchanged(caseId, async () => {
        const opened = await server.post('/cases', validComplaint, { [header]: value });
        expectFieldErrors(opened, [header], '/cases');
        const acted = await server.post(`/cases/${caseId}/acknowledge`, acknowledgement, { [header]: value });
        expectFieldErrors(acted, [header], `/cases/${caseId}/acknowledge`);
      });
    });
  });

  describe('unknown things: 404', () => {
    const missingCase = '0b5d6a52-3c1e-4f7e-9f51-1f6f0c2d9e77';

    it.each([
      ['acknowledge', acknowledgement, agent],
      ['log-contact', { direction: 'inbound', channel: 'phone', summary: 'Called' }, agent],
      ['goodwill', { kind: 'coupon', amount: 500, currency: 'GBP' }, agent],
      ['goodwill/offer-1/approve', {}, supervisor],
      ['withdraw', undefined, customer],
    ])('answers POST /cases/<unknown>/%s with 404 and opens no case', async (action, body, headers) => {
      await expectNothingAppendedDuring(server, async () => {
        const path = `/cases/${missingCase}/${action}`;
        const response = await server.request('POST', path, { body, headers });
        expectProblem(response, 404, path);
      });
      expectProblem(await server.get(`/cases/${missingCase}/events`), 404, `/cases/${missingCase}/events`);
    });

    it('answers an unknown goodwill offer with 404 on every offer route', async () => {
      const { caseId } = await openCase(server);
      await expectCaseUnchanged(caseId, async () => {
        for (const [action, body, headers] of [
          ['approve', {}, supervisor],
          ['decline', { reason: 'Too generous' }, supervisor],
          ['response', { response: 'accepted' }, customer],
          ['fulfil', { reference: 'refund-1' }, agent],
        ] as const) {
          const path = `/cases/${caseId}/goodwill/no-such-offer/${action}`;
          const response = await server.post(path, body, headers);
          expectProblem(response, 404, path);
          expect(response.body.detail).toContain('no-such-offer');
        }
      });
    });

    it.each([
      ['GET', '/nothing-here'],
      ['PUT', '/cases'],
      ['POST', '/cases/0b5d6a52-3c1e-4f7e-9f51-1f6f0c2d9e77/teleport'],
      ['DELETE', '/cases/0b5d6a52-3c1e-4f7e-9f51-1f6f0c2d9e77'],
    ])('answers an unknown route (%s %s) with a 404 problem', async (method, path) => {
      const response = await server.request(method, path, method === 'POST' ? { body: {} } : {});
      expectProblem(response, 404, path);
    });
  });

  describe('malformed ids in the path: 400 naming the parameter', () => {
    it.each([
      ['a space', 'case%20one'],
      ['300 characters', 'c'.repeat(300)],
      ['a path traversal', '..%2F..%2Fetc'],
      ['a NUL byte', 'case%00'],
    ])('refuses a caseId with %s on commands and on the event stream', async (_, caseId) => {
      await expectNothingAppendedDuring(server, async () => {
        const command = await server.post(`/cases/${caseId}/acknowledge`, acknowledgement);
        expectFieldErrors(command, ['caseId']);
        const stream = await server.get(`/cases/${caseId}/events`);
        expectFieldErrors(stream, ['caseId']);
      });
    });

    it('refuses an offerId with a space, naming offerId', async () => {
      const { caseId } = await openCase(server);
      await expectCaseUnchanged(caseId, async () => {
        expectFieldErrors(await server.post(`/cases/${caseId}/goodwill/offer%20one/approve`, {}, supervisor), ['offerId']);
      });
    });

    it('answers a URL with broken percent-encoding as a 400 problem', async () => {
      const response = await server.get('/cases/%E0%A4%A/events');
      expectProblem(response, 400);
    });

    it('routes an offerId of the longest allowed length (128 characters)', async () => {
      const { caseId } = await openCase(server);
      const offerId = 'offer-'.padEnd(128, 'x');
      const offered = await succeed(server, caseId, 'goodwill', { offerId, kind: 'credit', amount: 20000, currency: 'GBP' });
      expect(offered.body.offerId).toBe(offerId);
      const approved = await server.post(`/cases/${caseId}/goodwill/${offerId}/approve`, { note: 'Fine' }, supervisor);
      expect({ status: approved.status, body: approved.body }).toMatchObject({ status: 200, body: { caseId } });
    });
  });

  describe('conflicts: 409', () => {
    it('refuses a stale If-Match with stale-revision and appends nothing', async () => {
      const { caseId } = await openCase(server);
      const logged = await succeed(server, caseId, 'log-contact', { direction: 'inbound', channel: 'phone', summary: 'Called in' });
      expect(logged.headers.get('etag')).toBe('"1"');
      await expectCaseUnchanged(caseId, async () => {
        for (const stale of ['"0"', '"7"', '0']) {
          const path = `/cases/${caseId}/acknowledge`;
          const response = await server.post(path, acknowledgement, { ...agent, 'If-Match': stale });
          expectProblem(response, 409, path);
          expect(response.body.type).toMatch(/stale-revision$/);
          expect(response.body.detail).toContain('1');
          expect(response.body.rule).toBeUndefined();
        }
      });
    });

    it('refuses a follow-up before resolution, naming the rule and saying it in words', async () => {
      const { caseId } = await openCase(server);
      await expectCaseUnchanged(caseId, async () => {
        const path = `/cases/${caseId}/follow-up`;
        const response = await server.post(path, { satisfied: true, csat: 5 }, customer);
        expectProblem(response, 409, path);
        expect(response.body.rule).toBe('follow-up-needs-resolution');
        expect(response.body.type).toMatch(/follow-up-needs-resolution$/);
        expect(response.body.detail).toContain(COMPLAINT_RULES['follow-up-needs-resolution']);
      });
    });

    it('refuses an agent approving goodwill: only a supervisor may (403, naming the role)', async () => {
      const { caseId } = await openCase(server);
      const offer = await succeed(server, caseId, 'goodwill', { kind: 'full-refund', amount: 25000, currency: 'GBP' });
      await expectCaseUnchanged(caseId, async () => {
        const path = `/cases/${caseId}/goodwill/${offer.body.offerId}/approve`;
        const response = await server.post(path, { note: 'I approve my own offer' }, agent);
        expectProblem(response, 403, path);
        expect(response.body.detail).toMatch(/supervisor/);
      });
    });

    it('refuses a system fix on a one-off failure and anything but reopen on a closed case', async () => {
      const { caseId } = await openCase(server);
      await succeed(server, caseId, 'assess', validAssessment);
      await expectCaseUnchanged(caseId, async () => {
        const fix = await server.post(`/cases/${caseId}/system-fix`, {
          description: 'Changed the courier',
          procedureChange: 'New courier',
          effectiveFrom: inDays(1),
          customerNotified: false,
        });
        expectProblem(fix, 409);
        expect(fix.body.rule).toBe('system-fix-needs-systemic-root-cause');
      });
      await succeed(server, caseId, 'close', { reason: 'duplicate' });
      await expectCaseUnchanged(caseId, async () => {
        const response = await server.post(`/cases/${caseId}/apologize`, { channel: 'email', message: 'Sorry' });
        expectProblem(response, 409);
        expect(response.body.rule).toBe('case-closed');
        expect(response.body.detail).toBe(COMPLAINT_RULES['case-closed']);
      });
    });
  });

  describe('body size: 413', () => {
    it('refuses a body over 1 MiB on POST /cases and on a case action', async () => {
      const { caseId } = await openCase(server);
      await expectCaseUnchanged(caseId, async () => {
        const huge = 'a'.repeat(1024 * 1024 + 1);
        const opened = await server.post('/cases', { ...validComplaint, details: huge });
        expectProblem(opened, 413, '/cases');
        const acted = await server.post(`/cases/${caseId}/acknowledge`, { channel: 'email', message: huge });
        expectProblem(acted, 413, `/cases/${caseId}/acknowledge`);
      });
    });

    it('reads a body just under 1 MiB (and then judges its fields)', async () => {
      await expectNothingAppendedDuring(server, async () => {
        const response = await server.post('/cases', { ...validComplaint, details: 'a'.repeat(1000 * 1000) });
        expectFieldErrors(response, ['details']);
      });
    });

    it('honours a smaller BODY_LIMIT_BYTES', async () => {
      const small = await startTestServer({ env: { BODY_LIMIT_BYTES: '2048' } });
      try {
        const tooLarge = await small.post('/cases', { ...validComplaint, details: 'd'.repeat(3000) });
        expectProblem(tooLarge, 413, '/cases');
        const fits = await small.post('/cases', { ...validComplaint, details: 'd'.repeat(1500) });
        expect(fits.status).toBe(201);
        expect((await small.get(`/cases/${fits.body.caseId}/events`)).body).toHaveLength(1);
      } finally {
        await small.close();
      }
    });
  });

  describe('media type: 415', () => {
    it.each([
      ['text/plain', 'customerId=cust-1'],
      ['application/x-www-form-urlencoded', 'customerId=cust-42&channel=email&summary=Parcel+arrived+damaged'],
      ['application/xml', '<complaint/>'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="summary"\r\n\r\nhi\r\n--x--'],
    ])('refuses a %s body with 415 on POST /cases and on a case action', async (contentType, raw) => {
      const { caseId } = await openCase(server);
      await expectCaseUnchanged(caseId, async () => {
        const opened = await server.request('POST', '/cases', { raw, headers: { 'content-type': contentType } });
        expectProblem(opened, 415, '/cases');
        const acted = await server.request('POST', `/cases/${caseId}/withdraw`, { raw, headers: { 'content-type': contentType } });
        expectProblem(acted, 415, `/cases/${caseId}/withdraw`);
      });
    });

    it('accepts application/json with a charset parameter', async () => {
      const response = await server.request('POST', '/cases', {
        raw: JSON.stringify(validComplaint),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(response.status).toBe(201);
    });
  });

  describe('garbage never causes a 500 and never appends', () => {
    const nested = (depth: number, leaf: string) => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
    const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const json = (value: object) => JSON.stringify(value);
    const thousandKeys = json(Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])));

    const caseGarbage: Array<[string, string | Uint8Array]> = [
      ['objects nested 10 000 deep', `{"customerId":${nested(10_000, '1')},"channel":"email","summary":"x"}`],
      ['arrays nested 10 000 deep', `{"customerId":"cust-1","channel":"email","summary":${arrays(10_000)}}`],
      ['an amount of 1e400', '{"customerId":"cust-1","channel":"email","summary":"x","orderValue":{"amount":1e400,"currency":"GBP"}}'],
      [
        'an amount of 30 digits',
        '{"customerId":"cust-1","channel":"email","summary":"x","orderValue":{"amount":123456789012345678901234567890,"currency":"GBP"}}',
      ],
      ['an amount of -1e-7', '{"customerId":"cust-1","channel":"email","summary":"x","orderValue":{"amount":-1e-7,"currency":"GBP"}}'],
      ['unicode ids and a lone surrogate', json({ customerId: '客户-😀', channel: 'émail', summary: '\u202Eevil\ud800' })],
      ['NUL and control characters in an id', json({ customerId: 'cust\u0000\u0007-1', channel: 'email', summary: 'x' })],
      ['a __proto__ key', '{"customerId":"cust-1","channel":"email","summary":"x","__proto__":{"polluted":true}}'],
      ['a constructor.prototype key', '{"customerId":"cust-1","channel":"email","constructor":{"prototype":{"polluted":true}}}'],
      ['Object.prototype member names', '{"constructor":1,"toString":"x","hasOwnProperty":1,"valueOf":{},"summary":"x"}'],
      ['operator injection', '{"customerId":{"$ne":null},"channel":["email"],"summary":true}'],
      ['a thousand unknown keys', thousandKeys],
      ['a 100 000-character summary', json({ ...validComplaint, summary: 'ü'.repeat(100_000) })],
      ['an impossible date', json({ ...validComplaint, receivedAt: '2026-02-30T25:61:00Z' })],
      ['a date in the year 9999', json({ ...validComplaint, receivedAt: '9999-12-31T23:59:59Z' })],
      ['invalid UTF-8 bytes', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
      ['a top-level [{}]', '[{}]'],
    ];

    const goodwillGarbage: Array<[string, string | Uint8Array]> = [
      ['objects nested 10 000 deep', `{"kind":"coupon","amount":100,"currency":"GBP","description":${nested(10_000, '"x"')}}`],
      ['arrays nested 10 000 deep', `{"kind":${arrays(10_000)},"amount":100,"currency":"GBP"}`],
      ['an amount of 1e400', '{"kind":"coupon","amount":1e400,"currency":"GBP"}'],
      ['an amount beyond 2^53', '{"kind":"coupon","amount":9007199254740993,"currency":"GBP"}'],
      ['a negative amount', '{"kind":"coupon","amount":-500,"currency":"GBP"}'],
      ['a string amount', '{"kind":"coupon","amount":"500","currency":"GBP"}'],
      ['an emoji currency', json({ kind: 'coupon', amount: 500, currency: '💷' })],
      ['a __proto__ kind', '{"kind":"__proto__","amount":500,"currency":"GBP"}'],
      ['a __proto__ key', '{"kind":"coupon","amount":500,"currency":"GBP","__proto__":{"polluted":true}}'],
      ['a constructor.prototype key', '{"kind":"coupon","amount":500,"currency":"GBP","constructor":{"prototype":{"polluted":true}}}'],
      ['Object.prototype member names and a zero amount', '{"kind":"coupon","amount":0,"currency":"GBP","toString":"x","constructor":1}'],
      ['a path as offerId', json({ offerId: '../../etc/passwd', kind: 'coupon', amount: 500, currency: 'GBP' })],
      ['a string boolean', json({ kind: 'coupon', amount: 500, currency: 'GBP', withoutAdmission: 'yes' })],
      ['a thousand unknown keys', thousandKeys],
      ['invalid UTF-8 bytes', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
      ['a top-level number', '500'],
    ];

    async function send(path: string, body: string | Uint8Array) {
      const response = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...agent }, body });
      const text = await response.text();
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
    }

    /** A 4xx problem; on failure the message shows what the server answered instead. */
    function expectClientProblem(response: { status: number; contentType: string; text: string }): void {
      const answer = `${response.status} ${response.contentType}: ${response.text.slice(0, 200)}`;
      expect({ answer, isClientError: response.status >= 400 && response.status < 500 }).toEqual({ answer, isClientError: true });
      expect(response.contentType).toMatch(/^application\/problem\+json/);
    }

    afterAll(() => {
      // The server runs in this process: a prototype-pollution key that got through would show here.
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });

    it.each(caseGarbage)('POST /cases with %s: a 4xx problem, nothing appended', async (_, body) => {
      await expectNothingAppendedDuring(server, async () => {
        expectClientProblem(await send('/cases', body));
      });
    });

    describe('POST /cases/:caseId/goodwill', () => {
      let caseId: string;
      beforeAll(async () => {
        ({ caseId } = await openCase(server, { ...validComplaint, orderValue: { amount: 100_000, currency: 'GBP' } }));
      });

      it.each(goodwillGarbage)('with %s: a 4xx problem, nothing appended', async (_, body) => {
        await expectCaseUnchanged(caseId, async () => {
          expectClientProblem(await send(`/cases/${caseId}/goodwill`, body));
        });
      });
    });
  });
});
