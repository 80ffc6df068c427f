import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { Actor } from '../../../kernel/actor';
import { createComplaintPolicy } from '../../domain/complaint-policy';
import { complaintDecider } from '../../domain/complaint.decider';
import {
  AGENT,
  CUSTOMER,
  SUPERVISOR,
  command,
  event,
  justifiedCase,
  offered,
  received,
  resolved,
} from '../../domain/complaint.test-fixtures';
import type { GoodwillKind } from '../../domain/complaint.vocabulary';

const spec = DeciderSpecification.for(complaintDecider());

interface OfferSpec {
  offerId?: string;
  kind?: GoodwillKind;
  amount: number;
  currency?: string;
  by?: Actor;
}

const offer = ({ offerId = 'offer-1', kind = 'coupon', amount, currency = 'EUR', by = AGENT }: OfferSpec) =>
  command('OfferGoodwill', { offerId, kind, amount, currency, withoutAdmission: true, description: 'Sorry' }, { by });

const offeredEvent = ({ offerId = 'offer-1', kind = 'coupon', amount, currency = 'EUR', by = AGENT }: OfferSpec) =>
  event('GoodwillOffered', { offerId, kind, amount, currency, withoutAdmission: true, description: 'Sorry' }, { by });

describe('OfferGoodwill', () => {
  it("offers goodwill within the agent's limit: approved as made", () =>
    spec
      .given(justifiedCase())
      .when(offer({ amount: 5000 }))
      .then([offeredEvent({ amount: 5000 })]));

  it("asks a supervisor to approve an offer over the agent's limit", () =>
    spec
      .given(justifiedCase())
      .when(offer({ amount: 5001 }))
      .then([offeredEvent({ amount: 5001 }), event('GoodwillApprovalRequested', { offerId: 'offer-1', limit: 5000 })]));

  it("lets a supervisor offer up to the supervisor's limit", () =>
    spec
      .given(justifiedCase())
      .when(offer({ amount: 50_000, by: SUPERVISOR }))
      .then([offeredEvent({ amount: 50_000, by: SUPERVISOR })]));

  it("asks for approval of a supervisor's offer over the supervisor's limit", () =>
    spec
      .given(justifiedCase())
      .when(offer({ amount: 50_001, by: SUPERVISOR }))
      .then([
        offeredEvent({ amount: 50_001, by: SUPERVISOR }),
        event('GoodwillApprovalRequested', { offerId: 'offer-1', limit: 50_000 }, { by: SUPERVISOR }),
      ]));

  it('scales the limit for a currency without minor units (50 JPY for an agent)', () =>
    spec
      .given(justifiedCase())
      .when(offer({ amount: 51, currency: 'JPY' }))
      .then([offeredEvent({ amount: 51, currency: 'JPY' }), event('GoodwillApprovalRequested', { offerId: 'offer-1', limit: 50 })]));

  it('uses the policy it is given', () => {
    const generous = DeciderSpecification.for(complaintDecider(createComplaintPolicy({ goodwillLimits: { agent: 100_000 } })));
    generous
      .given(justifiedCase())
      .when(offer({ amount: 60_000 }))
      .then([offeredEvent({ amount: 60_000 })]);
  });

  it('offers goodwill on an unjustified complaint too (a loyalty gesture)', () =>
    spec
      .given([
        received(),
        event('ComplaintAssessed', { category: 'c', severity: 'low', justified: 'no', rootCause: 'customer-error', findings: 'f' }),
      ])
      .when(offer({ amount: 500 }))
      .then([offeredEvent({ amount: 500 })]));

  it('offers goodwill on a resolved case', () =>
    spec
      .given([...justifiedCase(), resolved()])
      .when(offer({ amount: 500 }))
      .then([offeredEvent({ amount: 500 })]));

  it('offers a refund up to the order value, counting earlier refunds still standing', () =>
    spec
      .given([...justifiedCase(), offered('offer-0', 4000, 'partial-refund')])
      .when(offer({ kind: 'full-refund', amount: 6000, by: SUPERVISOR }))
      .then([offeredEvent({ kind: 'full-refund', amount: 6000, by: SUPERVISOR })]));

  it('does not count a refund the customer declined', () =>
    spec
      .given([
        ...justifiedCase(),
        offered('offer-0', 4000, 'partial-refund'),
        event('GoodwillDeclined', { offerId: 'offer-0' }, { by: CUSTOMER }),
      ])
      .when(offer({ kind: 'full-refund', amount: 10_000, by: SUPERVISOR }))
      .then([offeredEvent({ kind: 'full-refund', amount: 10_000, by: SUPERVISOR })]));

  it('offers a coupon in another currency than the order', () =>
    spec
      .given(justifiedCase())
      .when(offer({ amount: 1000, currency: 'GBP' }))
      .then([offeredEvent({ amount: 1000, currency: 'GBP' })]));

  it('offers a refund of any size when the case has no order value (still within limits)', () =>
    spec
      .given([
        event('ComplaintReceived', {
          caseId: 'c',
          customerId: 'x',
          channel: 'web',
          summary: 's',
          regime: 'default',
          receivedAt: '2025-03-03T09:00:00.000Z',
        }),
      ])
      .when(offer({ kind: 'full-refund', amount: 20_000, by: SUPERVISOR }))
      .then([offeredEvent({ kind: 'full-refund', amount: 20_000, by: SUPERVISOR })]));

  it.each([0, -100, 12.5, Number.NaN])('refuses the amount %p', (amount) =>
    spec.given(justifiedCase()).when(offer({ amount })).thenThrows(DomainRuleViolation, 'goodwill-amount-not-positive'),
  );

  it('refuses an offer id already used on the case', () =>
    spec
      .given([...justifiedCase(), offered('offer-1', 100)])
      .when(offer({ amount: 200 }))
      .thenThrows(DomainRuleViolation, 'goodwill-offer-exists'));

  it.each(['constructor', '__proto__'])('treats the offer id "%s" as any other id', (offerId) => {
    spec
      .given(justifiedCase())
      .when(offer({ offerId, amount: 100 }))
      .then([offeredEvent({ offerId, amount: 100 })]);
    spec
      .given([...justifiedCase(), offered(offerId, 100)])
      .when(offer({ offerId, amount: 100 }))
      .thenThrows(DomainRuleViolation, 'goodwill-offer-exists');
    spec
      .given([...justifiedCase(), offered(offerId, 100)])
      .when(command('RecordGoodwillResponse', { offerId, response: 'accepted' }, { by: CUSTOMER }))
      .then([event('GoodwillAccepted', { offerId }, { by: CUSTOMER })]);
  });

  it('refuses a refund above the order value', () =>
    spec
      .given(justifiedCase())
      .when(offer({ kind: 'full-refund', amount: 10_001, by: SUPERVISOR }))
      .thenThrows(DomainRuleViolation, 'refund-exceeds-order-value'));

  it('refuses refunds that together exceed the order value', () =>
    spec
      .given([...justifiedCase(), offered('offer-0', 6000, 'partial-refund')])
      .when(offer({ kind: 'partial-refund', amount: 4001 }))
      .thenThrows(DomainRuleViolation, 'refund-exceeds-order-value'));

  it('refuses a refund in another currency than the order', () =>
    spec
      .given(justifiedCase())
      .when(offer({ kind: 'partial-refund', amount: 1000, currency: 'USD' }))
      .thenThrows(DomainRuleViolation, 'goodwill-currency-mismatch'));
});
