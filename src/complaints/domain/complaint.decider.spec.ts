import { join } from 'node:path';
import { fold } from '../../core/decider';
import { DomainRuleViolation } from '../../core/errors';
import { DeciderSpecification } from '../../../test/support/decider-specification';
import { moduleSpecSources } from '../../../test/support/module-specs';
import {
  COMPLAINT_RULES,
  COMPLAINT_STREAM_PREFIX,
  complaintDecider,
  complaintStreamName,
  type ComplaintCommand,
} from './complaint.decider';
import type { ComplaintEvent } from './complaint.events';
import { violation } from './complaint.rules';
import { AGENT, CASE_ID, CUSTOMER, CUSTOMER_ID, ORDER_VALUE, SUPERVISOR, T0, after, command } from './complaint.test-fixtures';

describe('complaintDecider', () => {
  it('names the stream of a case', () => {
    expect(complaintStreamName('42')).toBe('complaint-42');
    expect(complaintStreamName('42').startsWith(COMPLAINT_STREAM_PREFIX)).toBe(true);
  });

  it('starts from no case', () => {
    expect(complaintDecider().initialState).toEqual({ status: 'none' });
  });

  it('runs a whole service recovery: receive, listen, assess, fix, make good, resolve, follow up, close', () => {
    const decider = complaintDecider();
    const journey: ComplaintCommand[] = [
      command(
        'ReceiveComplaint',
        { caseId: CASE_ID, customerId: CUSTOMER_ID, channel: 'web', summary: 'Charged twice', orderValue: ORDER_VALUE, regime: 'FCA' },
        { by: CUSTOMER },
      ),
      command('AcknowledgeComplaint', { channel: 'email', message: 'We are on it' }, { at: after({ minutes: 30 }) }),
      command(
        'LogCustomerContact',
        { direction: 'outbound', channel: 'phone', summary: 'Listened to the customer' },
        { at: after({ hours: 2 }) },
      ),
      command('AssignCase', { agentId: AGENT.id, team: 'billing' }, { by: SUPERVISOR, at: after({ hours: 2 }) }),
      command(
        'AssessComplaint',
        { category: 'billing', severity: 'high', justified: 'yes', rootCause: 'systemic', findings: 'Retry charged twice' },
        { at: after({ hours: 3 }) },
      ),
      command('IssueApology', { channel: 'phone', message: 'We are sorry' }, { at: after({ hours: 3 }) }),
      command(
        'CommunicateResolutionPlan',
        { planId: 'plan-1', actions: ['refund the double charge', 'fix retries'], dueBy: after({ days: 3 }) },
        { at: after({ hours: 4 }) },
      ),
      command('RecordPlanResponse', { response: 'accepted' }, { by: CUSTOMER, at: after({ hours: 5 }) }),
      command(
        'OfferGoodwill',
        { offerId: 'refund-1', kind: 'partial-refund', amount: 10_000, currency: 'EUR', withoutAdmission: false },
        { at: after({ hours: 5 }) },
      ),
      command('ApproveGoodwill', { offerId: 'refund-1' }, { by: SUPERVISOR, at: after({ hours: 6 }) }),
      command('RecordGoodwillResponse', { offerId: 'refund-1', response: 'accepted' }, { by: CUSTOMER, at: after({ hours: 7 }) }),
      command('FulfilGoodwill', { offerId: 'refund-1', reference: 'refund-tx-1' }, { at: after({ days: 1 }) }),
      command(
        'ApplySystemFix',
        {
          fixId: 'fix-1',
          description: 'Idempotent retries',
          procedureChange: 'Retries carry a key',
          effectiveFrom: after({ days: 2 }),
          customerNotified: true,
        },
        { at: after({ days: 2 }) },
      ),
      command('ResolveComplaint', { resolution: 'Refunded and fixed', outcome: 'upheld' }, { at: after({ days: 2 }) }),
      command('CompleteFollowUp', { satisfied: true, csat: 5, nps: 9 }, { by: CUSTOMER, at: after({ days: 9 }) }),
      command('CloseCase', {}, { at: after({ days: 9 }) }),
    ];
    const history = journey.reduce<ComplaintEvent[]>((events, next) => [...events, ...decider.decide(next, fold(decider, events))], []);

    expect(history.map((e) => e.type)).toEqual([
      'ComplaintReceived',
      'ComplaintAcknowledged',
      'CustomerContactLogged',
      'CaseAssigned',
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
    expect(fold(decider, history)).toMatchObject({
      status: 'closed',
      closeReason: 'follow-up-completed',
      acknowledgedAt: after({ minutes: 30 }),
      receivedAt: T0,
      fixIds: ['fix-1'],
    });
  });

  it('does not touch the state it decides on', () => {
    const decider = complaintDecider();
    const state = fold(
      decider,
      decider.decide(
        command('ReceiveComplaint', { caseId: CASE_ID, customerId: CUSTOMER_ID, channel: 'web', summary: 's', regime: 'default' }),
        decider.initialState,
      ),
    );
    const snapshot = structuredClone(state);
    decider.decide(command('OfferGoodwill', { offerId: 'o', kind: 'coupon', amount: 1, currency: 'EUR', withoutAdmission: true }), state);
    expect(state).toEqual(snapshot);
  });
});

describe('complaint rules', () => {
  it('say each rule in words, with the code on the error', () => {
    const error = violation('case-closed');
    expect(error).toBeInstanceOf(DomainRuleViolation);
    expect(error.rule).toBe('case-closed');
    expect(error.message).toBe(COMPLAINT_RULES['case-closed']);
    expect(violation('case-not-open', 'The case is resolved.').message).toBe(`${COMPLAINT_RULES['case-not-open']} The case is resolved.`);
  });

  it('are each refused by at least one spec (every rule code appears in a thenThrows)', () => {
    const specs = moduleSpecSources(join(__dirname, '..'));
    const specified = new Set([...specs.matchAll(/thenThrows\(DomainRuleViolation, '([a-z-]+)'\)/g)].map((match) => match[1]));
    expect(Object.keys(COMPLAINT_RULES).filter((rule) => !specified.has(rule))).toEqual([]);
  });

  it('exposes the spec helper failing when a refused command is accepted', () => {
    const spec = DeciderSpecification.for(complaintDecider());
    expect(() =>
      spec
        .given([])
        .when(command('ReceiveComplaint', { caseId: 'c', customerId: 'x', channel: 'web', summary: 's', regime: 'default' }))
        .thenThrows(DomainRuleViolation, 'case-already-received'),
    ).toThrow(/was accepted/);
  });
});
