import { Ensure, ruleBook } from '../../../core/errors';
import type { Actor } from '../../../kernel/actor';
import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { millis } from '../../domain/complaint.rules';
import type { ComplaintCase } from '../../domain/complaint.state';
import type { DeadlineExceptionGround } from '../../domain/complaint.vocabulary';
import { currentDeadline } from '../../domain/deadlines';
import type { DeadlineKind } from '../../domain/deadline-policies';

/**
 * A supervisor records that a running deadline no longer applies, on a documented regulatory ground: the only way, other than
 * the answer itself, to end a response duty that a closure leaves running.
 */
export type RecordDeadlineException = ComplaintCommandOf<
  'RecordDeadlineException',
  { kind: DeadlineKind; ground: DeadlineExceptionGround; reason: string; reference?: string }
>;

export const RECORD_DEADLINE_EXCEPTION_RULES = {
  'deadline-exception-needs-supervisor': 'Only a supervisor records a regulatory exception to a deadline.',
  'deadline-exception-needs-reason': 'A regulatory exception is recorded with its reason, in words.',
  'deadline-exception-needs-reference': 'A duplicate is excepted only with the reference of the case that answers it.',
  'deadline-exception-not-running': 'Only a deadline still running (not met, breached, cancelled or excepted) can be excepted.',
  'deadline-exception-after-due': 'A deadline that has already passed was breached: no exception recorded afterwards undoes that.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof RECORD_DEADLINE_EXCEPTION_RULES> = ruleBook(RECORD_DEADLINE_EXCEPTION_RULES).ensure;

export function ensureSupervisorExcepts(by: Actor): void {
  ensure(by.role === 'supervisor', 'deadline-exception-needs-supervisor', `The actor is a ${by.role}.`);
}

export function ensureDocumented({ ground, reason, reference }: RecordDeadlineException['data']): void {
  ensure(reason.trim().length > 0, 'deadline-exception-needs-reason');
  ensure(ground !== 'duplicate' || (reference ?? '').trim().length > 0, 'deadline-exception-needs-reference');
}

/** The current deadline of the kind, still running and not yet due: the one the exception ends. */
export function runningDeadline(state: ComplaintCase, kind: DeadlineKind, at: string): { dueAt?: string } {
  const deadline = currentDeadline(state.deadlineHistory, kind);
  ensure(deadline?.status === 'pending', 'deadline-exception-not-running', `The ${kind} deadline is ${deadline?.status ?? 'not set'}.`);
  ensure(
    deadline.dueAt === undefined || millis(at) <= millis(deadline.dueAt),
    'deadline-exception-after-due',
    `It was due ${deadline.dueAt}.`,
  );
  return deadline;
}

export function decideRecordDeadlineException(command: RecordDeadlineException, state: ComplaintCase): ComplaintEvent[] {
  ensureSupervisorExcepts(command.by);
  ensureDocumented(command.data);
  const { kind, ground, reason, reference } = command.data;
  const { dueAt } = runningDeadline(state, kind, command.at);
  return [
    { type: 'DeadlineExceptionRecorded', data: present({ kind, dueAt, ground, reason: reason.trim(), reference, ...stamp(command) }) },
  ];
}
