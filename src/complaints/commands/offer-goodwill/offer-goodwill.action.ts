import { caseAction } from '../shared/case-action';
import { OfferGoodwillDto } from './offer-goodwill.dto';

export const offerGoodwill = caseAction({
  path: 'goodwill',
  operationId: 'offerGoodwill',
  summary: 'Offer the customer a goodwill gesture',
  description: "Offers a coupon, extra service, refund, replacement or credit. An offer above the actor's authority waits for a supervisor's approval. The response carries the `offerId`.",
  body: OfferGoodwillDto,
  toCommand: ({ body, newId }) => ({
    type: 'OfferGoodwill',
    data: {
      offerId: body.offerId ?? newId('offer'),
      kind: body.kind,
      amount: body.amount,
      currency: body.currency,
      withoutAdmission: body.withoutAdmission ?? true,
      description: body.description,
    },
  }),
  respondWith: (command): Record<string, string> => (command.type === 'OfferGoodwill' ? { offerId: command.data.offerId } : {}),
});
