import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import { CUSTOMER, command, event, justifiedCase, openCase, resolvedCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('WithdrawComplaint', () => {
  it('withdraws an open complaint with a reason', () =>
    spec
      .given(openCase())
      .when(command('WithdrawComplaint', { reason: 'Found the parcel' }, { by: CUSTOMER }))
      .then([event('ComplaintWithdrawn', { reason: 'Found the parcel' }, { by: CUSTOMER })]));

  it('withdraws an open complaint without a reason', () =>
    spec
      .given(justifiedCase())
      .when(command('WithdrawComplaint', {}, { by: CUSTOMER }))
      .then([event('ComplaintWithdrawn', {}, { by: CUSTOMER })]));

  it('refuses a resolved complaint', () =>
    spec
      .given(resolvedCase())
      .when(command('WithdrawComplaint', {}, { by: CUSTOMER }))
      .thenThrows(DomainRuleViolation, 'case-not-open'));
});
