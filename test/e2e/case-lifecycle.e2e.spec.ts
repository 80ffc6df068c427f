import { withTestServer } from './e2e-helpers';

const supervisor = { 'X-Actor-Id': 'sup-1', 'X-Actor-Role': 'supervisor' };
const customer = { 'X-Actor-Id': 'cust-42', 'X-Actor-Role': 'customer' };
const agent = { 'X-Actor-Id': 'agent-7', 'X-Actor-Role': 'agent' };
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe('a complaint case over HTTP, from receipt to closure', () => {
  const server = withTestServer();

  /** Posts a command that must succeed and checks the response contract. */
  async function command(caseId: string, action: string, body: unknown, headers: Record<string, string> = agent) {
    const response = await server.post(`/cases/${caseId}/${action}`, body, headers);
    expect({ action, status: response.status, body: response.body }).toMatchObject({ status: 200, body: { caseId } });
    expect(response.headers.get('etag')).toBe(`"${response.body.revision}"`);
    return response.body;
  }

  async function eventTypes(caseId: string): Promise<string[]> {
    return (await server.get(`/cases/${caseId}/events`)).body.map((event: { type: string }) => event.type);
  }

  it('walks a justified, systemic complaint: apology, goodwill over the limit, system fix, resolution, follow-up, close', async () => {
    const received = await server.post(
      '/cases',
      {
        customerId: 'cust-42',
        channel: 'email',
        summary: 'Parcel arrived two weeks late',
        details: 'Ordered a birthday present; it came after the birthday.',
        remedySought: 'A refund of the delivery charge',
        orderRef: 'ORD-1001',
        orderValue: { amount: 12999, currency: 'GBP' },
        regime: 'FCA',
        receivedAt: new Date(Date.now() - 3_600_000).toISOString(),
      },
      agent,
    );
    expect(received.status).toBe(201);
    expect(received.headers.get('etag')).toBe('"0"');
    expect(received.body).toMatchObject({ revision: 0, position: expect.any(Number) });
    const { caseId } = received.body;

    await command(caseId, 'acknowledge', { channel: 'email', message: 'We are on it and will reply within 3 days.' });
    await command(caseId, 'log-contact', {
      direction: 'outbound',
      channel: 'phone',
      summary: 'Called the customer; heard the whole story.',
    });
    await command(caseId, 'assign', { agentId: 'agent-7', team: 'deliveries' });
    await command(caseId, 'escalate', { reason: 'Third late delivery this month in the region' });
    await command(caseId, 'assess', {
      category: 'delivery',
      severity: 'high',
      justified: 'yes',
      rootCause: 'systemic',
      findings: 'Courier cut-off misconfigured for the region.',
    });
    await command(caseId, 'apologize', { channel: 'email', message: 'We are sorry: we let you down.' });
    const plan = await command(caseId, 'plan', { actions: ['Refund the order', 'Fix the courier cut-off'], dueBy: inDays(7) });
    expect(plan.planId).toEqual(expect.any(String));
    await command(caseId, 'plan-response', { response: 'accepted', comment: 'Sounds fair' }, customer);

    const offer = await command(caseId, 'goodwill', { kind: 'full-refund', amount: 12999, currency: 'GBP' });
    expect(offer.offerId).toEqual(expect.any(String));
    const overLimit = await server.post(`/cases/${caseId}/goodwill/${offer.offerId}/response`, { response: 'accepted' }, customer);
    expect(overLimit.status).toBe(409);
    expect(overLimit.body.rule).toBe('offer-not-approved');
    await command(caseId, `goodwill/${offer.offerId}/approve`, { note: 'Justified, systemic' }, supervisor);
    await command(caseId, `goodwill/${offer.offerId}/response`, { response: 'accepted' }, customer);
    await command(caseId, `goodwill/${offer.offerId}/fulfil`, { reference: 'RFND-778' });

    const fix = await command(caseId, 'system-fix', {
      description: 'Courier cut-off corrected',
      procedureChange: 'Cut-off times are now checked weekly',
      effectiveFrom: inDays(0),
      customerNotified: true,
    });
    expect(fix.fixId).toEqual(expect.any(String));
    await command(caseId, 'resolve', { resolution: 'Refunded in full and fixed the cause', outcome: 'upheld' });
    await command(caseId, 'follow-up', { satisfied: true, csat: 5, nps: 9, comment: 'Impressed' }, customer);
    const closed = await command(caseId, 'close', {});

    expect(closed.revision).toBe(17);
    expect(await eventTypes(caseId)).toEqual([
      'ComplaintReceived',
      'ComplaintAcknowledged',
      'CustomerContactLogged',
      'CaseAssigned',
      'CaseEscalated',
      'ComplaintAssessed',
      'ApologyIssued',
      'ResolutionPlanCommunicated',
      'ResolutionPlanAccepted',
      'GoodwillOffered',
      'GoodwillApprovalRequested',
      'GoodwillApproved',
      'GoodwillAccepted',
      'GoodwillFulfilled',
      'SystemFixApplied',
      'ComplaintResolved',
      'FollowUpCompleted',
      'CaseClosed',
    ]);
    const events = (await server.get(`/cases/${caseId}/events`)).body;
    expect(events[11]).toMatchObject({
      type: 'GoodwillApproved',
      revision: 11,
      data: { offerId: offer.offerId },
      metadata: {
        actor: { id: 'sup-1', role: 'supervisor' },
        commandType: 'ApproveGoodwill',
        correlationId: expect.any(String),
        causationId: expect.any(String),
        commandId: expect.any(String),
        occurredAt: expect.any(String),
        schemaVersion: 1,
      },
    });
    expect(events[17].data).toMatchObject({ reason: 'follow-up-completed' });
    const afterClose = await server.post(`/cases/${caseId}/apologize`, { channel: 'email', message: 'Sorry again' });
    expect(afterClose.body).toMatchObject({ status: 409, rule: 'case-closed' });
  });

  it('walks an unjustified complaint: explanation, a declined plan, a goodwill gesture within the limit, rejection, closure', async () => {
    const {
      body: { caseId },
    } = await server.post('/cases', { customerId: 'cust-77', channel: 'phone', summary: 'Charged twice' }, agent);
    await command(caseId, 'acknowledge', { channel: 'phone', message: 'Thanks for telling us.' });
    await command(caseId, 'assess', {
      category: 'billing',
      severity: 'low',
      justified: 'no',
      rootCause: 'customer-error',
      findings: 'Two separate orders were placed.',
    });
    await command(caseId, 'explain', {
      channel: 'email',
      message: 'Thank you for raising this; there were two orders, here are both receipts.',
    });
    await command(caseId, 'plan', { actions: ['Send both receipts'], dueBy: inDays(2) });
    await command(caseId, 'plan-response', { response: 'rejected', comment: 'I only ordered once' }, customer);
    const gesture = await command(caseId, 'goodwill', { kind: 'coupon', amount: 500, currency: 'GBP', description: '£5 off next order' });
    await command(caseId, `goodwill/${gesture.offerId}/response`, { response: 'declined' }, customer);
    const upheld = await server.post(`/cases/${caseId}/resolve`, { resolution: 'Refund', outcome: 'upheld' });
    expect(upheld.body).toMatchObject({ status: 409, rule: 'outcome-contradicts-assessment' });
    await command(caseId, 'resolve', { resolution: 'Both orders were genuine', outcome: 'rejected' });
    await command(caseId, 'follow-up', { satisfied: false, csat: 2 }, customer);
    await command(caseId, 'close', {});

    expect(await eventTypes(caseId)).toEqual([
      'ComplaintReceived',
      'ComplaintAcknowledged',
      'ComplaintAssessed',
      'ExplanationGiven',
      'ResolutionPlanCommunicated',
      'ResolutionPlanRejected',
      'GoodwillOffered',
      'GoodwillDeclined',
      'ComplaintResolved',
      'FollowUpCompleted',
      'CaseClosed',
    ]);
  });

  it('reopens a case the customer is not satisfied with, and resolves it again', async () => {
    const {
      body: { caseId },
    } = await server.post('/cases', { customerId: 'cust-9', channel: 'chat', summary: 'Broken on arrival' });
    await command(caseId, 'assess', {
      category: 'product',
      severity: 'medium',
      justified: 'yes',
      rootCause: 'one-off',
      findings: 'Damaged in transit',
    });
    await command(caseId, 'apologize', { channel: 'chat', message: 'We are sorry it arrived broken.' });
    await command(caseId, 'resolve', { resolution: 'Replacement sent', outcome: 'upheld' });
    await command(caseId, 'follow-up', { satisfied: false, csat: 1, comment: 'Replacement broken too' }, customer);
    await command(caseId, 'reopen', { reason: 'Replacement also damaged' });
    await command(caseId, 'resolve', { resolution: 'Refunded instead', outcome: 'upheld' });
    await command(caseId, 'follow-up', { satisfied: true, csat: 4 }, customer);
    await command(caseId, 'close', {});
    expect((await eventTypes(caseId)).slice(-5)).toEqual([
      'FollowUpCompleted',
      'CaseReopened',
      'ComplaintResolved',
      'FollowUpCompleted',
      'CaseClosed',
    ]);
  });

  it('lets a customer withdraw, after which the case closes as withdrawn', async () => {
    const {
      body: { caseId },
    } = await server.post('/cases', { customerId: 'cust-5', channel: 'web', summary: 'Wrong colour' });
    await command(caseId, 'withdraw', undefined, customer);
    const closed = await command(caseId, 'close', undefined);
    const events = (await server.get(`/cases/${caseId}/events`)).body;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['ComplaintReceived', 'ComplaintWithdrawn', 'CaseClosed']);
    expect(events[2].data.reason).toBe('withdrawn');
    expect(closed.revision).toBe(2);
  });
});
