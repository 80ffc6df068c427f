import { caseAction } from '../shared/case-action';
import { DeclineGoodwillDto } from './decline-goodwill.dto';

export const declineGoodwill = caseAction({
  path: 'goodwill/:offerId/decline',
  operationId: 'declineGoodwill',
  summary: 'Decline a goodwill offer (supervisor)',
  description: 'A supervisor declines an offer that is awaiting approval, saying why.',
  body: DeclineGoodwillDto,
  // The route always carries :offerId.
  toCommand: ({ offerId, body }) => ({ type: 'DeclineGoodwill', data: { offerId: offerId!, reason: body.reason } }),
});
