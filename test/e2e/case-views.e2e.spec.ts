import { act, customer, listAll, read, readCase, receive, walkFullLifecycle } from '../support/case-scenarios';
import { shift, SteppingClock } from '../support/stepping-clock';
import { TestServer } from '../support/test-server';
import { eventsOf, expectFieldErrors, expectProblem, withTestServer } from './e2e-helpers';

/** Monday 2 March 2026, 09:00 UTC. Every server here runs on a clock that moves 1 s per reading, so instants are distinct. */
const START = '2026-03-02T09:00:00.000Z';
/** The deadline clock of these servers ticks once at start and then not for a day: only commands change cases here. */
const QUIET_DEADLINE_CLOCK = { DEADLINE_CHECK_INTERVAL_MS: '86400000' };

/** The describe's server (see withTestServer), on a clock of its own. */
function withSteppingServer(): { server: TestServer; clock: SteppingClock } {
  const clock = new SteppingClock(START, { seconds: 1 });
  return { server: withTestServer({ clock, env: QUIET_DEADLINE_CLOCK }), clock };
}

describe('GET /cases/:caseId: the case as a frontend shows it', () => {
  const { server, clock } = withSteppingServer();

  it('shows every field of a case walked from receipt through reopen to closure, with the revision as ETag', async () => {
    const walked = await walkFullLifecycle(server, () => clock.peek(), 'cust-life');
    const { caseId, last, offerIds, fixId, planId } = walked;
    const response = await readCase(server, caseId, last.position);
    const view = response.body;
    const events = await eventsOf(server, caseId);
    const at = (type: string, nth = 0): string => events.filter((event) => event.type === type)[nth].data['at'] as string;
    const receivedAt = events[0].data['receivedAt'] as string;

    expect(response.headers.get('etag')).toBe(`"${last.revision}"`);
    expect(view).toMatchObject({ revision: last.revision, position: last.position });
    expect(last.revision).toBe(events.length - 1);

    expect(view).toMatchObject({
      caseId,
      customerId: 'cust-life',
      status: 'closed',
      channel: 'email',
      regime: 'default',
      summary: 'Parcel arrived two weeks late',
      details: 'Ordered a birthday present; it came after the birthday.',
      remedySought: 'A refund of the order',
      orderRef: 'ORD-1001',
      orderValue: { amount: 12_999, currency: 'GBP' },
      category: 'delivery',
      severity: 'high',
      justified: 'yes',
      rootCause: 'systemic',
      findings: 'Courier cut-off misconfigured.',
      assignee: { agentId: 'agent-7', team: 'deliveries' },
      escalationLevel: 1,
      reopenCount: 1,
      breached: false,
    });
    expect(view.contacts).toEqual([
      {
        direction: 'outbound',
        channel: 'phone',
        summary: 'Called the customer; heard the whole story.',
        at: at('CustomerContactLogged'),
        by: { id: 'agent-7', role: 'agent' },
      },
    ]);
    expect(view.apologies).toEqual([
      { channel: 'email', message: 'We are sorry: we let you down.', at: at('ApologyIssued'), by: { id: 'agent-7', role: 'agent' } },
    ]);
    expect(view.explanations).toEqual([]);
    expect(view.plan).toEqual({
      planId,
      actions: ['Refund the order', 'Fix the courier cut-off'],
      dueBy: events.find((e) => e.type === 'ResolutionPlanCommunicated')!.data['dueBy'],
      response: 'accepted',
      comment: 'Sounds fair',
      communicatedAt: at('ResolutionPlanCommunicated'),
    });
    expect(view.goodwill).toEqual({
      offers: [
        {
          offerId: offerIds.refund,
          kind: 'full-refund',
          amount: 12_999,
          currency: 'GBP',
          withoutAdmission: true,
          status: 'fulfilled',
          needsApproval: true,
          offeredBy: { id: 'agent-7', role: 'agent' },
          offeredAt: at('GoodwillOffered'),
          decidedBy: { id: 'sup-1', role: 'supervisor' },
          fulfilledAt: at('GoodwillFulfilled'),
          reference: 'RFND-778',
        },
        {
          offerId: offerIds.coupon,
          kind: 'coupon',
          amount: 500,
          currency: 'EUR',
          withoutAdmission: true,
          description: '€5 off',
          status: 'declined',
          needsApproval: false,
          offeredBy: { id: 'agent-7', role: 'agent' },
          offeredAt: at('GoodwillOffered', 1),
        },
      ],
      granted: [{ amount: 12_999, currency: 'GBP' }],
    });
    expect(view.systemFixes).toEqual([
      {
        fixId,
        description: 'Courier cut-off corrected',
        procedureChange: 'Cut-off times are checked weekly',
        effectiveFrom: events.find((e) => e.type === 'SystemFixApplied')!.data['effectiveFrom'],
        customerNotified: true,
        at: at('SystemFixApplied'),
      },
    ]);
    expect(view.resolution).toEqual({ resolution: 'Refunded and sent a replacement', outcome: 'upheld', at: at('ComplaintResolved', 1) });
    expect(view.followUp).toEqual({ satisfied: true, csat: 5, nps: 9, comment: 'Impressed', at: at('FollowUpCompleted', 1) });
    // The reopen kept what came before it: the first resolution, the unsatisfied follow-up, and why the case was escalated.
    expect(view.resolutions).toEqual([
      { resolution: 'Refunded in full', outcome: 'upheld', at: at('ComplaintResolved'), current: false },
      { resolution: 'Refunded and sent a replacement', outcome: 'upheld', at: at('ComplaintResolved', 1), current: true },
    ]);
    expect(view.followUps).toEqual([
      { satisfied: false, csat: 2, comment: 'Still no present', at: at('FollowUpCompleted'), current: false },
      { satisfied: true, csat: 5, nps: 9, comment: 'Impressed', at: at('FollowUpCompleted', 1), current: true },
    ]);
    expect(view.escalations).toEqual([
      { level: 1, reason: 'Third late delivery this month', at: at('CaseEscalated'), by: { id: 'agent-7', role: 'agent' } },
    ]);
    expect(view.reopenings).toEqual([
      { reason: 'The customer wants the present too', at: at('CaseReopened'), by: expect.objectContaining({ id: 'cust-42' }) },
    ]);
    expect(view.plans).toEqual([expect.objectContaining({ planId, response: 'accepted', comment: 'Sounds fair', current: true })]);
    expect(view.close).toEqual({ reason: 'follow-up-completed' });
    expect(view.timestamps).toEqual({
      receivedAt,
      acknowledgedAt: at('ComplaintAcknowledged'),
      firstContactAt: at('CustomerContactLogged'),
      firstResponseAt: at('ApologyIssued'),
      resolvedAt: at('ComplaintResolved', 1),
      closedAt: at('CaseClosed'),
      updatedAt: at('CaseClosed'),
    });
    const policyVersion = 'default@2026-01';
    expect(view.deadlines).toEqual([
      {
        kind: 'acknowledgement',
        dueAt: shift(receivedAt, { hours: 24 }),
        policyVersion,
        status: 'met',
        answeredAt: at('ComplaintAcknowledged'),
      },
      { kind: 'final-response', dueAt: shift(receivedAt, { days: 14 }), policyVersion, status: 'met', answeredAt: at('ComplaintResolved') },
      {
        kind: 'follow-up',
        dueAt: shift(at('ComplaintResolved'), { days: 7 }),
        policyVersion,
        status: 'met',
        answeredAt: at('FollowUpCompleted'),
      },
      {
        kind: 'final-response',
        dueAt: shift(at('CaseReopened'), { days: 14 }),
        policyVersion,
        status: 'met',
        answeredAt: at('ComplaintResolved', 1),
      },
      {
        kind: 'follow-up',
        dueAt: shift(at('ComplaintResolved', 1), { days: 7 }),
        policyVersion,
        status: 'met',
        answeredAt: at('FollowUpCompleted', 1),
      },
    ]);
  });

  it('answers every command with a revision that the next read shows as its ETag', async () => {
    const opened = await receive(server, { customerId: 'cust-etag', channel: 'phone', summary: 'Rude driver' });
    const steps = [
      () => act(server, opened.caseId, 'acknowledge', { channel: 'phone', message: 'Sorry to hear that' }),
      () => act(server, opened.caseId, 'assign', { agentId: 'agent-9' }),
      () =>
        act(server, opened.caseId, 'assess', {
          category: 'service',
          severity: 'low',
          justified: 'partly',
          rootCause: 'third-party',
          findings: 'Partner',
        }),
    ];
    const seen = [];
    let result = opened;
    for (let index = 0; index <= steps.length; index++) {
      const response = await readCase(server, opened.caseId, result.position);
      seen.push({ status: response.body.status, revision: response.body.revision, etag: response.headers.get('etag') });
      if (index < steps.length) result = await steps[index]();
    }
    const expected = [
      { status: 'received', revision: 0 },
      { status: 'acknowledged', revision: 1 },
      { status: 'acknowledged', revision: 2 },
      { status: 'in-progress', revision: 3 },
    ];
    expect(seen).toEqual(expected.map((e) => ({ ...e, etag: `"${e.revision}"` })));
  });

  it('answers 404 with a problem for a case that does not exist', async () => {
    const response = await server.get('/cases/no-such-case');
    expectProblem(response, 404, '/cases/no-such-case');
    const waited = await server.get('/cases/no-such-case?minPosition=1');
    expectProblem(waited, 404);
  });

  it('answers 400 naming caseId for an id that is not one', async () => {
    expectFieldErrors(await server.get('/cases/bad%20id'), ['caseId']);
  });
});

describe('GET /cases: filters, sorts, limits and cursors', () => {
  /** The cases by name, with the position after each was set up. */
  const cases: Record<string, string> = {};
  let head = 0;

  const named = (...names: string[]) => names.map((name) => cases[name]);
  const list = async (query: string) => (await read(server, `/cases?${query}`, head)).body;

  const { server, clock } = withSteppingServer();
  beforeAll(async () => {
    const track = <T extends { position: number }>(result: T): T => {
      head = Math.max(head, result.position);
      return result;
    };
    // c1: received 10 Feb, acknowledged weeks late (breached), assessed, assigned → in-progress.
    const c1 = track(await receive(server, { customerId: 'f-alice', channel: 'email', summary: 'c1', receivedAt: '2026-02-10T10:00:00Z' }));
    track(await act(server, c1.caseId, 'acknowledge', { channel: 'email', message: 'Late, sorry' }));
    track(
      await act(server, c1.caseId, 'assess', {
        category: 'delivery',
        severity: 'high',
        justified: 'yes',
        rootCause: 'one-off',
        findings: 'Lost',
      }),
    );
    track(await act(server, c1.caseId, 'assign', { agentId: 'agent-a' }));
    // c2: CFPB (no acknowledgement deadline), received 20 Feb, resolved within its deadlines → resolved.
    const c2 = track(
      await receive(server, { customerId: 'f-alice', channel: 'web', summary: 'c2', regime: 'CFPB', receivedAt: '2026-02-20T10:00:00Z' }),
    );
    track(
      await act(server, c2.caseId, 'assess', {
        category: 'billing',
        severity: 'low',
        justified: 'yes',
        rootCause: 'one-off',
        findings: 'Typo',
      }),
    );
    track(await act(server, c2.caseId, 'assign', { agentId: 'agent-b' }));
    track(await act(server, c2.caseId, 'resolve', { resolution: 'Corrected the bill', outcome: 'upheld' }));
    // c3: received now, acknowledged in time → acknowledged.
    const c3 = track(await receive(server, { customerId: 'f-bob', channel: 'phone', summary: 'c3' }));
    track(await act(server, c3.caseId, 'acknowledge', { channel: 'phone', message: 'Thanks' }));
    // c4: received 25 Feb, withdrawn → withdrawn.
    const c4 = track(await receive(server, { customerId: 'f-bob', channel: 'chat', summary: 'c4', receivedAt: '2026-02-25T00:00:00Z' }));
    track(await act(server, c4.caseId, 'withdraw', { reason: 'Never mind' }, customer));
    // c5: received now → received.
    const c5 = track(await receive(server, { customerId: 'f-carol', channel: 'letter', summary: 'c5' }));
    // c6: received 15 Jan, resolved late (breached), followed up, closed → closed.
    const c6 = track(
      await receive(server, { customerId: 'f-carol', channel: 'social', summary: 'c6', receivedAt: '2026-01-15T08:00:00Z' }),
    );
    track(
      await act(server, c6.caseId, 'assess', {
        category: 'delivery',
        severity: 'critical',
        justified: 'no',
        rootCause: 'customer-error',
        findings: 'Wrong address',
      }),
    );
    track(await act(server, c6.caseId, 'explain', { channel: 'email', message: 'The address given was wrong' }));
    track(await act(server, c6.caseId, 'resolve', { resolution: 'Explained', outcome: 'rejected' }));
    track(await act(server, c6.caseId, 'follow-up', { satisfied: false, csat: 1 }, customer));
    track(await act(server, c6.caseId, 'close', {}));
    Object.assign(cases, { c1: c1.caseId, c2: c2.caseId, c3: c3.caseId, c4: c4.caseId, c5: c5.caseId, c6: c6.caseId });
  });

  it('lists newest received first by default, as case summaries, with nextCursor null on the last page', async () => {
    const page = await list('');
    expect(ids(page.items)).toEqual(named('c5', 'c3', 'c4', 'c2', 'c1', 'c6'));
    expect(page.nextCursor).toBeNull();
    const c6 = page.items.find((item: { caseId: string }) => item.caseId === cases['c6']);
    expect(c6).toEqual({
      caseId: cases['c6'],
      customerId: 'f-carol',
      status: 'closed',
      channel: 'social',
      regime: 'default',
      summary: 'c6',
      category: 'delivery',
      severity: 'critical',
      justified: 'no',
      rootCause: 'customer-error',
      escalationLevel: 0,
      breached: true,
      reopenCount: 0,
      revision: 5,
      outcome: 'rejected',
      satisfied: false,
      csat: 1,
      receivedAt: '2026-01-15T08:00:00.000Z',
      resolvedAt: expect.any(String),
      closedAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const c1 = page.items.find((item: { caseId: string }) => item.caseId === cases['c1']);
    expect(c1).toMatchObject({ assignee: 'agent-a', status: 'in-progress', breached: true });
  });

  it.each([
    ['status=received', ['c5']],
    ['status=acknowledged', ['c3']],
    ['status=in-progress', ['c1']],
    ['status=resolved', ['c2']],
    ['status=closed', ['c6']],
    ['status=withdrawn', ['c4']],
    ['customerId=f-alice', ['c2', 'c1']],
    ['customerId=nobody', []],
    ['category=delivery', ['c1', 'c6']],
    ['assignee=agent-a', ['c1']],
    ['severity=critical', ['c6']],
    ['severity=low', ['c2']],
    ['breached=true', ['c1', 'c6']],
    ['breached=false', ['c5', 'c3', 'c4', 'c2']],
    ['receivedFrom=2026-02-15T00:00:00Z', ['c5', 'c3', 'c4', 'c2']],
    ['receivedTo=2026-02-15T00:00:00Z', ['c1', 'c6']],
    ['receivedFrom=2026-02-01&receivedTo=2026-02-21', ['c2', 'c1']],
    // receivedFrom is inclusive, receivedTo exclusive, and offsets are compared as instants.
    ['receivedFrom=2026-02-20T11:00:00%2B01:00', ['c5', 'c3', 'c4', 'c2']],
    ['receivedTo=2026-02-20T11:00:00%2B01:00', ['c1', 'c6']],
    ['customerId=f-alice&status=resolved', ['c2']],
    ['category=delivery&breached=true&severity=high', ['c1']],
  ])('filters %s', async (query, expected) => {
    const page = await list(query);
    expect(ids(page.items)).toEqual(named(...expected));
    expect(page.nextCursor).toBeNull();
  });

  it('sorts by receivedAt and updatedAt, either way, ties broken by id', async () => {
    const views = await Promise.all(Object.values(cases).map(async (caseId) => (await readCase(server, caseId, head)).body));
    const by = (key: 'receivedAt' | 'updatedAt') =>
      [...views]
        .sort((a, b) => a.timestamps[key].localeCompare(b.timestamps[key]) || a.caseId.localeCompare(b.caseId))
        .map((view) => view.caseId);
    expect(ids((await list('sort=receivedAt')).items)).toEqual(by('receivedAt'));
    expect(ids((await list('sort=-receivedAt')).items)).toEqual(by('receivedAt').reverse());
    expect(ids((await list('sort=updatedAt')).items)).toEqual(by('updatedAt'));
    expect(ids((await list('sort=-updatedAt')).items)).toEqual(by('updatedAt').reverse());
    // The last command was the closure of c6.
    expect(ids((await list('sort=-updatedAt&limit=1')).items)).toEqual(named('c6'));
  });

  it.each([
    ['status=bogus', 'status'],
    ['severity=huge', 'severity'],
    ['breached=yes', 'breached'],
    ['sort=summary', 'sort'],
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=-3', 'limit'],
    ['limit=201', 'limit'],
    ['receivedFrom=yesterday', 'receivedFrom'],
    ['receivedTo=2026-02-30', 'receivedTo'],
    ['customerId=bad%20id', 'customerId'],
    ['assignee=%2Fetc', 'assignee'],
    ['colour=red', 'colour'],
    ['cursor=not-a-cursor', 'cursor'],
    [`cursor=${Buffer.from('{"hello":"world"}').toString('base64url')}`, 'cursor'],
    ['minPosition=soon', 'minPosition'],
  ])('refuses %s with a 400 problem naming %s', async (query, field) => {
    const response = await server.get(`/cases?${query}`);
    expectFieldErrors(response, [field]);
  });

  it('names every invalid filter at once', async () => {
    expectFieldErrors(await server.get('/cases?status=bogus&limit=0&receivedFrom=never'), ['status', 'limit', 'receivedFrom']);
  });

  it('refuses a cursor made for another sort, and a tampered one', async () => {
    const first = await list('sort=receivedAt&limit=2');
    expect(first.nextCursor).toEqual(expect.any(String));
    expectFieldErrors(await server.get(`/cases?sort=-receivedAt&limit=2&cursor=${first.nextCursor}`), ['cursor']);
    expectFieldErrors(await server.get(`/cases?limit=2&cursor=${first.nextCursor}`), ['cursor']);
    expectFieldErrors(await server.get(`/cases?sort=updatedAt&limit=2&cursor=${first.nextCursor}`), ['cursor']);
    const decoded = JSON.parse(Buffer.from(first.nextCursor, 'base64url').toString('utf8'));
    const tampered = Buffer.from(JSON.stringify({ ...decoded, id: 42 })).toString('base64url');
    expectFieldErrors(await server.get(`/cases?sort=receivedAt&limit=2&cursor=${tampered}`), ['cursor']);
    const truncated = first.nextCursor.slice(0, Math.floor(first.nextCursor.length / 2));
    expectFieldErrors(await server.get(`/cases?sort=receivedAt&limit=2&cursor=${truncated}`), ['cursor']);
  });

  describe('GET /customers/:customerId', () => {
    it("lists the customer's cases oldest first, with outcomes and totals", async () => {
      const { body } = await read(server, '/customers/f-carol', head);
      expect(body).toEqual({
        customerId: 'f-carol',
        totals: { cases: 2, open: 1, resolved: 0, closed: 1, withdrawn: 0, satisfied: 0, notSatisfied: 1, reopened: 0 },
        cases: [
          expect.objectContaining({
            caseId: cases['c6'],
            status: 'closed',
            outcome: 'rejected',
            satisfied: false,
            csat: 1,
            breached: true,
          }),
          expect.objectContaining({ caseId: cases['c5'], status: 'received', breached: false }),
        ],
      });
      expect(body.cases[1]).not.toHaveProperty('outcome');
      const alice = (await read(server, '/customers/f-alice', head)).body;
      expect(alice.totals).toEqual({ cases: 2, open: 1, resolved: 1, closed: 0, withdrawn: 0, satisfied: 0, notSatisfied: 0, reopened: 0 });
      expect(alice.cases.map((c: { caseId: string; outcome?: string }) => [c.caseId, c.outcome])).toEqual([
        [cases['c1'], undefined],
        [cases['c2'], 'upheld'],
      ]);
      const bob = (await read(server, '/customers/f-bob', head)).body;
      expect(bob.totals).toEqual({ cases: 2, open: 1, resolved: 0, closed: 0, withdrawn: 1, satisfied: 0, notSatisfied: 0, reopened: 0 });
    });

    it('counts a reopened, satisfied, closed case', async () => {
      const walked = await walkFullLifecycle(server, () => clock.peek(), 'f-dora');
      const { body } = await read(server, '/customers/f-dora', walked.last.position);
      expect(body.totals).toEqual({ cases: 1, open: 0, resolved: 0, closed: 1, withdrawn: 0, satisfied: 1, notSatisfied: 0, reopened: 1 });
      expect(body.cases).toEqual([
        expect.objectContaining({
          caseId: walked.caseId,
          status: 'closed',
          outcome: 'upheld',
          satisfied: true,
          csat: 5,
          reopenCount: 1,
          assignee: 'agent-7',
          escalationLevel: 1,
        }),
      ]);
    });

    it('answers 404 with a problem for a customer with no cases, and 400 for an invalid id', async () => {
      expectProblem(await server.get('/customers/nobody'), 404, '/customers/nobody');
      expectFieldErrors(await server.get('/customers/no%20body'), ['customerId']);
    });
  });
});

describe('GET /cases: limits and cursor paging', () => {
  /** 25 cases of one customer, received two by two at the same instant (sorts need their id tie-break). */
  const paged: string[] = [];
  let head = 0;

  const { server } = withSteppingServer();
  beforeAll(async () => {
    for (let index = 0; index < 25; index++) {
      const receivedAt = shift('2026-02-01T12:00:00.000Z', { hours: Math.floor(index / 2) });
      const opened = await receive(server, { customerId: 'pager', channel: 'web', summary: `paged ${index}`, receivedAt });
      paged.push(opened.caseId);
      head = opened.position;
    }
    // Touch some cases afterwards, so updatedAt order differs from receivedAt order.
    for (const index of [20, 3, 11, 0]) {
      head = (await act(server, paged[index], 'acknowledge', { channel: 'email', message: 'Seen' })).position;
    }
    // 30 more cases of other customers: 55 in all.
    for (let index = 0; index < 30; index++) {
      head = (await receive(server, { customerId: `other-${index % 3}`, channel: 'email', summary: `other ${index}` })).position;
    }
  });

  it('returns 50 cases by default and at most `limit`, up to 200', async () => {
    const byDefault = (await read(server, '/cases', head)).body;
    expect(byDefault.items).toHaveLength(50);
    expect(byDefault.nextCursor).toEqual(expect.any(String));
    const rest = (await read(server, `/cases?cursor=${byDefault.nextCursor}`, head)).body;
    expect(rest.items).toHaveLength(5);
    expect(rest.nextCursor).toBeNull();
    expect(new Set([...ids(byDefault.items), ...ids(rest.items)]).size).toBe(55);
    const all = (await read(server, '/cases?limit=200', head)).body;
    expect(all.items).toHaveLength(55);
    expect(all.nextCursor).toBeNull();
    expect(new Set(ids(all.items)).size).toBe(55);
    expect((await read(server, '/cases?limit=55', head)).body.nextCursor).toBeNull();
    const exact = (await read(server, '/cases?limit=54', head)).body;
    expect(exact.items).toHaveLength(54);
    expect(exact.nextCursor).toEqual(expect.any(String));
    expectFieldErrors(await server.get('/cases?limit=201'), ['limit']);
  });

  it.each(['receivedAt', '-receivedAt', 'updatedAt', '-updatedAt'])(
    'pages through 25 cases ten at a time, sorted by %s, visiting each once in order',
    async (sort) => {
      const views = await Promise.all(paged.map(async (caseId) => (await readCase(server, caseId, head)).body));
      const key = sort.replace('-', '') as 'receivedAt' | 'updatedAt';
      const ascending = [...views]
        .sort((a, b) => a.timestamps[key].localeCompare(b.timestamps[key]) || a.caseId.localeCompare(b.caseId))
        .map((view) => view.caseId);
      const expected = sort.startsWith('-') ? ascending.reverse() : ascending;

      const { ids: visited, pages } = await listAll(server, `customerId=pager&limit=10&sort=${sort}`, head);
      expect(pages).toEqual([10, 10, 5]);
      expect(visited).toEqual(expected);
      expect(new Set(visited).size).toBe(25);
    },
  );

  it('keeps paging stable while cases change between pages', async () => {
    const first = (await read(server, '/cases?customerId=pager&limit=10&sort=receivedAt', head)).body;
    // A case received later than all others and a change to one already seen do not disturb the pages to come.
    const added = await receive(server, { customerId: 'pager', channel: 'web', summary: 'late arrival' });
    const touched = await act(server, first.items[0].caseId, 'log-contact', { direction: 'inbound', channel: 'phone', summary: 'Called' });
    const minPosition = Math.max(added.position, touched.position);
    const rest: string[] = [];
    let cursor: string | null = first.nextCursor;
    while (cursor) {
      const page: { items: Array<{ caseId: string }>; nextCursor: string | null } = (
        await read(server, `/cases?customerId=pager&limit=10&sort=receivedAt&cursor=${cursor}`, minPosition)
      ).body;
      rest.push(...ids(page.items));
      cursor = page.nextCursor;
    }
    const seen = [...ids(first.items), ...rest];
    expect(seen.slice(0, 25).sort()).toEqual([...paged].sort());
    expect(seen).toEqual([...seen.slice(0, 25), added.caseId]);
  });
});

function ids(items: Array<{ caseId: string }>): string[] {
  return items.map((item) => item.caseId);
}
