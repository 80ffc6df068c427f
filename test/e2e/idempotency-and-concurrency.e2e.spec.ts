import { ApiResponse } from '../support/test-server';
import {
  agent,
  contact,
  eventsOf,
  expectNothingAppendedDuring,
  expectProblem,
  openCase,
  succeed,
  supervisor,
  validAssessment,
  validComplaint,
  withTestServer,
} from './e2e-helpers';

/**
 * Retries and races, as frontends produce them: a retried request (same Idempotency-Key) gets the
 * first answer and appends nothing, however many copies race; different commands on one case all
 * commit unless a rule or the client's own If-Match refuses them.
 */
describe('idempotency and concurrency over HTTP', () => {
  const server = withTestServer();

  /** What a client can observe of an answer: status, body and ETag. */
  const observed = (response: ApiResponse) => ({ status: response.status, etag: response.headers.get('etag'), body: response.body });
  const key = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;

  describe('a retry with the same Idempotency-Key', () => {
    it('POST /cases: returns the same 201, caseId and ETag, and opens no second case', async () => {
      const idempotencyKey = key('open');
      const first = await server.post('/cases', validComplaint, { ...agent, 'Idempotency-Key': idempotencyKey });
      expect(first.status).toBe(201);
      expect(first.headers.get('etag')).toBe('"0"');

      const retry = await expectNothingAppendedDuring(server, () =>
        server.post('/cases', validComplaint, { ...agent, 'Idempotency-Key': idempotencyKey }),
      );
      expect(observed(retry)).toEqual(observed(first));
      expect(first.headers.get('idempotency-key')).toBe(idempotencyKey);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(retry.headers.get('idempotency-key')).toBe(idempotencyKey);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      const events = await eventsOf(server, first.body.caseId);
      expect(events.map((event) => event.type)).toEqual(['ComplaintReceived']);
      expect(events[0].metadata.commandId).toBe(idempotencyKey);
    });

    it('a case action: returns the original answer even after the case has moved on', async () => {
      const { caseId } = await openCase(server);
      const idempotencyKey = key('ack');
      const body = { channel: 'email', message: 'We have your complaint.' };
      const first = await succeed(server, caseId, 'acknowledge', body, { ...agent, 'Idempotency-Key': idempotencyKey });
      expect(observed(first)).toMatchObject({ status: 200, etag: '"1"', body: { caseId, revision: 1 } });

      const retry = await server.post(`/cases/${caseId}/acknowledge`, body, { ...agent, 'Idempotency-Key': idempotencyKey });
      expect(observed(retry)).toEqual(observed(first));

      await succeed(server, caseId, 'log-contact', contact('Customer called back'));
      const lateRetry = await expectNothingAppendedDuring(server, () =>
        server.post(`/cases/${caseId}/acknowledge`, body, { ...agent, 'Idempotency-Key': idempotencyKey }),
      );
      expect(observed(lateRetry)).toEqual(observed(first));
      expect((await eventsOf(server, caseId)).map((event) => event.type)).toEqual([
        'ComplaintReceived',
        'ComplaintAcknowledged',
        'CustomerContactLogged',
      ]);
    });

    it('goodwill: returns the same offerId, including for an offer that produced two events', async () => {
      const { caseId } = await openCase(server);
      for (const [amount, expectedTypes] of [
        [500, ['GoodwillOffered']],
        [20_000, ['GoodwillOffered', 'GoodwillApprovalRequested']],
      ] as const) {
        const idempotencyKey = key('offer');
        const body = { kind: 'credit', amount, currency: 'GBP' };
        const before = (await eventsOf(server, caseId)).length;
        const first = await succeed(server, caseId, 'goodwill', body, { ...agent, 'Idempotency-Key': idempotencyKey });
        expect(first.body.offerId).toEqual(expect.any(String));
        const retry = await expectNothingAppendedDuring(server, () =>
          server.post(`/cases/${caseId}/goodwill`, body, { ...agent, 'Idempotency-Key': idempotencyKey }),
        );
        expect(observed(retry)).toEqual(observed(first));

        const events = (await eventsOf(server, caseId)).slice(before);
        expect(events.map((event) => event.type)).toEqual(expectedTypes);
        expect(first.body.revision).toBe(events[events.length - 1].revision);
        expect(events.every((event) => event.data['offerId'] === first.body.offerId)).toBe(true);
      }
    });

    it('a conditional command: the retry gets the original answer, not a stale-revision 409', async () => {
      const { caseId } = await openCase(server);
      const idempotencyKey = key('conditional');
      const headers = { ...agent, 'Idempotency-Key': idempotencyKey, 'If-Match': '"0"' };
      const first = await succeed(server, caseId, 'assign', { agentId: 'agent-7' }, headers);
      const retry = await server.post(`/cases/${caseId}/assign`, { agentId: 'agent-7' }, headers);
      expect(observed(retry)).toEqual(observed(first));
      expect(await eventsOf(server, caseId)).toHaveLength(2);
    });
  });

  describe('ten concurrent copies of one request (one Idempotency-Key)', () => {
    it('POST /cases: one case with one event, ten identical answers', async () => {
      const idempotencyKey = key('open-race');
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => server.post('/cases', validComplaint, { ...agent, 'Idempotency-Key': idempotencyKey })),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
      expect(new Set(responses.map((response) => JSON.stringify(observed(response)))).size).toBe(1);
      expect(await eventsOf(server, responses[0].body.caseId)).toHaveLength(1);
    });

    it('a goodwill offer over the limit: one offer (two events), ten identical answers', async () => {
      const { caseId } = await openCase(server);
      const idempotencyKey = key('offer-race');
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          server.post(
            `/cases/${caseId}/goodwill`,
            { kind: 'credit', amount: 9_999, currency: 'GBP' },
            { ...agent, 'Idempotency-Key': idempotencyKey },
          ),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
      expect(new Set(responses.map((response) => JSON.stringify(observed(response)))).size).toBe(1);
      expect(responses[0].body).toMatchObject({ caseId, revision: 2, offerId: expect.any(String) });
      const events = await eventsOf(server, caseId);
      expect(events.map((event) => event.type)).toEqual(['ComplaintReceived', 'GoodwillOffered', 'GoodwillApprovalRequested']);
    });

    it('a command a rule allows only once (resolve): one resolution, ten identical 200s, no 409', async () => {
      const { caseId } = await openCase(server);
      await succeed(server, caseId, 'assess', validAssessment);
      const idempotencyKey = key('resolve-race');
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          server.post(
            `/cases/${caseId}/resolve`,
            { resolution: 'Refunded', outcome: 'upheld' },
            { ...agent, 'Idempotency-Key': idempotencyKey },
          ),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
      expect(new Set(responses.map((response) => JSON.stringify(observed(response)))).size).toBe(1);
      expect((await eventsOf(server, caseId)).map((event) => event.type)).toEqual([
        'ComplaintReceived',
        'ComplaintAssessed',
        'ComplaintResolved',
      ]);
    });
  });

  describe('an Idempotency-Key reused', () => {
    it('for a different action on the same case: 422 idempotency-key-reused, nothing appended', async () => {
      const { caseId } = await openCase(server);
      const idempotencyKey = key('reused');
      await succeed(
        server,
        caseId,
        'acknowledge',
        { channel: 'email', message: 'Thanks' },
        { ...agent, 'Idempotency-Key': idempotencyKey },
      );
      const before = await eventsOf(server, caseId);
      const reused = await expectNothingAppendedDuring(server, () =>
        server.post(`/cases/${caseId}/log-contact`, contact('Called'), { ...agent, 'Idempotency-Key': idempotencyKey }),
      );
      expectProblem(reused, 422, `/cases/${caseId}/log-contact`);
      expect(reused.body.type).toMatch(/idempotency-key-reused$/);
      expect(reused.body.detail).toContain(idempotencyKey);
      expect(await eventsOf(server, caseId)).toEqual(before);
    });

    it("on another case's route: 422, and the second case is left alone", async () => {
      const first = await openCase(server);
      const second = await openCase(server);
      const idempotencyKey = key('shared');
      const a = await succeed(server, first.caseId, 'log-contact', contact('About case A'), {
        ...agent,
        'Idempotency-Key': idempotencyKey,
      });
      expect(a.body).toMatchObject({ caseId: first.caseId, revision: 1 });
      const reused = await expectNothingAppendedDuring(server, () =>
        server.post(`/cases/${second.caseId}/log-contact`, contact('About case A'), { ...agent, 'Idempotency-Key': idempotencyKey }),
      );
      expectProblem(reused, 422, `/cases/${second.caseId}/log-contact`);
      expect(reused.body.detail).toContain(`on ${first.caseId}`);
      expect((await eventsOf(server, second.caseId)).map((event) => event.type)).toEqual(['ComplaintReceived']);
    });

    it('with another body on POST /cases: 422, and no complaint is silently dropped into the first case', async () => {
      const idempotencyKey = key('open-twice');
      const first = await server.post('/cases', validComplaint, { ...agent, 'Idempotency-Key': idempotencyKey });
      expect(first.status).toBe(201);
      const other = await expectNothingAppendedDuring(server, () =>
        server.post('/cases', { ...validComplaint, summary: 'A different complaint' }, { ...agent, 'Idempotency-Key': idempotencyKey }),
      );
      expectProblem(other, 422, '/cases');
      expect(other.body.type).toMatch(/\/problems\/idempotency-key-reused$/);
      expect(other.body.detail).toContain('POST /cases');
    });

    it('with the same body in another key order: the same request, replayed', async () => {
      const idempotencyKey = key('reordered');
      const body = { customerId: 'cust-42', channel: 'email', summary: 'Order matters not' };
      const first = await server.post('/cases', body, { ...agent, 'Idempotency-Key': idempotencyKey });
      const reordered = await server.post(
        '/cases',
        { summary: body.summary, channel: body.channel, customerId: body.customerId },
        { ...agent, 'Idempotency-Key': idempotencyKey },
      );
      expect(reordered).toMatchObject({ status: 201, body: first.body });
      expect(reordered.headers.get('idempotent-replayed')).toBe('true');
    });
  });

  describe('If-Match', () => {
    it('appends at the matching revision and answers with the next ETag', async () => {
      const { caseId } = await openCase(server);
      const first = await succeed(server, caseId, 'log-contact', contact('First call'), { ...agent, 'If-Match': '"0"' });
      expect(first.headers.get('etag')).toBe('"1"');
      const second = await succeed(server, caseId, 'log-contact', contact('Second call'), {
        ...agent,
        'If-Match': first.headers.get('etag')!,
      });
      expect(second.headers.get('etag')).toBe('"2"');
      expect(second.body.revision).toBe(2);
      expect((await eventsOf(server, caseId)).slice(1).map((event) => event.data['summary'])).toEqual(['First call', 'Second call']);
    });

    it('five concurrent commands at the same revision: exactly one commits, the rest get stale-revision', async () => {
      const { caseId } = await openCase(server);
      const responses = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          server.post(`/cases/${caseId}/log-contact`, contact(`Racer ${i}`), { ...agent, 'If-Match': '"0"' }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409]);
      for (const refused of responses.filter((response) => response.status === 409)) {
        expectProblem(refused, 409);
        expect(refused.body.type).toMatch(/stale-revision$/);
      }
      const winner = responses.find((response) => response.status === 200)!;
      expect(winner.headers.get('etag')).toBe('"1"');
      expect(await eventsOf(server, caseId)).toHaveLength(2);
    });
  });

  describe('concurrent commands without If-Match', () => {
    it('twenty different contacts on one case all commit: 21 events, revisions 0..20, no client sees a conflict', async () => {
      const { caseId } = await openCase(server);
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => server.post(`/cases/${caseId}/log-contact`, contact(`Call ${i}`))),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
      const revisions = responses.map((response) => response.body.revision).sort((x, y) => x - y);
      expect(revisions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      for (const response of responses) expect(response.headers.get('etag')).toBe(`"${response.body.revision}"`);

      const events = await eventsOf(server, caseId);
      expect(events.map((event) => event.revision)).toEqual(Array.from({ length: 21 }, (_, i) => i));
      expect(new Set(events.map((event) => event.position)).size).toBe(21);
      expect(
        events
          .slice(1)
          .map((event) => event.data['summary'])
          .sort(),
      ).toEqual(Array.from({ length: 20 }, (_, i) => `Call ${i}`).sort());
      for (const response of responses) {
        const event = events[response.body.revision];
        expect(event.position).toBe(response.body.position);
      }
    });

    it('five concurrent resolutions: one commits, the rest are refused by the rule case-not-open', async () => {
      const { caseId } = await openCase(server);
      await succeed(server, caseId, 'assess', validAssessment);
      const responses = await Promise.all(
        Array.from({ length: 5 }, (_, i) => server.post(`/cases/${caseId}/resolve`, { resolution: `Resolution ${i}`, outcome: 'upheld' })),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409, 409, 409, 409]);
      for (const refused of responses.filter((response) => response.status === 409)) {
        expectProblem(refused, 409);
        expect(refused.body.rule).toBe('case-not-open');
      }
      const events = await eventsOf(server, caseId);
      expect(events.filter((event) => event.type === 'ComplaintResolved')).toHaveLength(1);
      expect(events).toHaveLength(3);
    });

    it('five supervisors approving one offer at once: one approval, the rest refused', async () => {
      const { caseId } = await openCase(server);
      const offer = await succeed(server, caseId, 'goodwill', { kind: 'credit', amount: 20_000, currency: 'GBP' });
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => server.post(`/cases/${caseId}/goodwill/${offer.body.offerId}/approve`, {}, supervisor)),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([200, 409, 409, 409, 409]);
      expect(responses.filter((response) => response.status === 409).map((response) => response.body.rule)).toEqual(
        Array(4).fill('offer-not-awaiting-approval'),
      );
      expect((await eventsOf(server, caseId)).filter((event) => event.type === 'GoodwillApproved')).toHaveLength(1);
    });
  });
});
