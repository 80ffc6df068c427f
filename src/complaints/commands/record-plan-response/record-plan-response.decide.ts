import { Ensure, ruleBook } from '../../../core/errors';
import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { ensureOpen } from '../../domain/complaint.rules';
import type { ComplaintCase, ResolutionPlan } from '../../domain/complaint.state';
import type { PlanResponse } from '../../domain/complaint.vocabulary';

export type RecordPlanResponse = ComplaintCommandOf<'RecordPlanResponse', { response: PlanResponse; comment?: string }>;

export const RECORD_PLAN_RESPONSE_RULES = {
  'no-plan-to-respond-to': 'There is no resolution plan communicated to respond to.',
  'plan-already-answered': 'The customer has already answered the current resolution plan.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof RECORD_PLAN_RESPONSE_RULES> = ruleBook(RECORD_PLAN_RESPONSE_RULES).ensure;

export function planAwaitingResponse(state: ComplaintCase): ResolutionPlan {
  const plan = state.plan;
  ensure(plan !== undefined, 'no-plan-to-respond-to');
  ensure(plan.status === 'pending', 'plan-already-answered', `Plan ${plan.planId} was ${plan.status}.`);
  return plan;
}

export function decideRecordPlanResponse(command: RecordPlanResponse, state: ComplaintCase): ComplaintEvent[] {
  ensureOpen(state);
  const { planId } = planAwaitingResponse(state);
  const data = present({ planId, comment: command.data.comment, ...stamp(command) });
  return command.data.response === 'accepted' ? [{ type: 'ResolutionPlanAccepted', data }] : [{ type: 'ResolutionPlanRejected', data }];
}
