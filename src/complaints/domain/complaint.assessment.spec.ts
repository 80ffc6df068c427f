import { DomainRuleViolation } from '../../core/errors';
import { DeciderSpecification } from '../../../test/support/decider-specification';
import { complaintDecider } from './complaint.decider';
import {
  CUSTOMER, T0, after, assessed, command, event, justifiedCase, openCase, planCommunicated, received, resolvedCase,
} from './complaint.test-fixtures';
import type { Justified, RootCause } from './complaint.vocabulary';

const spec = DeciderSpecification.for(complaintDecider());

describe('Complaint assessment, plan and system fix', () => {
  describe('AssessComplaint', () => {
    const assess = command('AssessComplaint', { category: 'billing', severity: 'high', justified: 'partly', rootCause: 'systemic', findings: 'Rounding bug' });
    const assessedEvent = event('ComplaintAssessed', { category: 'billing', severity: 'high', justified: 'partly', rootCause: 'systemic', findings: 'Rounding bug' });

    it('assesses an open case', () => spec.given(openCase()).when(assess).then([assessedEvent]));

    it('reassesses an assessed open case (new findings)', () => spec.given(justifiedCase()).when(assess).then([assessedEvent]));

    it('refuses on a resolved case', () => spec.given(resolvedCase()).when(assess).thenThrows(DomainRuleViolation, 'case-not-open'));
  });

  describe('IssueApology', () => {
    const apologise = command('IssueApology', { channel: 'letter', message: 'We are sorry' });
    const apologised = event('ApologyIssued', { channel: 'letter', message: 'We are sorry' });

    it('apologises on an open case', () => spec.given(justifiedCase()).when(apologise).then([apologised]));
    it('apologises on a resolved case', () => spec.given(resolvedCase()).when(apologise).then([apologised]));
  });

  describe('ExplainDecision', () => {
    const explain = command('ExplainDecision', { channel: 'email', message: 'The parcel was signed for' });
    const explained = event('ExplanationGiven', { channel: 'email', message: 'The parcel was signed for' });

    it.each<Justified>(['no', 'partly'])('explains a complaint assessed justified "%s"', (justified) =>
      spec.given([received(), assessed(justified)]).when(explain).then([explained]));

    it('explains on a resolved, unjustified complaint', () =>
      spec.given([received(), assessed('no'), event('ComplaintResolved', { resolution: 'Explained', outcome: 'rejected' })])
        .when(explain).then([explained]));

    it('refuses for a justified complaint', () =>
      spec.given(justifiedCase()).when(explain).thenThrows(DomainRuleViolation, 'explanation-needs-unjustified-assessment'));

    it('refuses before any assessment', () =>
      spec.given(openCase()).when(explain).thenThrows(DomainRuleViolation, 'explanation-needs-unjustified-assessment'));
  });

  describe('CommunicateResolutionPlan', () => {
    const dueBy = after({ days: 7 });
    const communicate = (planId = 'plan-1', due = dueBy) => command('CommunicateResolutionPlan', { planId, actions: ['send a replacement', 'refund postage'], dueBy: due });
    const communicated = (planId = 'plan-1') => event('ResolutionPlanCommunicated', { planId, actions: ['send a replacement', 'refund postage'], dueBy });

    it('communicates a plan', () => spec.given(justifiedCase()).when(communicate()).then([communicated()]));

    it('supersedes a plan still awaiting the customer', () =>
      spec.given([...justifiedCase(), planCommunicated('plan-1')]).when(communicate('plan-2')).then([communicated('plan-2')]));

    it('replaces a rejected plan', () =>
      spec.given([...justifiedCase(), planCommunicated('plan-1'), event('ResolutionPlanRejected', { planId: 'plan-1' }, { by: CUSTOMER })])
        .when(communicate('plan-2')).then([communicated('plan-2')]));

    it('refuses a plan due at the moment it is communicated', () =>
      spec.given(justifiedCase()).when(communicate('plan-1', T0)).thenThrows(DomainRuleViolation, 'plan-due-in-past'));

    it('refuses a plan due in the past', () =>
      spec.given(justifiedCase()).when(communicate('plan-1', '2025-01-01T00:00:00.000Z')).thenThrows(DomainRuleViolation, 'plan-due-in-past'));

    it('refuses on a resolved case', () =>
      spec.given(resolvedCase()).when(communicate()).thenThrows(DomainRuleViolation, 'case-not-open'));
  });

  describe('RecordPlanResponse', () => {
    const respond = (response: 'accepted' | 'rejected') => command('RecordPlanResponse', { response, comment: 'ok' }, { by: CUSTOMER });

    it('records the customer accepting the current plan', () =>
      spec.given([...justifiedCase(), planCommunicated('plan-1')]).when(respond('accepted')).then([
        event('ResolutionPlanAccepted', { planId: 'plan-1', comment: 'ok' }, { by: CUSTOMER }),
      ]));

    it('records the customer rejecting the current plan', () =>
      spec.given([...justifiedCase(), planCommunicated('plan-1')]).when(respond('rejected')).then([
        event('ResolutionPlanRejected', { planId: 'plan-1', comment: 'ok' }, { by: CUSTOMER }),
      ]));

    it('answers the plan that superseded the earlier one', () =>
      spec.given([...justifiedCase(), planCommunicated('plan-1'), planCommunicated('plan-2')]).when(respond('accepted')).then([
        event('ResolutionPlanAccepted', { planId: 'plan-2', comment: 'ok' }, { by: CUSTOMER }),
      ]));

    it('refuses when no plan was communicated', () =>
      spec.given(justifiedCase()).when(respond('accepted')).thenThrows(DomainRuleViolation, 'no-plan-to-respond-to'));

    it('refuses when the plan was already answered', () =>
      spec.given([...justifiedCase(), planCommunicated('plan-1'), event('ResolutionPlanAccepted', { planId: 'plan-1' }, { by: CUSTOMER })])
        .when(respond('rejected')).thenThrows(DomainRuleViolation, 'plan-already-answered'));

    it('refuses on a resolved case', () =>
      spec.given([...justifiedCase(), planCommunicated('plan-1'), event('ComplaintResolved', { resolution: 'r', outcome: 'upheld' })])
        .when(respond('accepted')).thenThrows(DomainRuleViolation, 'case-not-open'));
  });

  describe('ApplySystemFix', () => {
    const fix = (fixId = 'fix-1') => command('ApplySystemFix', {
      fixId, description: 'Round half-even', procedureChange: 'Billing uses banker\'s rounding', effectiveFrom: T0, customerNotified: true,
    });
    const fixed = (fixId = 'fix-1') => event('SystemFixApplied', {
      fixId, description: 'Round half-even', procedureChange: 'Billing uses banker\'s rounding', effectiveFrom: T0, customerNotified: true,
    });

    it.each<Justified>(['yes', 'partly'])('applies a fix to a systemic complaint assessed justified "%s"', (justified) =>
      spec.given([received(), assessed(justified, 'systemic')]).when(fix()).then([fixed()]));

    it('applies a fix after resolution (the change may come later)', () =>
      spec.given([...justifiedCase('systemic'), event('ComplaintResolved', { resolution: 'r', outcome: 'upheld' })]).when(fix()).then([fixed()]));

    it('applies a second, different fix', () =>
      spec.given([...justifiedCase('systemic'), fixed('fix-1')]).when(fix('fix-2')).then([fixed('fix-2')]));

    it.each<RootCause>(['one-off', 'customer-error', 'third-party', 'unknown'])('refuses for root cause "%s"', (rootCause) =>
      spec.given(justifiedCase(rootCause)).when(fix()).thenThrows(DomainRuleViolation, 'system-fix-needs-systemic-root-cause'));

    it('refuses for a systemic but unjustified complaint', () =>
      spec.given([received(), assessed('no', 'systemic')]).when(fix()).thenThrows(DomainRuleViolation, 'system-fix-needs-systemic-root-cause'));

    it('refuses before any assessment', () =>
      spec.given(openCase()).when(fix()).thenThrows(DomainRuleViolation, 'system-fix-needs-systemic-root-cause'));

    it('refuses a fix id already applied', () =>
      spec.given([...justifiedCase('systemic'), fixed('fix-1')]).when(fix('fix-1')).thenThrows(DomainRuleViolation, 'fix-already-applied'));
  });
});
