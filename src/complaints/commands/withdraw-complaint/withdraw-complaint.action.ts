import { caseAction } from '../shared/case-action';
import { WithdrawComplaintDto } from './withdraw-complaint.dto';

export const withdrawComplaint = caseAction({
  path: 'withdraw',
  operationId: 'withdrawComplaint',
  summary: 'Record that the customer withdrew the complaint',
  description: 'The customer no longer pursues the complaint; the case can then be closed.',
  body: WithdrawComplaintDto,
  toCommand: ({ body }) => ({ type: 'WithdrawComplaint', data: body }),
});
