import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { customerDecider } from '../../domain/customer.decider';
import type { CustomerEvent } from '../../domain/customer.events';
import { SHOP, referral } from '../../domain/customer.test-fixtures';

const spec = DeciderSpecification.for(customerDecider);

describe('RecordReferral', () => {
  it('records referrals once per id', () => {
    spec
      .given([])
      .when(referral('r1'))
      .then([{ type: 'ReferralRecorded', data: { customerId: 'c1', referralId: 'r1', at: '2025-04-02T10:00:00.000Z', by: SHOP } }]);
    const referred: CustomerEvent = {
      type: 'ReferralRecorded',
      data: { customerId: 'c1', referralId: 'r1', at: '2025-04-02T10:00:00.000Z', by: SHOP },
    };
    spec.given([referred]).when(referral('r1')).thenThrows(DomainRuleViolation, 'referral-already-recorded');
  });
});
