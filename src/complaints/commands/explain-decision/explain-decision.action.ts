import { caseAction } from '../shared/case-action';
import { ExplainDecisionDto } from './explain-decision.dto';

export const explainDecision = caseAction({
  path: 'explain',
  operationId: 'explainDecision',
  summary: 'Explain the decision to the customer',
  description: 'Records the polite explanation given when the complaint was assessed as not (or only partly) justified.',
  body: ExplainDecisionDto,
  toCommand: ({ body }) => ({ type: 'ExplainDecision', data: body }),
});
