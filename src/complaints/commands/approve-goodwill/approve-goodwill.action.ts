import { caseAction } from '../shared/case-action';
import { ApproveGoodwillDto } from './approve-goodwill.dto';

export const approveGoodwill = caseAction({
  path: 'goodwill/:offerId/approve',
  operationId: 'approveGoodwill',
  summary: 'Approve a goodwill offer (supervisor)',
  description: "A supervisor approves an offer that exceeded the offering agent's authority.",
  body: ApproveGoodwillDto,
  // The route always carries :offerId.
  toCommand: ({ offerId, body }) => ({ type: 'ApproveGoodwill', data: { offerId: offerId!, note: body.note } }),
});
