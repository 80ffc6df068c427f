import { caseAction } from '../shared/case-action';
import { AssignCaseDto } from './assign-case.dto';

export const assignCase = caseAction({
  path: 'assign',
  operationId: 'assignCase',
  summary: 'Assign the case to an agent',
  description: 'Gives the case an owner (and optionally a team); a later assignment replaces the earlier one.',
  body: AssignCaseDto,
  toCommand: ({ body }) => ({ type: 'AssignCase', data: body }),
});
