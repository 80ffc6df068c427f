import { Ensure, ruleBook } from '../../../core/errors';
import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { ensureOpen } from '../../domain/complaint.rules';
import type { Assessment, ComplaintCase } from '../../domain/complaint.state';
import type { Outcome } from '../../domain/complaint.vocabulary';
import type { ComplaintPolicy } from '../../domain/complaint-policy';
import { deadlineStartingAt } from '../../domain/deadline-policies';

export type ResolveComplaint = ComplaintCommandOf<'ResolveComplaint', { resolution: string; outcome: Outcome }>;

export const RESOLVE_COMPLAINT_RULES = {
  'resolve-needs-assessment': 'A complaint is resolved only after it was assessed.',
  'outcome-contradicts-assessment':
    'The outcome contradicts the assessment: an unjustified complaint cannot be upheld, a justified one cannot be rejected.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof RESOLVE_COMPLAINT_RULES> = ruleBook(RESOLVE_COMPLAINT_RULES).ensure;

export function assessmentOf(state: ComplaintCase): Assessment {
  const assessment = state.assessment;
  ensure(assessment !== undefined, 'resolve-needs-assessment');
  return assessment;
}

export function ensureOutcomeFitsAssessment(outcome: Outcome, assessment: Assessment): void {
  const contradicts = (assessment.justified === 'no' && outcome === 'upheld') || (assessment.justified === 'yes' && outcome === 'rejected');
  ensure(!contradicts, 'outcome-contradicts-assessment', `Assessed justified "${assessment.justified}", outcome "${outcome}".`);
}

export function decideResolveComplaint(command: ResolveComplaint, state: ComplaintCase, policy: ComplaintPolicy): ComplaintEvent[] {
  ensureOpen(state);
  ensureOutcomeFitsAssessment(command.data.outcome, assessmentOf(state));
  const followUp = deadlineStartingAt(state, 'follow-up', command.at, { settings: policy.calendars });
  const { resolution, outcome } = command.data;
  return [{ type: 'ComplaintResolved', data: { resolution, outcome, deadlines: followUp ? [followUp] : [], ...stamp(command) } }];
}
