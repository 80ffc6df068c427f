import type { Decider } from '../../core/decider';
import type { ComplaintCommand } from './complaint.commands';
import { decide } from './complaint.decide';
import type { ComplaintEvent } from './complaint.events';
import { DEFAULT_COMPLAINT_POLICY, type ComplaintPolicy } from './complaint-policy';
import { evolve, initialComplaintState, type ComplaintState } from './complaint.state';

export type ComplaintDecider = Decider<ComplaintCommand, ComplaintEvent, ComplaintState>;

export function complaintDecider(policy: ComplaintPolicy = DEFAULT_COMPLAINT_POLICY): ComplaintDecider {
  return { initialState: initialComplaintState, evolve, decide: decide(policy) };
}

export const COMPLAINT_STREAM_PREFIX = 'complaint-';

export function complaintStreamName(caseId: string): string {
  return `${COMPLAINT_STREAM_PREFIX}${caseId}`;
}
