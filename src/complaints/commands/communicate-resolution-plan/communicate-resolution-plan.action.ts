import { caseAction } from '../shared/case-action';
import { CommunicateResolutionPlanDto } from './communicate-resolution-plan.dto';

export const communicateResolutionPlan = caseAction({
  path: 'plan',
  operationId: 'communicateResolutionPlan',
  summary: 'Tell the customer what we will do',
  description: 'Records the resolution plan as communicated to the customer, who then accepts or rejects it. A new plan supersedes the current one. The response carries the new `planId`.',
  body: CommunicateResolutionPlanDto,
  toCommand: ({ body, newId }) => ({
    type: 'CommunicateResolutionPlan',
    data: { planId: newId('plan'), actions: body.actions, dueBy: body.dueBy },
  }),
  respondWith: (command): Record<string, string> => (command.type === 'CommunicateResolutionPlan' ? { planId: command.data.planId } : {}),
});
