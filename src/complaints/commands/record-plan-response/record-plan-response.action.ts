import { caseAction } from '../shared/case-action';
import { RecordPlanResponseDto } from './record-plan-response.dto';

export const recordPlanResponse = caseAction({
  path: 'plan-response',
  operationId: 'recordPlanResponse',
  summary: "Record the customer's answer to the resolution plan",
  description: 'The customer accepts or rejects the plan most recently communicated.',
  body: RecordPlanResponseDto,
  toCommand: ({ body }) => ({ type: 'RecordPlanResponse', data: body }),
});
