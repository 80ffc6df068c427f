import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import { CUSTOMER, command, event, justifiedCase, planCommunicated } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('RecordPlanResponse', () => {
  const respond = (response: 'accepted' | 'rejected') => command('RecordPlanResponse', { response, comment: 'ok' }, { by: CUSTOMER });

  it('records the customer accepting the current plan', () =>
    spec
      .given([...justifiedCase(), planCommunicated('plan-1')])
      .when(respond('accepted'))
      .then([event('ResolutionPlanAccepted', { planId: 'plan-1', comment: 'ok' }, { by: CUSTOMER })]));

  it('records the customer rejecting the current plan', () =>
    spec
      .given([...justifiedCase(), planCommunicated('plan-1')])
      .when(respond('rejected'))
      .then([event('ResolutionPlanRejected', { planId: 'plan-1', comment: 'ok' }, { by: CUSTOMER })]));

  it('answers the plan that superseded the earlier one', () =>
    spec
      .given([...justifiedCase(), planCommunicated('plan-1'), planCommunicated('plan-2')])
      .when(respond('accepted'))
      .then([event('ResolutionPlanAccepted', { planId: 'plan-2', comment: 'ok' }, { by: CUSTOMER })]));

  it('refuses when no plan was communicated', () =>
    spec.given(justifiedCase()).when(respond('accepted')).thenThrows(DomainRuleViolation, 'no-plan-to-respond-to'));

  it('refuses when the plan was already answered', () =>
    spec
      .given([...justifiedCase(), planCommunicated('plan-1'), event('ResolutionPlanAccepted', { planId: 'plan-1' }, { by: CUSTOMER })])
      .when(respond('rejected'))
      .thenThrows(DomainRuleViolation, 'plan-already-answered'));

  it('refuses on a resolved case', () =>
    spec
      .given([...justifiedCase(), planCommunicated('plan-1'), event('ComplaintResolved', { resolution: 'r', outcome: 'upheld' })])
      .when(respond('accepted'))
      .thenThrows(DomainRuleViolation, 'case-not-open'));
});
