import { fold } from '../../core/decider';
import type { ComplaintEvent } from './complaint.events';
import { caseExists, evolve, initialComplaintState, type ComplaintCase, type ComplaintState } from './complaint.state';
import {
  ACK_DUE,
  AGENT,
  FINAL_DUE,
  CASE_ID,
  CUSTOMER,
  CUSTOMER_ID,
  ORDER_VALUE,
  SUPERVISOR,
  T0,
  after,
  approvalRequested,
  assessed,
  closed,
  event,
  followedUp,
  offered,
  planCommunicated,
  received,
  reopened,
  resolved,
  withdrawn,
} from './complaint.test-fixtures';

const stateOf = (events: ComplaintEvent[]): ComplaintState => fold({ initialState: initialComplaintState, evolve }, events);

function caseOf(events: ComplaintEvent[]): ComplaintCase {
  const state = stateOf(events);
  if (!caseExists(state)) throw new Error('expected a case');
  return state;
}

describe('ComplaintState (evolve)', () => {
  it('starts with no case', () => {
    expect(initialComplaintState).toEqual({ status: 'none' });
    expect(caseExists(initialComplaintState)).toBe(false);
  });

  it('ignores events before the complaint is received', () => {
    expect(stateOf([assessed('yes'), resolved()])).toEqual({ status: 'none' });
  });

  it('opens the case on receipt', () => {
    expect(caseOf([received()])).toEqual({
      status: 'open',
      caseId: CASE_ID,
      customerId: CUSTOMER_ID,
      regime: 'default',
      orderValue: ORDER_VALUE,
      receivedAt: T0,
      policyVersion: 'default@2026-01',
      deadlineHistory: [
        { kind: 'acknowledgement', dueAt: ACK_DUE, policyVersion: 'default@2026-01', status: 'pending' },
        { kind: 'substantive-response', status: 'pending' },
        { kind: 'final-response', dueAt: FINAL_DUE, policyVersion: 'default@2026-01', status: 'pending' },
      ],
      escalationLevel: 0,
      goodwillOffers: {},
      fixIds: [],
      followUpCompleted: false,
      reopenCount: 0,
      withdrawn: false,
    });
  });

  it('ignores a second receipt', () => {
    expect(caseOf([received(), received({ at: after({ days: 1 }) })]).receivedAt).toBe(T0);
  });

  it('keeps the first acknowledgement', () => {
    const ack = (at: string) => event('ComplaintAcknowledged', { channel: 'email', message: 'm' }, { at });
    expect(caseOf([received(), ack(after({ hours: 1 })), ack(after({ hours: 5 }))]).acknowledgedAt).toBe(after({ hours: 1 }));
  });

  it('tracks assignee, escalation level, assessment and fixes', () => {
    const state = caseOf([
      received(),
      event('CaseAssigned', { agentId: 'agent-bob', team: 'returns' }),
      event('CaseEscalated', { level: 2, reason: 'r' }),
      assessed('partly', 'systemic'),
      event('SystemFixApplied', { fixId: 'fix-1', description: 'd', procedureChange: 'p', effectiveFrom: T0, customerNotified: false }),
    ]);
    expect(state.assignee).toEqual({ agentId: 'agent-bob', team: 'returns' });
    expect(state.escalationLevel).toBe(2);
    expect(state.assessment).toEqual({ justified: 'partly', rootCause: 'systemic', category: 'delivery', severity: 'medium' });
    expect(state.fixIds).toEqual(['fix-1']);
  });

  it('tracks the latest plan and its answer', () => {
    const dueBy = after({ days: 7 });
    expect(caseOf([received(), planCommunicated('plan-1')]).plan).toEqual({ planId: 'plan-1', dueBy, status: 'pending' });
    expect(caseOf([received(), planCommunicated('plan-1'), event('ResolutionPlanAccepted', { planId: 'plan-1' })]).plan?.status).toBe(
      'accepted',
    );
    expect(caseOf([received(), planCommunicated('plan-1'), event('ResolutionPlanRejected', { planId: 'plan-1' })]).plan?.status).toBe(
      'rejected',
    );
    expect(caseOf([received(), planCommunicated('plan-1'), planCommunicated('plan-2')]).plan?.planId).toBe('plan-2');
  });

  it('ignores an answer to a superseded plan', () => {
    expect(
      caseOf([received(), planCommunicated('plan-1'), planCommunicated('plan-2'), event('ResolutionPlanAccepted', { planId: 'plan-1' })])
        .plan,
    ).toMatchObject({ planId: 'plan-2', status: 'pending' });
  });

  describe('goodwill offers', () => {
    it("an offer alone is approved (within the offering actor's limit)", () => {
      expect(caseOf([received(), offered('o-1', 500)]).goodwillOffers).toEqual({
        'o-1': { offerId: 'o-1', kind: 'coupon', amount: 500, currency: 'EUR', offeredBy: AGENT, status: 'approved' },
      });
    });

    it('an offer followed by an approval request is pending approval', () => {
      expect(caseOf([received(), offered('o-1', 9000), approvalRequested('o-1')]).goodwillOffers['o-1'].status).toBe('pending-approval');
    });

    it.each([
      ['GoodwillApproved', 'approved'],
      ['GoodwillRejected', 'rejected'],
    ] as const)('%s makes a pending offer %s', (type, status) => {
      const decision =
        type === 'GoodwillApproved'
          ? event('GoodwillApproved', { offerId: 'o-1' }, { by: SUPERVISOR })
          : event('GoodwillRejected', { offerId: 'o-1', reason: 'r' }, { by: SUPERVISOR });
      expect(caseOf([received(), offered('o-1', 9000), approvalRequested('o-1'), decision]).goodwillOffers['o-1'].status).toBe(status);
    });

    it("follows the customer's answer and fulfilment", () => {
      const history = [received(), offered('o-1', 500), event('GoodwillAccepted', { offerId: 'o-1' }, { by: CUSTOMER })];
      expect(caseOf(history).goodwillOffers['o-1'].status).toBe('accepted');
      expect(caseOf([...history, event('GoodwillFulfilled', { offerId: 'o-1' })]).goodwillOffers['o-1'].status).toBe('fulfilled');
      expect(
        caseOf([received(), offered('o-1', 500), event('GoodwillDeclined', { offerId: 'o-1' }, { by: CUSTOMER })]).goodwillOffers['o-1']
          .status,
      ).toBe('declined');
    });

    it('ignores events about an unknown offer', () => {
      expect(caseOf([received(), event('GoodwillApproved', { offerId: 'nope' }, { by: SUPERVISOR })]).goodwillOffers).toEqual({});
    });
  });

  describe('lifecycle', () => {
    it('resolution records instant and outcome', () => {
      expect(caseOf([received(), assessed('yes'), resolved('partially-upheld', { at: after({ days: 3 }) })])).toMatchObject({
        status: 'resolved',
        resolvedAt: after({ days: 3 }),
        outcome: 'partially-upheld',
        followUpCompleted: false,
      });
    });

    it('follow-up is recorded against the resolution', () => {
      expect(caseOf([received(), assessed('yes'), resolved(), followedUp()]).followUpCompleted).toBe(true);
    });

    it('closure records instant and reason', () => {
      expect(caseOf([received(), closed('duplicate', { at: after({ days: 1 }) })])).toMatchObject({
        status: 'closed',
        closedAt: after({ days: 1 }),
        closeReason: 'duplicate',
      });
    });

    it('withdrawal marks the case withdrawn, and stays marked once closed', () => {
      expect(caseOf([received(), withdrawn()])).toMatchObject({ status: 'withdrawn', withdrawn: true });
      expect(caseOf([received(), withdrawn(), closed('withdrawn')])).toMatchObject({ status: 'closed', withdrawn: true });
    });

    it('a reopen returns the case to open, clears resolution, follow-up and closure, and counts', () => {
      const state = caseOf([received(), assessed('yes'), resolved(), followedUp(), closed(), reopened()]);
      expect(state).toMatchObject({ status: 'open', followUpCompleted: false, reopenCount: 1, withdrawn: false });
      expect(state.resolvedAt).toBeUndefined();
      expect(state.outcome).toBeUndefined();
      expect(state.closedAt).toBeUndefined();
      expect(state.closeReason).toBeUndefined();
      expect(state.assessment?.justified).toBe('yes');
    });

    it('counts every reopen', () => {
      expect(caseOf([received(), assessed('yes'), resolved(), reopened(), resolved(), reopened()]).reopenCount).toBe(2);
    });
  });

  it('never mutates the state it is given', () => {
    const before = caseOf([received(), offered('o-1', 500)]);
    const snapshot = structuredClone(before);
    evolve(before, event('GoodwillAccepted', { offerId: 'o-1' }, { by: CUSTOMER }));
    evolve(before, reopened());
    expect(before).toEqual(snapshot);
  });
});
