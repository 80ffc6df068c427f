import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { customerDecider } from '../../domain/customer.decider';
import { purchase, purchased } from '../../domain/customer.test-fixtures';

const spec = DeciderSpecification.for(customerDecider);

describe('RecordPurchase', () => {
  it('records a purchase', () => {
    spec
      .given([])
      .when(purchase('o1', 4999))
      .then([purchased('o1', 4999)]);
    spec
      .given([purchased('o1')])
      .when(purchase('o2', 0))
      .then([purchased('o2', 0)]);
  });

  it('refuses an order recorded before, whatever it says (the command path answers identical repeats from the log)', () => {
    spec
      .given([purchased('o1')])
      .when(purchase('o1', 1000))
      .thenThrows(DomainRuleViolation, 'order-already-recorded');
    spec
      .given([purchased('o1')])
      .when(purchase('o1', 2000))
      .thenThrows(DomainRuleViolation, (error) => {
        expect(error.rule).toBe('order-already-recorded');
        expect(error.message).toContain('recorded as 1000 GBP at 2025-04-01T10:00:00.000Z');
      });
  });
});
