import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import { CUSTOMER, T0, after, command, event, justifiedCase, planCommunicated, resolvedCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('CommunicateResolutionPlan', () => {
  const dueBy = after({ days: 7 });
  const communicate = (planId = 'plan-1', due = dueBy) =>
    command('CommunicateResolutionPlan', { planId, actions: ['send a replacement', 'refund postage'], dueBy: due });
  const communicated = (planId = 'plan-1') =>
    event('ResolutionPlanCommunicated', { planId, actions: ['send a replacement', 'refund postage'], dueBy });

  it('communicates a plan', () => spec.given(justifiedCase()).when(communicate()).then([communicated()]));

  it('supersedes a plan still awaiting the customer', () =>
    spec
      .given([...justifiedCase(), planCommunicated('plan-1')])
      .when(communicate('plan-2'))
      .then([communicated('plan-2')]));

  it('replaces a rejected plan', () =>
    spec
      .given([...justifiedCase(), planCommunicated('plan-1'), event('ResolutionPlanRejected', { planId: 'plan-1' }, { by: CUSTOMER })])
      .when(communicate('plan-2'))
      .then([communicated('plan-2')]));

  it('refuses a plan due at the moment it is communicated', () =>
    spec.given(justifiedCase()).when(communicate('plan-1', T0)).thenThrows(DomainRuleViolation, 'plan-due-in-past'));

  it('refuses a plan due in the past', () =>
    spec
      .given(justifiedCase())
      .when(communicate('plan-1', '2025-01-01T00:00:00.000Z'))
      .thenThrows(DomainRuleViolation, 'plan-due-in-past'));

  it('refuses on a resolved case', () => spec.given(resolvedCase()).when(communicate()).thenThrows(DomainRuleViolation, 'case-not-open'));
});
