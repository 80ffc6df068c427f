import { Ensure, ruleBook } from '../../../core/errors';
import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { existingOffer } from '../../domain/complaint.rules';
import type { ComplaintCase, GoodwillOffer } from '../../domain/complaint.state';

export type FulfilGoodwill = ComplaintCommandOf<'FulfilGoodwill', { offerId: string; reference?: string }>;

export const FULFIL_GOODWILL_RULES = {
  'fulfil-needs-approval-and-acceptance': 'Goodwill is fulfilled only once it was approved and the customer accepted it.',
  'offer-already-fulfilled': 'This goodwill offer was already fulfilled.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof FULFIL_GOODWILL_RULES> = ruleBook(FULFIL_GOODWILL_RULES).ensure;

export function ensureFulfillable(offer: GoodwillOffer): void {
  ensure(offer.status !== 'fulfilled', 'offer-already-fulfilled', `Offer ${offer.offerId}.`);
  ensure(offer.status === 'accepted', 'fulfil-needs-approval-and-acceptance', `Offer ${offer.offerId} is ${offer.status}.`);
}

export function decideFulfilGoodwill(command: FulfilGoodwill, state: ComplaintCase): ComplaintEvent[] {
  ensureFulfillable(existingOffer(state, command.data.offerId));
  return [
    { type: 'GoodwillFulfilled', data: present({ offerId: command.data.offerId, reference: command.data.reference, ...stamp(command) }) },
  ];
}
