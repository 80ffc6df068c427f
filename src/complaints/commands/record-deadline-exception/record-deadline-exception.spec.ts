import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import { fold } from '../../../core/decider';
import {
  ACK_DUE,
  AGENT,
  FINAL_DUE,
  SUPERVISOR,
  SYSTEM,
  after,
  ack,
  breached,
  closed,
  command,
  event,
  openCase,
  resolvedCase,
} from '../../domain/complaint.test-fixtures';
import type { ComplaintCase } from '../../domain/complaint.state';
import type { DeadlineExceptionGround } from '../../domain/complaint.vocabulary';
import type { DeadlineKind } from '../../domain/deadline-policies';
import type { Actor } from '../../../kernel/actor';

const decider = complaintDecider();
const spec = DeciderSpecification.for(decider);
const AT = after({ days: 2 });

const except = (
  kind: DeadlineKind = 'final-response',
  ground: DeadlineExceptionGround = 'duplicate',
  {
    by = SUPERVISOR,
    at = AT,
    reason = 'Same complaint sent by letter and email',
    reference = 'case-2',
  }: { by?: Actor; at?: string; reason?: string; reference?: string | null } = {},
) => command('RecordDeadlineException', { kind, ground, reason, ...(reference !== null && { reference }) }, { by, at });

const excepted = (kind: DeadlineKind, dueAt: string, ground: DeadlineExceptionGround = 'duplicate', reference: string | null = 'case-2') =>
  event(
    'DeadlineExceptionRecorded',
    { kind, dueAt, ground, reason: 'Same complaint sent by letter and email', ...(reference !== null && { reference }) },
    { by: SUPERVISOR, at: AT },
  );

/** A case closed unresolved: the customer stopped answering. */
const closedUnresolved = () => [...openCase(), ack(after({ hours: 1 })), closed('customer-unresponsive', { at: after({ days: 1 }) })];

describe('RecordDeadlineException', () => {
  describe('given a case closed unresolved, whose final response is still owed', () => {
    it('the final-response deadline runs on after the closure, and the clock may record its breach', () => {
      const state = fold(decider, closedUnresolved()) as ComplaintCase;
      expect(state.status).toBe('closed');
      expect(state.deadlineHistory.find((deadline) => deadline.kind === 'final-response')).toMatchObject({
        status: 'pending',
        dueAt: FINAL_DUE,
      });
      spec
        .given(closedUnresolved())
        .when(
          command(
            'RecordDeadlineBreach',
            { kind: 'final-response', dueAt: FINAL_DUE, policyVersion: 'default@2026-01' },
            { by: SYSTEM, at: after({ minutes: 1 }, FINAL_DUE) },
          ),
        )
        .then([breached('final-response', FINAL_DUE)]);
    });

    it('when a supervisor records a documented exception, then the deadline ends excepted and no breach can follow', () => {
      spec
        .given(closedUnresolved())
        .when(except())
        .then([excepted('final-response', FINAL_DUE)]);
      const state = fold(decider, [...closedUnresolved(), excepted('final-response', FINAL_DUE)]) as ComplaintCase;
      expect(state.deadlines?.['final-response']).toEqual({ outcome: 'excepted', at: AT });
      spec
        .given([...closedUnresolved(), excepted('final-response', FINAL_DUE)])
        .when(
          command(
            'RecordDeadlineBreach',
            { kind: 'final-response', dueAt: FINAL_DUE, policyVersion: 'default@2026-01' },
            { by: SYSTEM, at: after({ minutes: 1 }, FINAL_DUE) },
          ),
        )
        .thenThrows(DomainRuleViolation, 'deadline-not-applicable');
    });
  });

  it('records an exception on an open case, without a reference when the ground needs none', () =>
    spec
      .given(openCase())
      .when(except('final-response', 'before-ombudsman-or-court', { reference: null }))
      .then([excepted('final-response', FINAL_DUE, 'before-ombudsman-or-court', null)]));

  it('refuses an agent', () =>
    spec
      .given(openCase())
      .when(except('final-response', 'duplicate', { by: AGENT }))
      .thenThrows(DomainRuleViolation, 'deadline-exception-needs-supervisor'));

  it('refuses an exception without a reason', () =>
    spec
      .given(openCase())
      .when(except('final-response', 'other', { reason: '   ' }))
      .thenThrows(DomainRuleViolation, 'deadline-exception-needs-reason'));

  it('refuses a duplicate without the reference of the case that answers it', () =>
    spec
      .given(openCase())
      .when(except('final-response', 'duplicate', { reference: null }))
      .thenThrows(DomainRuleViolation, 'deadline-exception-needs-reference'));

  it('refuses a deadline already met', () =>
    spec.given(resolvedCase()).when(except('final-response')).thenThrows(DomainRuleViolation, 'deadline-exception-not-running'));

  it('refuses a deadline closing already cancelled (the acknowledgement)', () =>
    spec
      .given([...openCase(), closed('duplicate', { at: after({ hours: 1 }) })])
      .when(except('acknowledgement', 'duplicate', { at: after({ hours: 2 }) }))
      .thenThrows(DomainRuleViolation, 'deadline-exception-not-running'));

  it('refuses a deadline that has already passed: the breach stands', () =>
    spec
      .given(openCase())
      .when(except('acknowledgement', 'duplicate', { at: after({ ms: 1 }, ACK_DUE) }))
      .thenThrows(DomainRuleViolation, 'deadline-exception-after-due'));
});
