import { DomainRuleViolation, NotFoundError } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import {
  CUSTOMER,
  SUPERVISOR,
  accepted,
  approved,
  command,
  event,
  justifiedCase,
  offered,
  pendingOffer,
} from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('RecordGoodwillResponse', () => {
  const respond = (response: 'accepted' | 'declined', offerId = 'offer-1') =>
    command('RecordGoodwillResponse', { offerId, response, comment: 'Thanks' }, { by: CUSTOMER });

  it('records the customer accepting an offer approved as made', () =>
    spec
      .given([...justifiedCase(), offered('offer-1', 100)])
      .when(respond('accepted'))
      .then([event('GoodwillAccepted', { offerId: 'offer-1', comment: 'Thanks' }, { by: CUSTOMER })]));

  it('records the customer declining an offer a supervisor approved', () =>
    spec
      .given([...justifiedCase(), ...pendingOffer(), approved()])
      .when(respond('declined'))
      .then([event('GoodwillDeclined', { offerId: 'offer-1', comment: 'Thanks' }, { by: CUSTOMER })]));

  it('refuses an offer still awaiting approval', () =>
    spec
      .given([...justifiedCase(), ...pendingOffer()])
      .when(respond('accepted'))
      .thenThrows(DomainRuleViolation, 'offer-not-approved'));

  it('refuses an offer the supervisor rejected', () =>
    spec
      .given([...justifiedCase(), ...pendingOffer(), event('GoodwillRejected', { offerId: 'offer-1', reason: 'no' }, { by: SUPERVISOR })])
      .when(respond('accepted'))
      .thenThrows(DomainRuleViolation, 'offer-not-approved'));

  it('refuses an offer already accepted', () =>
    spec
      .given([...justifiedCase(), offered('offer-1', 100), accepted()])
      .when(respond('declined'))
      .thenThrows(DomainRuleViolation, 'offer-already-answered'));

  it('refuses an offer already declined', () =>
    spec
      .given([...justifiedCase(), offered('offer-1', 100), event('GoodwillDeclined', { offerId: 'offer-1' }, { by: CUSTOMER })])
      .when(respond('accepted'))
      .thenThrows(DomainRuleViolation, 'offer-already-answered'));

  it('refuses an unknown offer as not found', () =>
    spec.given(justifiedCase()).when(respond('accepted', 'offer-x')).thenThrows(NotFoundError));
});
