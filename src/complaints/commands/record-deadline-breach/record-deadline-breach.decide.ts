import { Ensure, ruleBook } from '../../../core/errors';
import type { Actor } from '../../../kernel/actor';
import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { millis } from '../../domain/complaint.rules';
import { breachRecorded, deadlineStatus, type ComplaintCase } from '../../domain/complaint.state';
import { casePolicy, ruleFor, type DeadlineKind } from '../../domain/deadline-policies';

/** Issued by the deadline clock (a `system` actor) once a deadline has passed unmet; `dueAt` and `policyVersion` as the policy set them. */
export type RecordDeadlineBreach = ComplaintCommandOf<'RecordDeadlineBreach', { kind: DeadlineKind; dueAt: string; policyVersion: string }>;

export const RECORD_DEADLINE_BREACH_RULES = {
  'deadline-breach-needs-system-actor': 'Only the system (the deadline clock) records a deadline breach.',
  'deadline-not-applicable':
    'This deadline does not run on the case: it is withdrawn, its policy sets no such deadline, the obligation was cancelled or excepted, or (for a follow-up) the case is not resolved.',
  'deadline-already-met': 'The deadline was met in time: there is no breach to record.',
  'deadline-already-breached': 'This breach was already recorded.',
  'deadline-not-yet-due': 'A deadline is breached only once its due instant has passed.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof RECORD_DEADLINE_BREACH_RULES> = ruleBook(RECORD_DEADLINE_BREACH_RULES).ensure;

export function ensureSystemActor(by: Actor): void {
  ensure(by.role === 'system', 'deadline-breach-needs-system-actor', `The actor is a ${by.role}.`);
}

/**
 * A breach is recorded once per (kind, dueAt), only for an obligation that runs on the case and passed unmet. A closed case
 * still owes its response duties (closing does not cancel them), so their breach is recorded there too.
 */
export function ensureBreachable(state: ComplaintCase, { data, at }: Pick<RecordDeadlineBreach, 'data' | 'at'>): void {
  const { kind, dueAt } = data;
  ensure(state.status !== 'withdrawn', 'deadline-not-applicable', `The case is ${state.status}.`);
  const policy = casePolicy(state);
  ensure(ruleFor(policy, kind) !== undefined, 'deadline-not-applicable', `Policy ${policy.version} sets no ${kind} deadline.`);
  ensure(
    kind !== 'follow-up' || state.status === 'resolved',
    'deadline-not-applicable',
    `A follow-up runs only on a resolved case; it is ${state.status}.`,
  );
  const status = deadlineStatus(state, kind);
  ensure(
    status?.outcome !== 'cancelled' && status?.outcome !== 'excepted',
    'deadline-not-applicable',
    `The ${kind} deadline was ${status?.outcome} at ${status?.at}.`,
  );
  ensure(!breachRecorded(state, kind, dueAt), 'deadline-already-breached', `The ${kind} deadline due ${dueAt}.`);
  ensure(status?.outcome !== 'breached', 'deadline-already-breached', `The ${kind} deadline due ${status?.at}.`);
  const metInTime = status?.outcome === 'met' && millis(status.at) <= millis(dueAt);
  ensure(!metInTime, 'deadline-already-met', `The ${kind} deadline was met at ${status?.at}.`);
  ensure(millis(at) > millis(dueAt), 'deadline-not-yet-due', `The ${kind} deadline is due ${dueAt}.`);
}

/** The deadline clock's command: idempotent per (kind, dueAt), so a restarted clock cannot record a breach twice. */
export function decideRecordDeadlineBreach(command: RecordDeadlineBreach, state: ComplaintCase): ComplaintEvent[] {
  ensureSystemActor(command.by);
  ensureBreachable(state, command);
  const { kind, dueAt, policyVersion } = command.data;
  return [{ type: 'DeadlineBreached', data: { kind, dueAt, policyVersion, ...stamp(command) } }];
}
