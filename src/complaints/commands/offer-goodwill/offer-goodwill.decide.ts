import { Ensure, ruleBook } from '../../../core/errors';
import type { Actor } from '../../../kernel/actor';
import type { Money } from '../../../kernel/money';
import type { ComplaintPolicy } from '../../domain/complaint-policy';
import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent, EventFacts } from '../../domain/complaint.events';
import { findGoodwillOffer, type ComplaintCase, type GoodwillOffer } from '../../domain/complaint.state';
import type { GoodwillKind } from '../../domain/complaint.vocabulary';

export type OfferGoodwill = ComplaintCommandOf<'OfferGoodwill', EventFacts<'GoodwillOffered'>>;

export const OFFER_GOODWILL_RULES = {
  'goodwill-amount-not-positive': 'A goodwill amount must be a positive whole number of minor units.',
  'goodwill-offer-exists': 'A goodwill offer with this id already exists on the case.',
  'goodwill-currency-mismatch': 'A refund must be in the currency of the order.',
  'refund-exceeds-order-value': 'Refunds offered on a case cannot together exceed the order value.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof OFFER_GOODWILL_RULES> = ruleBook(OFFER_GOODWILL_RULES).ensure;

export function ensurePositiveAmount(amount: number): void {
  ensure(Number.isSafeInteger(amount) && amount > 0, 'goodwill-amount-not-positive');
}

export function ensureNewOffer(state: ComplaintCase, offerId: string): void {
  ensure(findGoodwillOffer(state, offerId) === undefined, 'goodwill-offer-exists', `Offer ${offerId}.`);
}

const REFUND_KINDS: ReadonlySet<GoodwillKind> = new Set(['partial-refund', 'full-refund']);
const LIVE_OFFER_STATUSES: ReadonlySet<GoodwillOffer['status']> = new Set(['pending-approval', 'approved', 'accepted', 'fulfilled']);

export function ensureRefundFitsOrder(state: ComplaintCase, refund: { kind: GoodwillKind } & Money): void {
  const order = state.orderValue;
  if (!REFUND_KINDS.has(refund.kind) || order === undefined) return;
  ensure(
    refund.currency === order.currency,
    'goodwill-currency-mismatch',
    `The order is in ${order.currency}, the refund in ${refund.currency}.`,
  );
  const total = refundsOffered(state, order.currency) + refund.amount;
  ensure(total <= order.amount, 'refund-exceeds-order-value', `${total} > ${order.amount} ${order.currency} (minor units).`);
}

/** Refunds still standing: rejected or declined ones no longer count against the order value. */
function refundsOffered(state: ComplaintCase, currency: string): number {
  return Object.values(state.goodwillOffers)
    .filter((offer) => REFUND_KINDS.has(offer.kind) && offer.currency === currency && LIVE_OFFER_STATUSES.has(offer.status))
    .reduce((sum, offer) => sum + offer.amount, 0);
}

/** The limit the offer must stay within to be approved as made, or undefined when it is within. */
export function approvalLimitExceeded(policy: ComplaintPolicy, by: Actor, offer: Money): number | undefined {
  const limit = policy.goodwillLimit(by.role, offer.currency);
  return offer.amount > limit ? limit : undefined;
}

export function decideOfferGoodwill(command: OfferGoodwill, state: ComplaintCase, policy: ComplaintPolicy): ComplaintEvent[] {
  const { offerId, kind, amount, currency, withoutAdmission, description } = command.data;
  ensurePositiveAmount(amount);
  ensureNewOffer(state, offerId);
  ensureRefundFitsOrder(state, { kind, amount, currency });
  const offered: ComplaintEvent = {
    type: 'GoodwillOffered',
    data: present({ offerId, kind, amount, currency, withoutAdmission, description, ...stamp(command) }),
  };
  const limit = approvalLimitExceeded(policy, command.by, { amount, currency });
  if (limit === undefined) return [offered];
  return [offered, { type: 'GoodwillApprovalRequested', data: { offerId, limit, ...stamp(command) } }];
}
