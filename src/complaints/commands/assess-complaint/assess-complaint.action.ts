import { caseAction } from '../shared/case-action';
import { AssessComplaintDto } from './assess-complaint.dto';

export const assessComplaint = caseAction({
  path: 'assess',
  operationId: 'assessComplaint',
  summary: 'Assess the complaint',
  description: 'Records whether the complaint is justified, how severe it is and its root cause; a later assessment replaces the earlier one.',
  body: AssessComplaintDto,
  toCommand: ({ body }) => ({ type: 'AssessComplaint', data: body }),
});
