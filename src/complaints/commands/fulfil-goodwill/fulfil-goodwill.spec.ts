import { DomainRuleViolation, NotFoundError } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import {
  CUSTOMER,
  accepted,
  approved,
  command,
  event,
  justifiedCase,
  offered,
  pendingOffer,
  resolved,
} from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('FulfilGoodwill', () => {
  const fulfil = (offerId = 'offer-1') => command('FulfilGoodwill', { offerId, reference: 'voucher-123' });

  it('fulfils an approved, accepted offer', () =>
    spec
      .given([...justifiedCase(), offered('offer-1', 100), accepted()])
      .when(fulfil())
      .then([event('GoodwillFulfilled', { offerId: 'offer-1', reference: 'voucher-123' })]));

  it('fulfils an offer a supervisor approved and the customer accepted, after resolution', () =>
    spec
      .given([...justifiedCase(), ...pendingOffer(), approved(), accepted(), resolved()])
      .when(fulfil())
      .then([event('GoodwillFulfilled', { offerId: 'offer-1', reference: 'voucher-123' })]));

  it('refuses an approved offer the customer has not accepted', () =>
    spec
      .given([...justifiedCase(), offered('offer-1', 100)])
      .when(fulfil())
      .thenThrows(DomainRuleViolation, 'fulfil-needs-approval-and-acceptance'));

  it('refuses an offer awaiting approval', () =>
    spec
      .given([...justifiedCase(), ...pendingOffer()])
      .when(fulfil())
      .thenThrows(DomainRuleViolation, 'fulfil-needs-approval-and-acceptance'));

  it('refuses an offer the customer declined', () =>
    spec
      .given([...justifiedCase(), offered('offer-1', 100), event('GoodwillDeclined', { offerId: 'offer-1' }, { by: CUSTOMER })])
      .when(fulfil())
      .thenThrows(DomainRuleViolation, 'fulfil-needs-approval-and-acceptance'));

  it('refuses an offer already fulfilled', () =>
    spec
      .given([...justifiedCase(), offered('offer-1', 100), accepted(), event('GoodwillFulfilled', { offerId: 'offer-1' })])
      .when(fulfil())
      .thenThrows(DomainRuleViolation, 'offer-already-fulfilled'));

  it('refuses an unknown offer as not found', () => spec.given(justifiedCase()).when(fulfil('offer-x')).thenThrows(NotFoundError));
});
