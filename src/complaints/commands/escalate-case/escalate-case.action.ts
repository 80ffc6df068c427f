import { caseAction } from '../shared/case-action';
import { EscalateCaseDto } from './escalate-case.dto';

export const escalateCase = caseAction({
  path: 'escalate',
  operationId: 'escalateCase',
  summary: 'Escalate the case',
  description: 'Raises the case to a higher escalation level (by default one above the current one), optionally to another team.',
  body: EscalateCaseDto,
  toCommand: ({ body }) => ({ type: 'EscalateCase', data: body }),
});
