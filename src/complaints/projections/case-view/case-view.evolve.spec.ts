import type { RecordedEvent } from '../../../core/event-store/event-store.port';
import type { ComplaintEvent, ComplaintEventType } from '../../domain/complaint.events';
import type { Regime } from '../../domain/complaint.vocabulary';
import { deadlinesOnReceipt, summaryResolutionEndsAt } from '../../domain/deadline-policies';
import type { Actor } from '../../../kernel/actor';
import type { CaseView, DeadlineView } from './case-view';
import { evolveCaseView } from './case-view.evolve';

// ── A tiny given(events) → view harness ──────────────────────────────────────

const CASE_ID = 'case-7';
const STREAM = `complaint-${CASE_ID}`;
const AGENT: Actor = { id: 'agent-ann', role: 'agent' };
const SUPERVISOR: Actor = { id: 'sup-sam', role: 'supervisor' };
const CUSTOMER: Actor = { id: 'cust-cat', role: 'customer' };
const CLOCK: Actor = { id: 'deadline-clock', role: 'system' };

/** Monday 3 March 2025, 09:00 UTC. */
const T0 = '2025-03-03T09:00:00.000Z';
const at = (span: { days?: number; hours?: number; minutes?: number }, from = T0): string =>
  new Date(Date.parse(from) + (((span.days ?? 0) * 24 + (span.hours ?? 0)) * 60 + (span.minutes ?? 0)) * 60_000).toISOString();

type EventOf<T extends ComplaintEventType> = Extract<ComplaintEvent, { type: T }>;
type Unstamped<T extends ComplaintEventType> = Omit<EventOf<T>['data'], 'by' | 'at' | 'deadlines'>;

interface Given {
  readonly type: ComplaintEventType;
  readonly data: Record<string, unknown>;
}

/** An event of the case, stamped `by` and `at` like the decider stamps them. */
function e<T extends ComplaintEventType>(type: T, data: Unstamped<T>, stamp: { by?: Actor; at?: string } = {}): Given {
  return { type, data: { ...withReceiptDeadlines(data), by: stamp.by ?? AGENT, at: stamp.at ?? T0 } };
}

/** A received complaint records its deadlines as the decider computes them under default calendar settings. */
function withReceiptDeadlines(data: object): object {
  if (!('regime' in data) || !('receivedAt' in data)) return data;
  const { regime, receivedAt } = data as { regime: Regime; receivedAt: string };
  const windowEnd = summaryResolutionEndsAt({ regime, receivedAt });
  return {
    ...data,
    deadlines: deadlinesOnReceipt(regime, receivedAt),
    ...(windowEnd !== undefined ? { summaryResolutionEndsAt: windowEnd } : {}),
  };
}

/** Records `events` as the case stream: revisions from 0, global positions from `firstPosition`, in steps of `step` (other streams interleave). */
function record(events: readonly Given[], firstPosition = 41, step = 3): RecordedEvent[] {
  return events.map((event, revision) => ({
    id: `event-${revision}`,
    streamName: STREAM,
    type: event.type,
    data: event.data,
    metadata: { actor: event.data['by'], schemaVersion: 1 },
    revision,
    position: firstPosition + revision * step,
    recordedAt: '2030-01-01T00:00:00.000Z',
  }));
}

/** The view after folding `events` from nothing. */
function given(...events: Given[]): CaseView {
  return viewsOf(events).at(-1)!;
}

/** Every intermediate view, one per event. */
function viewsOf(events: readonly Given[]): CaseView[] {
  const views: CaseView[] = [];
  let view: CaseView | null = null;
  for (const recorded of record(events)) {
    view = evolveCaseView(view, recorded);
    views.push(view);
  }
  return views;
}

const deadline = (view: CaseView, kind: DeadlineView['kind']): DeadlineView[] => view.deadlines.filter((d) => d.kind === kind);

// ── Events used across the specs ─────────────────────────────────────────────

const received = (regime: Regime = 'default', stamp: { at?: string; receivedAt?: string } = {}) =>
  e(
    'ComplaintReceived',
    {
      caseId: CASE_ID,
      customerId: 'cust-cat',
      channel: 'email',
      summary: 'Parcel arrived crushed',
      details: 'The box was flattened and the lamp inside broken.',
      remedySought: 'A replacement',
      orderRef: 'order-9',
      orderValue: { amount: 12_999, currency: 'GBP' },
      regime,
      receivedAt: stamp.receivedAt ?? stamp.at ?? T0,
    },
    { at: stamp.at ?? T0 },
  );
const acknowledged = (when: string, message = 'We have your complaint') =>
  e('ComplaintAcknowledged', { channel: 'email', message }, { at: when });
const assessed = (when: string, rootCause: 'systemic' | 'one-off' | 'customer-error' = 'one-off') =>
  e(
    'ComplaintAssessed',
    {
      category: 'delivery',
      severity: 'high',
      justified: rootCause === 'customer-error' ? 'no' : 'yes',
      rootCause,
      findings: 'The courier dropped it',
    },
    { at: when },
  );
const resolved = (when: string, outcome: 'upheld' | 'partially-upheld' | 'rejected' = 'upheld') =>
  e('ComplaintResolved', { resolution: 'Replacement sent', outcome }, { at: when });
const followedUp = (when: string, satisfied = true) =>
  e(
    'FollowUpCompleted',
    { satisfied, csat: satisfied ? 5 : 2, nps: satisfied ? 9 : 3, comment: satisfied ? 'Great' : 'Meh' },
    { by: CUSTOMER, at: when },
  );
const closed = (when: string) => e('CaseClosed', { reason: 'follow-up-completed' }, { at: when });
const reopened = (when: string) => e('CaseReopened', { reason: 'Still broken' }, { by: CUSTOMER, at: when });
const offered = (offerId: string, amount: number, currency: string, when: string, kind: 'coupon' | 'credit' | 'full-refund' = 'coupon') =>
  e('GoodwillOffered', { offerId, kind, amount, currency, withoutAdmission: true }, { at: when });

// ── Specs ────────────────────────────────────────────────────────────────────

describe('evolveCaseView: the case view as frontends see it', () => {
  describe('ComplaintReceived', () => {
    it('opens the view with the summary fields, empty collections and pending deadlines of the default policy', () => {
      const view = given(received('default', { at: at({ minutes: 5 }), receivedAt: T0 }));
      expect(view).toEqual({
        caseId: CASE_ID,
        customerId: 'cust-cat',
        status: 'received',
        channel: 'email',
        regime: 'default',
        summary: 'Parcel arrived crushed',
        details: 'The box was flattened and the lamp inside broken.',
        remedySought: 'A replacement',
        orderRef: 'order-9',
        orderValue: { amount: 12_999, currency: 'GBP' },
        escalationLevel: 0,
        contacts: [],
        apologies: [],
        explanations: [],
        goodwill: { offers: [], granted: [] },
        systemFixes: [],
        resolutions: [],
        followUps: [],
        plans: [],
        escalations: [],
        reopenings: [],
        reopenCount: 0,
        timestamps: { receivedAt: T0, updatedAt: at({ minutes: 5 }) },
        policyVersion: 'default@2026-01',
        deadlines: [
          { kind: 'acknowledgement', dueAt: '2025-03-04T09:00:00.000Z', policyVersion: 'default@2026-01', status: 'pending' },
          { kind: 'final-response', dueAt: '2025-03-17T09:00:00.000Z', policyVersion: 'default@2026-01', status: 'pending' },
        ],
        breached: false,
        revision: 0,
        position: 41,
      });
    });

    it('shows how to reach the customer, as they gave it', () => {
      const contact = { name: 'Ada Lovelace', email: 'ada@example.com' };
      const view = given(
        e('ComplaintReceived', {
          caseId: CASE_ID,
          customerId: 'c-1',
          channel: 'web',
          summary: 'Late',
          contact,
          regime: 'default',
          receivedAt: T0,
        }),
      );
      expect(view.contact).toEqual(contact);
    });

    it('leaves optional fields out when the complaint did not give them', () => {
      const view = given(
        e('ComplaintReceived', { caseId: CASE_ID, customerId: 'c-1', channel: 'web', summary: 'Late', regime: 'default', receivedAt: T0 }),
      );
      for (const field of [
        'details',
        'remedySought',
        'contact',
        'orderRef',
        'orderValue',
        'category',
        'severity',
        'justified',
        'rootCause',
        'assignee',
        'plan',
        'resolution',
        'followUp',
        'close',
        'withdrawal',
      ]) {
        expect({ field, present: field in view }).toEqual({ field, present: false });
      }
    });

    it.each<[Regime, Array<Pick<DeadlineView, 'kind' | 'dueAt' | 'policyVersion'>>]>([
      [
        'default',
        [
          { kind: 'acknowledgement', dueAt: '2025-03-04T09:00:00.000Z', policyVersion: 'default@2026-01' },
          { kind: 'final-response', dueAt: '2025-03-17T09:00:00.000Z', policyVersion: 'default@2026-01' },
        ],
      ],
      [
        'FCA',
        [
          // "Promptly": by the end of the next business day; 8 weeks for the final response.
          { kind: 'acknowledgement', dueAt: '2025-03-04T23:59:59.999Z', policyVersion: 'FCA@2026-11' },
          { kind: 'final-response', dueAt: '2025-04-28T08:00:00.000Z', policyVersion: 'FCA@2026-11' },
        ],
      ],
      [
        'CFPB',
        [
          // No acknowledgement deadline; 15 days for a substantive response, 60 for the final one.
          { kind: 'substantive-response', dueAt: '2025-03-18T08:00:00.000Z', policyVersion: 'CFPB@2026-11' },
          { kind: 'final-response', dueAt: '2025-05-02T08:00:00.000Z', policyVersion: 'CFPB@2026-11' },
        ],
      ],
      [
        'ASIC',
        [
          { kind: 'acknowledgement', dueAt: '2025-03-04T09:00:00.000Z', policyVersion: 'ASIC@2026-11' },
          { kind: 'final-response', dueAt: '2025-04-02T09:00:00.000Z', policyVersion: 'ASIC@2026-11' },
        ],
      ],
    ])('sets the %s deadlines from receipt', (regime, expected) => {
      const view = given(received(regime));
      expect(view.deadlines).toEqual(expected.map((d) => ({ ...d, status: 'pending' })));
      expect(view.regime).toBe(regime);
    });

    it('counts FCA business days over a weekend: received on a Friday, acknowledgement due at the end of Monday', () => {
      const friday = '2025-03-07T16:30:00.000Z';
      expect(deadline(given(received('FCA', { at: friday })), 'acknowledgement')).toEqual([
        { kind: 'acknowledgement', dueAt: '2025-03-10T23:59:59.999Z', policyVersion: 'FCA@2026-11', status: 'pending' },
      ]);
    });

    it('counts deadlines from receivedAt, not from when the complaint was recorded', () => {
      const view = given(received('default', { receivedAt: T0, at: at({ hours: 20 }) }));
      expect(deadline(view, 'acknowledgement')[0].dueAt).toBe(at({ hours: 24 }));
    });
  });

  it('throws on an event before ComplaintReceived, naming it', () => {
    const [recorded] = record([acknowledged(T0)]);
    expect(() => evolveCaseView(null, recorded)).toThrow(/ComplaintAcknowledged.*precedes ComplaintReceived/);
  });

  it('copies revision and position of the last event and moves updatedAt to its instant', () => {
    const views = viewsOf([received(), acknowledged(at({ hours: 1 })), assessed(at({ hours: 2 }))]);
    expect(views.map(({ revision, position, timestamps }) => ({ revision, position, updatedAt: timestamps.updatedAt }))).toEqual([
      { revision: 0, position: 41, updatedAt: T0 },
      { revision: 1, position: 44, updatedAt: at({ hours: 1 }) },
      { revision: 2, position: 47, updatedAt: at({ hours: 2 }) },
    ]);
  });

  it('does not mutate the view it is given', () => {
    const [first, second] = record([received(), acknowledged(at({ hours: 1 }))]);
    const before = evolveCaseView(null, first);
    const snapshot = structuredClone(before);
    evolveCaseView(before, second);
    expect(before).toEqual(snapshot);
  });

  describe('display status', () => {
    it('moves received → acknowledged → in-progress → resolved → closed', () => {
      const views = viewsOf([
        received(),
        acknowledged(at({ hours: 1 })),
        e('CaseAssigned', { agentId: 'agent-ann' }, { at: at({ hours: 2 }) }),
        assessed(at({ hours: 3 })),
        e('ApologyIssued', { channel: 'email', message: 'Sorry' }, { at: at({ hours: 4 }) }),
        resolved(at({ hours: 5 })),
        followedUp(at({ days: 2 })),
        closed(at({ days: 2, hours: 1 })),
      ]);
      expect(views.map((view) => view.status)).toEqual([
        'received',
        'acknowledged',
        'acknowledged',
        'in-progress',
        'in-progress',
        'resolved',
        'resolved',
        'closed',
      ]);
    });

    it('is in-progress once assessed even without an acknowledgement', () => {
      expect(given(received(), assessed(at({ hours: 1 }))).status).toBe('in-progress');
    });

    it('is withdrawn after a withdrawal, and closed once the withdrawn case is closed', () => {
      const views = viewsOf([
        received(),
        e('ComplaintWithdrawn', { reason: 'Sorted it myself' }, { by: CUSTOMER, at: at({ hours: 1 }) }),
        e('CaseClosed', { reason: 'withdrawn' }, { at: at({ hours: 2 }) }),
      ]);
      expect(views.map((view) => view.status)).toEqual(['received', 'withdrawn', 'closed']);
    });
  });

  describe('acknowledgement', () => {
    it('records the first acknowledgement only and meets the deadline with it', () => {
      const view = given(received(), acknowledged(at({ hours: 2 })), acknowledged(at({ hours: 3 }), 'Again'));
      expect(view.timestamps.acknowledgedAt).toBe(at({ hours: 2 }));
      expect(deadline(view, 'acknowledgement')).toEqual([
        {
          kind: 'acknowledgement',
          dueAt: at({ hours: 24 }),
          policyVersion: 'default@2026-01',
          status: 'met',
          answeredAt: at({ hours: 2 }),
        },
      ]);
      expect(view.breached).toBe(false);
    });

    it('counts an acknowledgement exactly at the due instant as met', () => {
      const view = given(received(), acknowledged(at({ hours: 24 })));
      expect(deadline(view, 'acknowledgement')[0]).toMatchObject({ status: 'met', answeredAt: at({ hours: 24 }) });
    });

    it('marks the deadline breached by a late acknowledgement, and the case breached', () => {
      const view = given(received(), acknowledged(at({ hours: 25 })));
      expect(deadline(view, 'acknowledgement')).toEqual([
        {
          kind: 'acknowledgement',
          dueAt: at({ hours: 24 }),
          policyVersion: 'default@2026-01',
          status: 'breached',
          answeredAt: at({ hours: 25 }),
          late: true,
          breachedAt: at({ hours: 24 }),
        },
      ]);
      expect(view.breached).toBe(true);
      expect(view.timestamps.acknowledgedAt).toBe(at({ hours: 25 }));
    });
  });

  describe('listening to the customer', () => {
    it('lists every contact with who logged it and keeps the first contact time', () => {
      const view = given(
        received(),
        e('CustomerContactLogged', { direction: 'outbound', channel: 'phone', summary: 'Called back' }, { at: at({ hours: 1 }) }),
        e(
          'CustomerContactLogged',
          { direction: 'inbound', channel: 'email', summary: 'Sent photos' },
          { by: CUSTOMER, at: at({ hours: 2 }) },
        ),
      );
      expect(view.contacts).toEqual([
        { direction: 'outbound', channel: 'phone', summary: 'Called back', at: at({ hours: 1 }), by: AGENT },
        { direction: 'inbound', channel: 'email', summary: 'Sent photos', at: at({ hours: 2 }), by: CUSTOMER },
      ]);
      expect(view.timestamps.firstContactAt).toBe(at({ hours: 1 }));
      expect(view.timestamps.firstResponseAt).toBeUndefined();
    });

    it('keeps the assignee (with or without team) and the escalation level', () => {
      const views = viewsOf([
        received(),
        e('CaseAssigned', { agentId: 'agent-ann', team: 'desk-1' }, { at: at({ hours: 1 }) }),
        e('CaseEscalated', { level: 1, reason: 'Angry' }, { at: at({ hours: 2 }) }),
        e('CaseEscalated', { level: 3, reason: 'Very angry', team: 'leads' }, { by: SUPERVISOR, at: at({ hours: 3 }) }),
        e('CaseAssigned', { agentId: 'agent-bob' }, { at: at({ hours: 4 }) }),
      ]);
      expect(views.map((view) => [view.assignee, view.escalationLevel])).toEqual([
        [undefined, 0],
        [{ agentId: 'agent-ann', team: 'desk-1' }, 0],
        [{ agentId: 'agent-ann', team: 'desk-1' }, 1],
        [{ agentId: 'agent-ann', team: 'desk-1' }, 3],
        [{ agentId: 'agent-bob' }, 3],
      ]);
    });
  });

  describe('assessment', () => {
    it('shows category, severity, justified, root cause and findings; a reassessment replaces them', () => {
      const view = given(
        received(),
        assessed(at({ hours: 1 })),
        e(
          'ComplaintAssessed',
          { category: 'billing', severity: 'low', justified: 'partly', rootCause: 'third-party', findings: 'Partner error' },
          { at: at({ hours: 2 }) },
        ),
      );
      expect(view).toMatchObject({
        category: 'billing',
        severity: 'low',
        justified: 'partly',
        rootCause: 'third-party',
        findings: 'Partner error',
      });
    });
  });

  describe('responses: apologies, explanations and the resolution plan', () => {
    it('lists apologies and explanations; the first of them sets firstResponseAt', () => {
      const view = given(
        received(),
        e('ApologyIssued', { channel: 'email', message: 'We are sorry' }, { at: at({ hours: 3 }) }),
        e('ExplanationGiven', { channel: 'letter', message: 'Here is why' }, { at: at({ hours: 4 }) }),
        e('ApologyIssued', { channel: 'phone', message: 'Sorry again' }, { by: SUPERVISOR, at: at({ hours: 5 }) }),
      );
      expect(view.apologies).toEqual([
        { channel: 'email', message: 'We are sorry', at: at({ hours: 3 }), by: AGENT },
        { channel: 'phone', message: 'Sorry again', at: at({ hours: 5 }), by: SUPERVISOR },
      ]);
      expect(view.explanations).toEqual([{ channel: 'letter', message: 'Here is why', at: at({ hours: 4 }), by: AGENT }]);
      expect(view.timestamps.firstResponseAt).toBe(at({ hours: 3 }));
    });

    it('shows the plan and the customer response to it; a new plan replaces a rejected one', () => {
      const dueBy = at({ days: 7 });
      const views = viewsOf([
        received(),
        e('ResolutionPlanCommunicated', { planId: 'plan-1', actions: ['investigate'], dueBy }, { at: at({ hours: 2 }) }),
        e('ResolutionPlanRejected', { planId: 'plan-1', comment: 'Too slow' }, { by: CUSTOMER, at: at({ hours: 3 }) }),
        e(
          'ResolutionPlanCommunicated',
          { planId: 'plan-2', actions: ['replace', 'refund postage'], dueBy: at({ days: 3 }) },
          { at: at({ hours: 4 }) },
        ),
        e('ResolutionPlanAccepted', { planId: 'plan-2', comment: 'Fine' }, { by: CUSTOMER, at: at({ hours: 5 }) }),
      ]);
      expect(views.slice(1).map((view) => view.plan)).toEqual([
        { planId: 'plan-1', actions: ['investigate'], dueBy, response: 'pending', communicatedAt: at({ hours: 2 }) },
        { planId: 'plan-1', actions: ['investigate'], dueBy, response: 'rejected', comment: 'Too slow', communicatedAt: at({ hours: 2 }) },
        {
          planId: 'plan-2',
          actions: ['replace', 'refund postage'],
          dueBy: at({ days: 3 }),
          response: 'pending',
          communicatedAt: at({ hours: 4 }),
        },
        {
          planId: 'plan-2',
          actions: ['replace', 'refund postage'],
          dueBy: at({ days: 3 }),
          response: 'accepted',
          comment: 'Fine',
          communicatedAt: at({ hours: 4 }),
        },
      ]);
      expect(views.at(-1)!.timestamps.firstResponseAt).toBe(at({ hours: 2 }));
    });

    it('meets the CFPB substantive-response deadline with the first answer on the merits', () => {
      const view = given(received('CFPB'), e('ExplanationGiven', { channel: 'email', message: 'Here is why' }, { at: at({ days: 2 }) }));
      expect(deadline(view, 'substantive-response')).toEqual([
        {
          kind: 'substantive-response',
          dueAt: '2025-03-18T08:00:00.000Z',
          policyVersion: 'CFPB@2026-11',
          status: 'met',
          answeredAt: at({ days: 2 }),
        },
      ]);
      expect(deadline(view, 'final-response')[0].status).toBe('pending');
    });
  });

  describe('goodwill', () => {
    it('follows an offer over the limit: pending-approval → approved → accepted → fulfilled, granting it once accepted', () => {
      const views = viewsOf([
        received(),
        offered('offer-1', 12_999, 'GBP', at({ hours: 1 }), 'full-refund'),
        e('GoodwillApprovalRequested', { offerId: 'offer-1', limit: 5_000 }, { at: at({ hours: 1 }) }),
        e('GoodwillApproved', { offerId: 'offer-1', note: 'OK' }, { by: SUPERVISOR, at: at({ hours: 2 }) }),
        e('GoodwillAccepted', { offerId: 'offer-1' }, { by: CUSTOMER, at: at({ hours: 3 }) }),
        e('GoodwillFulfilled', { offerId: 'offer-1', reference: 'RFND-1' }, { at: at({ hours: 4 }) }),
      ]);
      expect(
        views.slice(2).map((view) => [view.goodwill.offers[0].status, view.goodwill.offers[0].needsApproval, view.goodwill.granted]),
      ).toEqual([
        ['pending-approval', true, []],
        ['approved', true, []],
        ['accepted', true, [{ amount: 12_999, currency: 'GBP' }]],
        ['fulfilled', true, [{ amount: 12_999, currency: 'GBP' }]],
      ]);
      expect(views.at(-1)!.goodwill.offers).toEqual([
        {
          offerId: 'offer-1',
          kind: 'full-refund',
          amount: 12_999,
          currency: 'GBP',
          withoutAdmission: true,
          status: 'fulfilled',
          needsApproval: true,
          offeredBy: AGENT,
          offeredAt: at({ hours: 1 }),
          decidedBy: SUPERVISOR,
          fulfilledAt: at({ hours: 4 }),
          reference: 'RFND-1',
        },
      ]);
    });

    it('shows an offer within the limit as approved at once, with its description', () => {
      const view = given(
        received(),
        e(
          'GoodwillOffered',
          {
            offerId: 'offer-2',
            kind: 'coupon',
            amount: 500,
            currency: 'EUR',
            withoutAdmission: false,
            description: '5 off',
          },
          { at: at({ hours: 1 }) },
        ),
      );
      expect(view.goodwill).toEqual({
        offers: [
          {
            offerId: 'offer-2',
            kind: 'coupon',
            amount: 500,
            currency: 'EUR',
            withoutAdmission: false,
            description: '5 off',
            status: 'approved',
            needsApproval: false,
            offeredBy: AGENT,
            offeredAt: at({ hours: 1 }),
          },
        ],
        granted: [],
      });
    });

    it('grants only accepted or fulfilled offers, summed per currency', () => {
      const view = given(
        received(),
        offered('a', 1_000, 'GBP', at({ hours: 1 })),
        offered('b', 2_500, 'GBP', at({ hours: 1 })),
        offered('c', 700, 'EUR', at({ hours: 1 })),
        offered('d', 9_000, 'USD', at({ hours: 1 }), 'credit'),
        e('GoodwillApprovalRequested', { offerId: 'd', limit: 5_000 }, { at: at({ hours: 1 }) }),
        offered('e', 300, 'EUR', at({ hours: 1 })),
        offered('f', 400, 'GBP', at({ hours: 1 })),
        e('GoodwillAccepted', { offerId: 'a' }, { by: CUSTOMER, at: at({ hours: 2 }) }),
        e('GoodwillAccepted', { offerId: 'b' }, { by: CUSTOMER, at: at({ hours: 2 }) }),
        e('GoodwillFulfilled', { offerId: 'b' }, { at: at({ hours: 3 }) }),
        e('GoodwillAccepted', { offerId: 'c' }, { by: CUSTOMER, at: at({ hours: 2 }) }),
        e('GoodwillRejected', { offerId: 'd', reason: 'Too much' }, { by: SUPERVISOR, at: at({ hours: 2 }) }),
        e('GoodwillDeclined', { offerId: 'e', comment: 'No thanks' }, { by: CUSTOMER, at: at({ hours: 2 }) }),
        // 'f' is still only offered.
      );
      expect(view.goodwill.offers.map((offer) => [offer.offerId, offer.status])).toEqual([
        ['a', 'accepted'],
        ['b', 'fulfilled'],
        ['c', 'accepted'],
        ['d', 'rejected'],
        ['e', 'declined'],
        ['f', 'approved'],
      ]);
      expect(view.goodwill.offers.find((offer) => offer.offerId === 'd')).toMatchObject({ needsApproval: true, decidedBy: SUPERVISOR });
      expect(view.goodwill.granted).toEqual([
        { amount: 700, currency: 'EUR' },
        { amount: 3_500, currency: 'GBP' },
      ]);
    });

    it('ignores a response for an offer it does not know', () => {
      const view = given(
        received(),
        offered('a', 1_000, 'GBP', at({ hours: 1 })),
        e('GoodwillAccepted', { offerId: 'zzz' }, { by: CUSTOMER, at: at({ hours: 2 }) }),
      );
      expect(view.goodwill).toEqual(given(received(), offered('a', 1_000, 'GBP', at({ hours: 1 }))).goodwill);
    });
  });

  it('lists system fixes', () => {
    const view = given(
      received(),
      assessed(at({ hours: 1 }), 'systemic'),
      e(
        'SystemFixApplied',
        {
          fixId: 'fix-1',
          description: 'Courier cut-off corrected',
          procedureChange: 'Weekly check',
          effectiveFrom: at({ days: 1 }),
          customerNotified: true,
        },
        { at: at({ hours: 2 }) },
      ),
      e(
        'SystemFixApplied',
        {
          fixId: 'fix-2',
          description: 'Label printer',
          procedureChange: 'Daily test',
          effectiveFrom: at({ days: 2 }),
          customerNotified: false,
        },
        { at: at({ hours: 3 }) },
      ),
    );
    expect(view.systemFixes).toEqual([
      {
        fixId: 'fix-1',
        description: 'Courier cut-off corrected',
        procedureChange: 'Weekly check',
        effectiveFrom: at({ days: 1 }),
        customerNotified: true,
        at: at({ hours: 2 }),
      },
      {
        fixId: 'fix-2',
        description: 'Label printer',
        procedureChange: 'Daily test',
        effectiveFrom: at({ days: 2 }),
        customerNotified: false,
        at: at({ hours: 3 }),
      },
    ]);
  });

  describe('resolution, follow-up and closure', () => {
    const lifecycle = [received(), acknowledged(at({ hours: 1 })), assessed(at({ hours: 2 })), resolved(at({ days: 3 }))];

    it('records the resolution and outcome, meets the final response and adds a follow-up due 7 days later', () => {
      const view = given(...lifecycle);
      expect(view.resolution).toEqual({ resolution: 'Replacement sent', outcome: 'upheld', at: at({ days: 3 }) });
      expect(view.timestamps.resolvedAt).toBe(at({ days: 3 }));
      expect(view.timestamps.firstResponseAt).toBe(at({ days: 3 }));
      expect(view.status).toBe('resolved');
      expect(view.deadlines).toEqual([
        {
          kind: 'acknowledgement',
          dueAt: at({ hours: 24 }),
          policyVersion: 'default@2026-01',
          status: 'met',
          answeredAt: at({ hours: 1 }),
        },
        { kind: 'final-response', dueAt: at({ days: 14 }), policyVersion: 'default@2026-01', status: 'met', answeredAt: at({ days: 3 }) },
        { kind: 'follow-up', dueAt: at({ days: 10 }), policyVersion: 'default@2026-01', status: 'pending' },
      ]);
    });

    it('marks the final response breached when the resolution comes late', () => {
      const view = given(received(), assessed(at({ hours: 2 })), resolved(at({ days: 15 })));
      expect(deadline(view, 'final-response')).toEqual([
        {
          kind: 'final-response',
          dueAt: at({ days: 14 }),
          policyVersion: 'default@2026-01',
          status: 'breached',
          answeredAt: at({ days: 15 }),
          late: true,
          breachedAt: at({ days: 14 }),
        },
      ]);
      expect(view.breached).toBe(true);
    });

    it('records the follow-up (csat, nps, satisfied, comment) and meets its deadline', () => {
      const view = given(...lifecycle, followedUp(at({ days: 5 })));
      expect(view.followUp).toEqual({ satisfied: true, csat: 5, nps: 9, comment: 'Great', at: at({ days: 5 }) });
      expect(deadline(view, 'follow-up')).toEqual([
        { kind: 'follow-up', dueAt: at({ days: 10 }), policyVersion: 'default@2026-01', status: 'met', answeredAt: at({ days: 5 }) },
      ]);
      expect(view.status).toBe('resolved');
    });

    it('leaves nps and comment out of a follow-up without them', () => {
      const view = given(...lifecycle, e('FollowUpCompleted', { satisfied: false, csat: 1 }, { by: CUSTOMER, at: at({ days: 4 }) }));
      expect(view.followUp).toEqual({ satisfied: false, csat: 1, at: at({ days: 4 }) });
    });

    it('closes with the reason and note; the acknowledgement ends, the final-response duty runs on', () => {
      const view = given(
        received(),
        e('CaseClosed', { reason: 'customer-unresponsive', note: 'Three calls unanswered' }, { at: at({ hours: 30 }) }),
      );
      expect(view.close).toEqual({ reason: 'customer-unresponsive', note: 'Three calls unanswered' });
      expect(view.timestamps.closedAt).toBe(at({ hours: 30 }));
      expect(view.status).toBe('closed');
      expect(view.deadlines.map((d) => [d.kind, d.status])).toEqual([
        ['acknowledgement', 'cancelled'],
        ['final-response', 'pending'],
      ]);
    });

    it('closed after the follow-up: met deadlines stay met', () => {
      const view = given(...lifecycle, followedUp(at({ days: 5 })), closed(at({ days: 5, hours: 1 })));
      expect(view.close).toEqual({ reason: 'follow-up-completed' });
      expect(view.deadlines.map((d) => [d.kind, d.status])).toEqual([
        ['acknowledgement', 'met'],
        ['final-response', 'met'],
        ['follow-up', 'met'],
      ]);
      expect(view.breached).toBe(false);
    });
  });

  describe('reopen', () => {
    it('keeps every resolution, follow-up and plan, newest last, the current one marked; the unsatisfied feedback stays visible', () => {
      const plan = (planId: string, when: string) =>
        e('ResolutionPlanCommunicated', { planId, actions: ['send a replacement'], dueBy: at({ days: 20 }) }, { at: when });
      const view = given(
        received(),
        e('CaseEscalated', { level: 1, reason: 'Second complaint this month', team: 'tier-2' }, { at: at({ hours: 1 }) }),
        assessed(at({ hours: 2 })),
        plan('plan-1', at({ days: 1 })),
        e('ResolutionPlanRejected', { planId: 'plan-1', comment: 'Too slow' }, { by: CUSTOMER, at: at({ days: 1, hours: 1 }) }),
        resolved(at({ days: 3 })),
        followedUp(at({ days: 4 }), false),
        reopened(at({ days: 6 })),
        plan('plan-2', at({ days: 7 })),
        resolved(at({ days: 8 }), 'partially-upheld'),
      );
      expect(view.resolutions).toEqual([
        { resolution: 'Replacement sent', outcome: 'upheld', at: at({ days: 3 }), current: false },
        { resolution: 'Replacement sent', outcome: 'partially-upheld', at: at({ days: 8 }), current: true },
      ]);
      expect(view.followUps).toEqual([{ satisfied: false, csat: 2, nps: 3, comment: 'Meh', at: at({ days: 4 }), current: false }]);
      expect(view.plans.map(({ planId, response, current }) => ({ planId, response, current }))).toEqual([
        { planId: 'plan-1', response: 'rejected', current: false },
        { planId: 'plan-2', response: 'pending', current: true },
      ]);
      expect(view.plans[0].comment).toBe('Too slow');
      expect(view.escalations).toEqual([
        { level: 1, reason: 'Second complaint this month', team: 'tier-2', at: at({ hours: 1 }), by: AGENT },
      ]);
      expect(view.reopenings).toEqual([{ reason: 'Still broken', at: at({ days: 6 }), by: CUSTOMER }]);
    });

    it('right after a reopen, no resolution or follow-up is current, but both stay listed', () => {
      const view = given(
        received(),
        assessed(at({ hours: 2 })),
        resolved(at({ days: 3 })),
        followedUp(at({ days: 4 }), false),
        reopened(at({ days: 6 })),
      );
      expect(view.resolutions.map((resolution) => resolution.current)).toEqual([false]);
      expect(view.followUps).toEqual([expect.objectContaining({ csat: 2, comment: 'Meh', current: false })]);
    });

    it('a view stored before the history lists existed carries on with empty lists', () => {
      const stored = given(received());
      const { resolutions: _r, followUps: _f, plans: _p, escalations: _e, reopenings: _o, ...old } = stored;
      const next = evolveCaseView(old as CaseView, record([received(), assessed(at({ hours: 2 }))])[1]);
      expect(next).toMatchObject({ resolutions: [], followUps: [], plans: [], escalations: [], reopenings: [], category: 'delivery' });
    });

    it('clears resolution, follow-up and closure, counts the reopen, and starts a new final response', () => {
      const view = given(
        received(),
        acknowledged(at({ hours: 1 })),
        assessed(at({ hours: 2 })),
        resolved(at({ days: 3 })),
        followedUp(at({ days: 4 }), false),
        closed(at({ days: 4, hours: 1 })),
        reopened(at({ days: 6 })),
      );
      expect(view).not.toHaveProperty('resolution');
      expect(view).not.toHaveProperty('followUp');
      expect(view).not.toHaveProperty('close');
      expect(view.timestamps).not.toHaveProperty('resolvedAt');
      expect(view.timestamps).not.toHaveProperty('closedAt');
      expect(view.timestamps).toMatchObject({
        receivedAt: T0,
        acknowledgedAt: at({ hours: 1 }),
        firstResponseAt: at({ days: 3 }),
        updatedAt: at({ days: 6 }),
      });
      expect(view.reopenCount).toBe(1);
      expect(view.status).toBe('in-progress');
      expect(view.deadlines).toEqual([
        {
          kind: 'acknowledgement',
          dueAt: at({ hours: 24 }),
          policyVersion: 'default@2026-01',
          status: 'met',
          answeredAt: at({ hours: 1 }),
        },
        { kind: 'final-response', dueAt: at({ days: 14 }), policyVersion: 'default@2026-01', status: 'met', answeredAt: at({ days: 3 }) },
        { kind: 'follow-up', dueAt: at({ days: 10 }), policyVersion: 'default@2026-01', status: 'met', answeredAt: at({ days: 4 }) },
        { kind: 'final-response', dueAt: at({ days: 20 }), policyVersion: 'default@2026-01', status: 'pending' },
      ]);
    });

    it('cancels a pending follow-up when reopened straight after resolution, and counts every reopen', () => {
      const views = viewsOf([
        received('FCA'),
        assessed(at({ hours: 2 })),
        resolved(at({ days: 3 })),
        reopened(at({ days: 4 })),
        resolved(at({ days: 8 }), 'partially-upheld'),
        reopened(at({ days: 9 })),
      ]);
      // Eight weeks at the London time of day: the clocks go forward in between, so an hour earlier in UTC.
      const afterFirstReopen = views[3];
      expect(
        afterFirstReopen.deadlines.filter((d) => d.kind !== 'acknowledgement').map(({ kind, dueAt, status }) => ({ kind, dueAt, status })),
      ).toEqual([
        { kind: 'final-response', dueAt: at({ days: 56, hours: -1 }), status: 'met' },
        { kind: 'follow-up', dueAt: at({ days: 10 }), status: 'cancelled' },
        { kind: 'final-response', dueAt: at({ days: 60, hours: -1 }), status: 'pending' },
      ]);
      const last = views.at(-1)!;
      expect(last.reopenCount).toBe(2);
      expect(deadline(last, 'follow-up').map((d) => d.status)).toEqual(['cancelled', 'cancelled']);
      expect(deadline(last, 'final-response').map((d) => [d.dueAt, d.status])).toEqual([
        [at({ days: 56, hours: -1 }), 'met'],
        [at({ days: 60, hours: -1 }), 'met'],
        [at({ days: 65, hours: -1 }), 'pending'],
      ]);
      expect(deadline(last, 'acknowledgement')).toEqual([
        { kind: 'acknowledgement', dueAt: '2025-03-04T23:59:59.999Z', policyVersion: 'FCA@2026-11', status: 'pending' },
      ]);
    });
  });

  describe('withdrawal', () => {
    it('shows the case withdrawn, with the reason, and cancels every running deadline', () => {
      const view = given(
        received(),
        acknowledged(at({ hours: 1 })),
        e('ComplaintWithdrawn', { reason: 'Found it at a neighbour' }, { by: CUSTOMER, at: at({ hours: 5 }) }),
      );
      expect(view.status).toBe('withdrawn');
      expect(view.withdrawal).toEqual({ reason: 'Found it at a neighbour' });
      expect(view.timestamps.withdrawnAt).toBe(at({ hours: 5 }));
      expect(view.deadlines.map((d) => [d.kind, d.status])).toEqual([
        ['acknowledgement', 'met'],
        ['final-response', 'cancelled'],
      ]);
    });

    it('keeps an empty withdrawal when no reason was given', () => {
      expect(given(received(), e('ComplaintWithdrawn', {}, { by: CUSTOMER, at: at({ hours: 1 }) })).withdrawal).toEqual({});
    });
  });

  describe('DeadlineBreached', () => {
    const breach = (kind: DeadlineView['kind'], dueAt: string, when: string, policyVersion = 'default@2026-01') =>
      e('DeadlineBreached', { kind, dueAt, policyVersion }, { by: CLOCK, at: when });

    it('marks the matching deadline breached and the case breached', () => {
      const view = given(received(), breach('acknowledgement', at({ hours: 24 }), at({ hours: 24, minutes: 1 })));
      expect(deadline(view, 'acknowledgement')).toEqual([
        {
          kind: 'acknowledgement',
          dueAt: at({ hours: 24 }),
          policyVersion: 'default@2026-01',
          status: 'breached',
          breachedAt: expect.any(String),
          breachRecorded: true,
        },
      ]);
      expect(deadline(view, 'final-response')[0].status).toBe('pending');
      expect(view.breached).toBe(true);
      expect(view.status).toBe('received');
    });

    it('stays breached when the late answer arrives afterwards', () => {
      const view = given(
        received(),
        breach('acknowledgement', at({ hours: 24 }), at({ hours: 24, minutes: 1 })),
        acknowledged(at({ hours: 26 })),
      );
      expect(deadline(view, 'acknowledgement')[0]).toMatchObject({ status: 'breached' });
      expect(view.breached).toBe(true);
      expect(view.timestamps.acknowledgedAt).toBe(at({ hours: 26 }));
      expect(view.status).toBe('acknowledged');
    });

    it('leaves a deadline of the same kind but another due date alone', () => {
      const view = given(
        received(),
        assessed(at({ hours: 2 })),
        resolved(at({ days: 3 })),
        reopened(at({ days: 4 })),
        breach('follow-up', at({ days: 11 }), at({ days: 11 })),
      );
      expect(deadline(view, 'follow-up').map((d) => d.status)).toEqual(['cancelled']);
      expect(view.breached).toBe(false);
    });

    it('marks the follow-up breached after resolution', () => {
      const view = given(
        received(),
        assessed(at({ hours: 2 })),
        resolved(at({ days: 3 })),
        breach('follow-up', at({ days: 10 }), at({ days: 10, hours: 1 })),
      );
      expect(deadline(view, 'follow-up')[0]).toMatchObject({ dueAt: at({ days: 10 }), status: 'breached' });
      expect(view.breached).toBe(true);
      expect(view.status).toBe('resolved');
    });
  });
});
