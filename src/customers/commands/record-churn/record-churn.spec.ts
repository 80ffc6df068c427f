import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { customerDecider } from '../../domain/customer.decider';
import { SHOP, churn, churned, purchased } from '../../domain/customer.test-fixtures';

const spec = DeciderSpecification.for(customerDecider);

describe('RecordChurn', () => {
  it('records churn once, until the customer buys again', () => {
    spec
      .given([purchased('o1')])
      .when(churn(undefined, 'Moved'))
      .then([{ type: 'CustomerChurned', data: { customerId: 'c1', reason: 'Moved', at: '2025-04-03T10:00:00.000Z', by: SHOP } }]);
    spec
      .given([purchased('o1'), churned()])
      .when(churn('2025-04-04T10:00:00.000Z'))
      .thenThrows(DomainRuleViolation, 'customer-already-churned');
    spec
      .given([churned(), purchased('o2', 5, '2025-04-05T00:00:00.000Z')])
      .when(churn('2025-04-06T00:00:00.000Z'))
      .then([churned('2025-04-06T00:00:00.000Z')]);
    // An order imported late, dated before the churn, does not undo it.
    spec
      .given([churned(), purchased('o0', 5, '2025-03-01T00:00:00.000Z')])
      .when(churn('2025-04-06T00:00:00.000Z'))
      .thenThrows(DomainRuleViolation, 'customer-already-churned');
  });
});
