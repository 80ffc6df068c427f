import { DomainRuleViolation, NotFoundError } from '../../core/errors';
import { DeciderSpecification } from '../../../test/support/decider-specification';
import { complaintDecider } from './complaint.decider';
import {
  CASE_COMMAND_EXAMPLES,
  CUSTOMER,
  assessed,
  closedCase,
  command,
  event,
  offered,
  received,
  withdrawnCase,
} from './complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('The case lifecycle', () => {
  describe('any other command before the complaint is received', () => {
    it.each(CASE_COMMAND_EXAMPLES.map((c) => [c.type, c] as const))('%s is refused as not found', (_type, anyCommand) =>
      spec
        .given([])
        .when(anyCommand)
        .thenThrows(NotFoundError, (error) => expect(error.message).toMatch(/does not exist/)),
    );
  });

  describe('on a closed case', () => {
    const allButReopen = CASE_COMMAND_EXAMPLES.filter((c) => c.type !== 'ReopenCase');
    it.each(allButReopen.map((c) => [c.type, c] as const))('%s is refused', (_type, anyCommand) =>
      spec.given(closedCase()).when(anyCommand).thenThrows(DomainRuleViolation, 'case-closed'),
    );
  });

  describe('on a withdrawn case', () => {
    const allowed = new Set(['CloseCase', 'LogCustomerContact', 'FulfilGoodwill']);
    const refused = CASE_COMMAND_EXAMPLES.filter((c) => !allowed.has(c.type));
    it.each(refused.map((c) => [c.type, c] as const))('%s is refused', (_type, anyCommand) =>
      spec.given(withdrawnCase()).when(anyCommand).thenThrows(DomainRuleViolation, 'case-withdrawn'),
    );
  });

  describe('the withdrawn case still honours accepted goodwill', () => {
    it('fulfils goodwill the customer accepted before withdrawing', () =>
      spec
        .given([
          received(),
          assessed('yes'),
          offered('offer-1', 1000),
          event('GoodwillAccepted', { offerId: 'offer-1' }, { by: CUSTOMER }),
          event('ComplaintWithdrawn', {}, { by: CUSTOMER }),
        ])
        .when(command('FulfilGoodwill', { offerId: 'offer-1' }))
        .then([event('GoodwillFulfilled', { offerId: 'offer-1' })]));
  });
});
