import { caseAction } from '../shared/case-action';
import { FulfilGoodwillDto } from './fulfil-goodwill.dto';

export const fulfilGoodwill = caseAction({
  path: 'goodwill/:offerId/fulfil',
  operationId: 'fulfilGoodwill',
  summary: 'Record that a goodwill offer was fulfilled',
  description: 'Only an approved offer the customer accepted can be fulfilled.',
  body: FulfilGoodwillDto,
  // The route always carries :offerId.
  toCommand: ({ offerId, body }) => ({ type: 'FulfilGoodwill', data: { offerId: offerId!, reference: body.reference } }),
});
