import { Ensure, ruleBook } from '../../../core/errors';
import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { ensureOpen, millis } from '../../domain/complaint.rules';
import type { ComplaintCase } from '../../domain/complaint.state';

export type CommunicateResolutionPlan = ComplaintCommandOf<
  'CommunicateResolutionPlan',
  { planId: string; actions: string[]; dueBy: string }
>;

export const COMMUNICATE_RESOLUTION_PLAN_RULES = {
  'plan-due-in-past': 'A resolution plan must be due after the moment it is communicated.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof COMMUNICATE_RESOLUTION_PLAN_RULES> = ruleBook(COMMUNICATE_RESOLUTION_PLAN_RULES).ensure;

export function ensurePlanDueInFuture(dueBy: string, at: string): void {
  ensure(millis(dueBy) > millis(at), 'plan-due-in-past');
}

/** A new plan supersedes the current one, answered or not. */
export function decideCommunicateResolutionPlan(command: CommunicateResolutionPlan, state: ComplaintCase): ComplaintEvent[] {
  ensureOpen(state);
  ensurePlanDueInFuture(command.data.dueBy, command.at);
  const { planId, actions, dueBy } = command.data;
  return [{ type: 'ResolutionPlanCommunicated', data: { planId, actions: [...actions], dueBy, ...stamp(command) } }];
}
