import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import {
  CUSTOMER,
  command,
  event,
  followedUp,
  followedUpCase,
  offered,
  openCase,
  received,
  resolvedCase,
  withdrawn,
  withdrawnCase,
} from '../../domain/complaint.test-fixtures';
import { UNRESOLVED_CLOSE_REASONS, type CloseReason } from '../../domain/complaint.vocabulary';

const spec = DeciderSpecification.for(complaintDecider());

describe('CloseCase', () => {
  const close = (reason?: CloseReason) => command('CloseCase', { ...(reason && { reason }), note: 'n' });
  const closedEvent = (reason: CloseReason) => event('CaseClosed', { reason, note: 'n' });

  it('infers "follow-up-completed" for a followed-up case', () =>
    spec
      .given(followedUpCase())
      .when(close())
      .then([closedEvent('follow-up-completed')]));

  it('infers "withdrawn" for a withdrawn case', () =>
    spec
      .given(withdrawnCase())
      .when(close())
      .then([closedEvent('withdrawn')]));

  it('accepts the reason the case implies when it is said explicitly', () => {
    spec
      .given(followedUpCase())
      .when(close('follow-up-completed'))
      .then([closedEvent('follow-up-completed')]);
    spec
      .given(withdrawnCase())
      .when(close('withdrawn'))
      .then([closedEvent('withdrawn')]);
  });

  it.each(UNRESOLVED_CLOSE_REASONS)('closes an open case as "%s"', (reason) =>
    spec
      .given(openCase())
      .when(close(reason))
      .then([closedEvent(reason)]),
  );

  it('closes a resolved case the customer never answered', () =>
    spec
      .given(resolvedCase())
      .when(close('customer-unresponsive'))
      .then([closedEvent('customer-unresponsive')]));

  it('closes a case whose goodwill was fulfilled, declined or rejected', () =>
    spec
      .given([
        ...resolvedCase(),
        offered('o-1', 100),
        event('GoodwillAccepted', { offerId: 'o-1' }, { by: CUSTOMER }),
        event('GoodwillFulfilled', { offerId: 'o-1' }),
        offered('o-2', 100),
        event('GoodwillDeclined', { offerId: 'o-2' }, { by: CUSTOMER }),
        offered('o-3', 100),
        followedUp(),
      ])
      .when(close())
      .then([closedEvent('follow-up-completed')]));

  it('refuses an open case without a reason', () =>
    spec.given(openCase()).when(close()).thenThrows(DomainRuleViolation, 'close-needs-reason'));

  it('refuses a resolved case not followed up without a reason', () =>
    spec.given(resolvedCase()).when(close()).thenThrows(DomainRuleViolation, 'close-needs-reason'));

  it('refuses "follow-up-completed" when there was no follow-up', () =>
    spec.given(resolvedCase()).when(close('follow-up-completed')).thenThrows(DomainRuleViolation, 'close-reason-contradicts-state'));

  it('refuses "withdrawn" when the complaint was not withdrawn', () =>
    spec.given(openCase()).when(close('withdrawn')).thenThrows(DomainRuleViolation, 'close-reason-contradicts-state'));

  it.each(UNRESOLVED_CLOSE_REASONS)('refuses to close a withdrawn complaint as "%s": it closes only as withdrawn', (reason) =>
    spec.given(withdrawnCase()).when(close(reason)).thenThrows(DomainRuleViolation, 'withdrawn-closes-as-withdrawn'),
  );

  it('refuses while accepted goodwill is unfulfilled', () =>
    spec
      .given([...followedUpCase(), offered('o-1', 100), event('GoodwillAccepted', { offerId: 'o-1' }, { by: CUSTOMER })])
      .when(close())
      .thenThrows(DomainRuleViolation, 'unfulfilled-goodwill-blocks-close'));

  it('refuses a withdrawn case while accepted goodwill is unfulfilled', () =>
    spec
      .given([received(), offered('o-1', 100), event('GoodwillAccepted', { offerId: 'o-1' }, { by: CUSTOMER }), withdrawn()])
      .when(close())
      .thenThrows(DomainRuleViolation, 'unfulfilled-goodwill-blocks-close'));
});
