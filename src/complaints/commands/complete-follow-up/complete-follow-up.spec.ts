import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import {
  CUSTOMER,
  command,
  event,
  followedUpCase,
  justifiedCase,
  reopened,
  resolved,
  resolvedCase,
} from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('CompleteFollowUp', () => {
  const followUp = (csat: number, nps?: number) =>
    command('CompleteFollowUp', { satisfied: true, csat, ...(nps !== undefined && { nps }), comment: 'Great' }, { by: CUSTOMER });

  it('records satisfaction with CSAT and NPS', () =>
    spec
      .given(resolvedCase())
      .when(followUp(5, 9))
      .then([event('FollowUpCompleted', { satisfied: true, csat: 5, nps: 9, comment: 'Great' }, { by: CUSTOMER })]));

  it('records satisfaction without NPS', () =>
    spec
      .given(resolvedCase())
      .when(followUp(1))
      .then([event('FollowUpCompleted', { satisfied: true, csat: 1, comment: 'Great' }, { by: CUSTOMER })]));

  it('accepts the bounds: NPS 0 and 10', () => {
    spec
      .given(resolvedCase())
      .when(followUp(3, 0))
      .then([event('FollowUpCompleted', { satisfied: true, csat: 3, nps: 0, comment: 'Great' }, { by: CUSTOMER })]);
    spec
      .given(resolvedCase())
      .when(followUp(3, 10))
      .then([event('FollowUpCompleted', { satisfied: true, csat: 3, nps: 10, comment: 'Great' }, { by: CUSTOMER })]);
  });

  it('follows up a new resolution after a reopen', () =>
    spec
      .given([...followedUpCase(), reopened(), resolved()])
      .when(followUp(4))
      .then([event('FollowUpCompleted', { satisfied: true, csat: 4, comment: 'Great' }, { by: CUSTOMER })]));

  it('refuses on an open case', () =>
    spec.given(justifiedCase()).when(followUp(5)).thenThrows(DomainRuleViolation, 'follow-up-needs-resolution'));

  it('refuses a second follow-up of the same resolution', () =>
    spec.given(followedUpCase()).when(followUp(5)).thenThrows(DomainRuleViolation, 'follow-up-already-completed'));

  it.each([0, 6, 3.5])('refuses CSAT %p', (csat) =>
    spec.given(resolvedCase()).when(followUp(csat)).thenThrows(DomainRuleViolation, 'csat-out-of-range'),
  );

  it.each([-1, 11, 7.5])('refuses NPS %p', (nps) =>
    spec.given(resolvedCase()).when(followUp(4, nps)).thenThrows(DomainRuleViolation, 'nps-out-of-range'),
  );
});
