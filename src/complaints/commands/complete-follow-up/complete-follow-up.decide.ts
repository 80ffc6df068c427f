import { Ensure, ruleBook } from '../../../core/errors';
import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import type { ComplaintCase } from '../../domain/complaint.state';

export type CompleteFollowUp = ComplaintCommandOf<'CompleteFollowUp', { satisfied: boolean; csat: number; nps?: number; comment?: string }>;

export const COMPLETE_FOLLOW_UP_RULES = {
  'follow-up-needs-resolution': 'A follow-up is done only on a resolved complaint.',
  'follow-up-already-completed': 'This resolution was already followed up.',
  'csat-out-of-range': 'CSAT is a whole number from 1 to 5.',
  'nps-out-of-range': 'NPS is a whole number from 0 to 10.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof COMPLETE_FOLLOW_UP_RULES> = ruleBook(COMPLETE_FOLLOW_UP_RULES).ensure;

export function ensureFollowUpDue(state: ComplaintCase): void {
  ensure(state.status === 'resolved', 'follow-up-needs-resolution', `The case is ${state.status}.`);
  ensure(!state.followUpCompleted, 'follow-up-already-completed');
}

export function ensureCsatInRange(csat: number): void {
  ensure(Number.isInteger(csat) && csat >= 1 && csat <= 5, 'csat-out-of-range', `Got ${csat}.`);
}

export function ensureNpsInRange(nps: number | undefined): void {
  if (nps === undefined) return;
  ensure(Number.isInteger(nps) && nps >= 0 && nps <= 10, 'nps-out-of-range', `Got ${nps}.`);
}

export function decideCompleteFollowUp(command: CompleteFollowUp, state: ComplaintCase): ComplaintEvent[] {
  ensureFollowUpDue(state);
  const { satisfied, csat, nps, comment } = command.data;
  ensureCsatInRange(csat);
  ensureNpsInRange(nps);
  return [{ type: 'FollowUpCompleted', data: present({ satisfied, csat, nps, comment, ...stamp(command) }) }];
}
