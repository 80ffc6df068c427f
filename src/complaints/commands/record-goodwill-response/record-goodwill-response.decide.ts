import { Ensure, ruleBook } from '../../../core/errors';
import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { existingOffer } from '../../domain/complaint.rules';
import type { ComplaintCase, GoodwillOffer } from '../../domain/complaint.state';
import type { GoodwillResponse } from '../../domain/complaint.vocabulary';

export type RecordGoodwillResponse = ComplaintCommandOf<
  'RecordGoodwillResponse',
  { offerId: string; response: GoodwillResponse; comment?: string }
>;

export const RECORD_GOODWILL_RESPONSE_RULES = {
  'offer-not-approved': 'The customer can only answer a goodwill offer that was approved.',
  'offer-already-answered': 'The customer has already answered this goodwill offer.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof RECORD_GOODWILL_RESPONSE_RULES> = ruleBook(RECORD_GOODWILL_RESPONSE_RULES).ensure;

const ANSWERED_OFFER_STATUSES: ReadonlySet<GoodwillOffer['status']> = new Set(['accepted', 'declined', 'fulfilled']);

export function ensureOfferAwaitingCustomer(offer: GoodwillOffer): void {
  ensure(!ANSWERED_OFFER_STATUSES.has(offer.status), 'offer-already-answered', `Offer ${offer.offerId} is ${offer.status}.`);
  ensure(offer.status === 'approved', 'offer-not-approved', `Offer ${offer.offerId} is ${offer.status}.`);
}

export function decideRecordGoodwillResponse(command: RecordGoodwillResponse, state: ComplaintCase): ComplaintEvent[] {
  const { offerId, response, comment } = command.data;
  ensureOfferAwaitingCustomer(existingOffer(state, offerId));
  const data = present({ offerId, comment, ...stamp(command) });
  return response === 'accepted' ? [{ type: 'GoodwillAccepted', data }] : [{ type: 'GoodwillDeclined', data }];
}
