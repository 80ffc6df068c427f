/**
 * A frontend's view of Redress through a client generated from openapi.json alone (openapi-typescript +
 * openapi-fetch): a whole case lifecycle, the customer commands and every read. It is only type-checked
 * (test/contract/openapi-tooling.spec.ts): if the contract loses a field, a route or a type, this stops compiling.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from 'redress-api';

type Schemas = components['schemas'];

export function redressClient(baseUrl: string, token: string) {
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });
}
type Client = ReturnType<typeof redressClient>;

/** The body of a success, or the problem's detail thrown: every error answer is a typed problem. */
function ok<T>(answer: { data?: T; error?: Schemas['ProblemDto'] }): T {
  if (answer.data === undefined) throw new Error(`${answer.error?.status} ${answer.error?.type}: ${answer.error?.detail}`);
  return answer.data;
}

/** Operations that also serve text (CSV, NDJSON, HTML) type their body as either; asked for JSON, it is the object. */
function json<T extends object>(body: T | string): T {
  if (typeof body === 'string') throw new Error('Expected JSON, got text');
  return body;
}

export async function caseLifecycle(client: Client): Promise<Schemas['CaseViewDto']> {
  const opened: Schemas['CaseCommandResponseDto'] = ok(
    await client.POST('/cases', {
      params: { header: { 'Idempotency-Key': 'open-0001' } },
      body: {
        customerId: 'cust-10293',
        channel: 'email',
        summary: 'Parcel arrived damaged',
        orderRef: 'order-55812',
        orderValue: { amount: 4999, currency: 'GBP' },
        contact: { name: 'Ada Lovelace', email: 'ada@example.com' },
        regime: 'FCA',
      },
    }),
  );
  const caseId: string = opened.caseId;
  const path = { caseId };
  let revision: number = opened.revision;
  const ifMatch = () => ({ 'If-Match': `"${revision}"` });

  revision = ok(
    await client.POST('/cases/{caseId}/acknowledge', {
      params: { path, header: ifMatch() },
      body: { channel: 'email', message: 'We have it.' },
    }),
  ).revision;
  ok(
    await client.POST('/cases/{caseId}/log-contact', {
      params: { path },
      body: { direction: 'inbound', channel: 'phone', summary: 'Called' },
    }),
  );
  ok(await client.POST('/cases/{caseId}/assign', { params: { path }, body: { agentId: 'agent-7', team: 'returns' } }));
  ok(await client.POST('/cases/{caseId}/escalate', { params: { path }, body: { reason: 'Customer is upset', level: 1 } }));
  ok(
    await client.POST('/cases/{caseId}/assess', {
      params: { path },
      body: { category: 'delivery', severity: 'high', justified: 'yes', rootCause: 'systemic', findings: 'Courier ignored signature' },
    }),
  );
  ok(await client.POST('/cases/{caseId}/apologize', { params: { path }, body: { channel: 'email', message: 'We are sorry.' } }));
  ok(await client.POST('/cases/{caseId}/explain', { params: { path }, body: { channel: 'email', message: 'What went wrong.' } }));
  const planId: string = ok(
    await client.POST('/cases/{caseId}/plan', { params: { path }, body: { actions: ['Replace the lamp'], dueBy: '2026-12-01T00:00:00Z' } }),
  ).planId;
  ok(await client.POST('/cases/{caseId}/plan-response', { params: { path }, body: { response: 'accepted' } }));

  const offered: Schemas['GoodwillOfferedResponseDto'] = ok(
    await client.POST('/cases/{caseId}/goodwill', { params: { path }, body: { kind: 'partial-refund', amount: 1500, currency: 'GBP' } }),
  );
  const offer = { caseId, offerId: offered.offerId };
  ok(await client.POST('/cases/{caseId}/goodwill/{offerId}/approve', { params: { path: offer }, body: { note: 'Fair' } }));
  ok(await client.POST('/cases/{caseId}/goodwill/{offerId}/response', { params: { path: offer }, body: { response: 'accepted' } }));
  ok(await client.POST('/cases/{caseId}/goodwill/{offerId}/fulfil', { params: { path: offer }, body: { reference: 'refund-1' } }));
  const declined = ok(
    await client.POST('/cases/{caseId}/goodwill', { params: { path }, body: { kind: 'coupon', amount: 500, currency: 'GBP' } }),
  );
  ok(
    await client.POST('/cases/{caseId}/goodwill/{offerId}/decline', {
      params: { path: { caseId, offerId: declined.offerId } },
      body: { reason: 'Not needed' },
    }),
  );
  const fixId: string = ok(
    await client.POST('/cases/{caseId}/system-fix', {
      params: { path },
      body: {
        description: 'Signature check',
        procedureChange: 'Couriers must get a signature',
        effectiveFrom: '2026-12-01T00:00:00Z',
        customerNotified: true,
      },
    }),
  ).fixId;
  ok(await client.POST('/cases/{caseId}/resolve', { params: { path }, body: { resolution: 'Replaced and refunded', outcome: 'upheld' } }));
  ok(await client.POST('/cases/{caseId}/follow-up', { params: { path }, body: { satisfied: true, csat: 5, nps: 9 } }));
  ok(await client.POST('/cases/{caseId}/close', { params: { path }, body: { reason: 'follow-up-completed' } }));
  const reopened = ok(await client.POST('/cases/{caseId}/reopen', { params: { path }, body: { reason: 'The lamp broke again' } }));
  ok(await client.POST('/cases/{caseId}/withdraw', { params: { path }, body: {} }));

  const view: Schemas['CaseViewDto'] = ok(
    await client.GET('/cases/{caseId}', { params: { path, query: { minPosition: reopened.position } } }),
  );
  const offers: string[] = view.goodwill.offers.map((o) => `${o.offerId} ${o.status} ${o.amount} ${o.currency}`);
  const due: string[] = view.deadlines.map((d) => `${d.kind} ${d.dueAt} ${d.status}`);
  void [planId, fixId, offers, due, view.plan?.planId, view.systemFixes[0]?.fixId, view.timestamps.receivedAt satisfies string];
  return view;
}

export async function customerCommands(client: Client, customerId: string): Promise<number> {
  const path = { customerId };
  const orderId: string = ok(
    await client.POST('/customers/{customerId}/purchases', {
      params: { path },
      body: { orderId: 'order-1', amount: 4999, currency: 'GBP', at: '2026-11-20T14:32:00Z' },
    }),
  ).orderId;
  const referralId: string = ok(await client.POST('/customers/{customerId}/referrals', { params: { path }, body: {} })).referralId;
  ok(await client.POST('/customers/{customerId}/churn', { params: { path }, body: { reason: 'Moved away' } }));
  const erased = ok(await client.DELETE('/customers/{customerId}/personal-data', { params: { path } }));
  const erasedAt: string = erased.erasedAt;
  void [orderId, referralId, erasedAt];
  return erased.position;
}

export async function everyRead(client: Client, caseId: string, customerId: string): Promise<void> {
  const path = { caseId };
  const page: Schemas['CasePageDto'] = ok(
    await client.GET('/cases', { params: { query: { status: 'resolved', limit: 20, sort: '-receivedAt' } } }),
  );
  const next: string | null = page.nextCursor;
  const summaries: string[] = page.items.map((item) => `${item.caseId} ${item.status} ${item.revision}`);
  const customer: Schemas['CustomerCasesDto'] = ok(await client.GET('/customers/{customerId}', { params: { path: { customerId } } }));
  const open: number = customer.totals.open;
  const events = ok(await client.GET('/cases/{caseId}/events', { params: { path } }));
  const revisions: number[] = events.map((event) => event.revision);
  const history: Schemas['CaseHistoryDto'] = json(
    ok(await client.GET('/cases/{caseId}/history', { params: { path, query: { limit: 50 } } })),
  );
  const nextRevision: number | null = history.nextRevision;
  const state: Schemas['CaseStateAtDto'] = ok(await client.GET('/cases/{caseId}/state', { params: { path, query: { atRevision: 2 } } }));
  const verdict: Schemas['CaseVerificationDto'] = ok(await client.GET('/cases/{caseId}/verify', { params: { path } }));
  const valid: boolean = verdict.valid;
  const loyalty: Schemas['LoyaltyOutcomesDto'] = json(
    ok(await client.GET('/analytics/loyalty-outcomes', { params: { query: { from: '2026-01-01', to: '2026-07-01', windowDays: 90 } } })),
  );
  const lifts: Array<number | null> = loyalty.rows.map((row) => row.meanSpendLiftVsNoComplaint);
  const systemic: Schemas['SystemicIssuesDto'] = ok(
    await client.GET('/analytics/systemic-issues', { params: { query: { windowDays: 30 } } }),
  );
  const changes: Array<number | null> = systemic.categories.flatMap((c) => c.fixes.map((fix) => fix.change));
  const deadlines: Schemas['DeadlinesReportDto'] = ok(await client.GET('/analytics/deadlines', { params: { query: {} } }));
  const breaches: number = deadlines.total.breaches.total;
  const inclusion: Schemas['InclusionProofDto'] = ok(await client.GET('/audit/proofs/inclusion', { params: { query: { leafIndex: 0 } } }));
  const consistency = ok(await client.GET('/audit/proofs/consistency', { params: { query: { from: 1, to: inclusion.treeSize } } }));
  const latest: Schemas['SignedCheckpointDto'] = ok(await client.GET('/audit/checkpoints/latest'));
  const checkpoints: Schemas['CheckpointPageDto'] = ok(await client.GET('/audit/checkpoints', { params: { query: { after: 0 } } }));
  const key: Schemas['LedgerPublicJwkDto'] = ok(await client.GET('/audit/public-key'));
  const projections: Schemas['ProjectionStatusDto'][] = ok(await client.GET('/projections'));
  // Not ready is a 503 with the same body (its failing checks named), not a problem.
  const readiness = await client.GET('/health');
  const health: Schemas['HealthCheckDto'] = readiness.data ?? readiness.error;
  const problem: Schemas['ProblemTypeDto'] = json(
    ok(await client.GET('/problems/{code}', { params: { path: { code: 'stale-revision' } } })),
  );
  void [next, summaries, open, revisions, nextRevision, state.lastEvent.revision, state.view.status, valid, lifts, changes, breaches];
  void [consistency.path, latest.rootHash, checkpoints.next, key.kid, projections[0]?.lag.events, health.status, problem.status];
}
