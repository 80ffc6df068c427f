import { caseAction } from '../shared/case-action';
import { CompleteFollowUpDto } from './complete-follow-up.dto';

export const completeFollowUp = caseAction({
  path: 'follow-up',
  operationId: 'completeFollowUp',
  summary: 'Record the follow-up with the customer',
  description: 'Confirms whether the customer is satisfied after the resolution (CSAT, optional NPS); only on a resolved complaint.',
  body: CompleteFollowUpDto,
  toCommand: ({ body }) => ({ type: 'CompleteFollowUp', data: body }),
});
