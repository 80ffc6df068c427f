import { Ensure, ruleBook } from '../../../core/errors';
import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent, EventFacts } from '../../domain/complaint.events';
import type { ComplaintCase } from '../../domain/complaint.state';

export type ApplySystemFix = ComplaintCommandOf<'ApplySystemFix', EventFacts<'SystemFixApplied'>>;

export const APPLY_SYSTEM_FIX_RULES = {
  'system-fix-needs-systemic-root-cause': 'A system fix needs the complaint assessed as justified (or partly) with a systemic root cause.',
  'fix-already-applied': 'A system fix with this id was already applied to the case.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof APPLY_SYSTEM_FIX_RULES> = ruleBook(APPLY_SYSTEM_FIX_RULES).ensure;

export function ensureSystemicAndJustified(state: ComplaintCase): void {
  const assessment = state.assessment;
  ensure(
    assessment?.rootCause === 'systemic' && (assessment.justified === 'yes' || assessment.justified === 'partly'),
    'system-fix-needs-systemic-root-cause',
  );
}

export function ensureNewFix(state: ComplaintCase, fixId: string): void {
  ensure(!state.fixIds.includes(fixId), 'fix-already-applied', `Fix ${fixId}.`);
}

export function decideApplySystemFix(command: ApplySystemFix, state: ComplaintCase): ComplaintEvent[] {
  ensureSystemicAndJustified(state);
  ensureNewFix(state, command.data.fixId);
  const { fixId, description, procedureChange, effectiveFrom, customerNotified } = command.data;
  return [{ type: 'SystemFixApplied', data: { fixId, description, procedureChange, effectiveFrom, customerNotified, ...stamp(command) } }];
}
