import { caseAction } from '../shared/case-action';
import { IssueApologyDto } from './issue-apology.dto';

export const issueApology = caseAction({
  path: 'apologize',
  operationId: 'issueApology',
  summary: 'Apologise to the customer',
  description: 'Records a sincere apology, the expected response to a justified complaint.',
  body: IssueApologyDto,
  toCommand: ({ body }) => ({ type: 'IssueApology', data: body }),
});
