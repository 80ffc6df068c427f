import { caseAction } from '../shared/case-action';
import { ReopenCaseDto } from './reopen-case.dto';

export const reopenCase = caseAction({
  path: 'reopen',
  operationId: 'reopenCase',
  summary: 'Reopen a resolved or closed case',
  description: 'Reopens the case, typically when the customer is not satisfied; only within the reopen window.',
  body: ReopenCaseDto,
  toCommand: ({ body }) => ({ type: 'ReopenCase', data: body }),
});
