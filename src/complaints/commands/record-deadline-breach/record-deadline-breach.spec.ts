import { DomainRuleViolation, NotFoundError } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import type { Actor } from '../../../kernel/actor';
import { complaintDecider } from '../../domain/complaint.decider';
import type { ComplaintEvent } from '../../domain/complaint.events';
import {
  ACK_DUE,
  AGENT,
  CASE_ID,
  CUSTOMER,
  CUSTOMER_ID,
  DEFAULT_POLICY_VERSION,
  FINAL_DUE,
  FOLLOW_UP_DUE,
  RESOLVED_AT,
  SUPERVISOR,
  SYSTEM,
  T0,
  ack,
  after,
  assessed,
  breached,
  closed,
  command,
  event,
  followedUp,
  openCase,
  received,
  reopened,
  resolved,
  resolvedCase,
  withdrawnCase,
} from '../../domain/complaint.test-fixtures';
import type { Regime } from '../../domain/complaint.vocabulary';
import { deadlinesOnReceipt, deadlinesOnReopen, followUpDeadline, type Deadline, type DeadlineKind } from '../../domain/deadline-policies';

const spec = DeciderSpecification.for(complaintDecider());

const breach = (
  kind: DeadlineKind,
  dueAt: string,
  {
    at = after({ minutes: 1 }, dueAt),
    by = SYSTEM,
    policyVersion = DEFAULT_POLICY_VERSION,
  }: { at?: string; by?: Actor; policyVersion?: string } = {},
) => command('RecordDeadlineBreach', { kind, dueAt, policyVersion }, { by, at });

const fromDeadline = ({ kind, dueAt, policyVersion }: Deadline, at = after({ minutes: 1 }, dueAt)) => ({
  command: breach(kind, dueAt, { at, policyVersion }),
  event: breached(kind, dueAt, { at, policyVersion }),
});

/** A complaint under another regime, received at `receivedAt`. */
const receivedUnder = (regime: Regime, receivedAt = T0): ComplaintEvent =>
  event(
    'ComplaintReceived',
    { caseId: CASE_ID, customerId: CUSTOMER_ID, channel: 'web', summary: 'Charged twice', regime, receivedAt },
    { at: receivedAt },
  );

describe('Deadlines: RecordDeadlineBreach', () => {
  describe('records a breach', () => {
    it('of an acknowledgement that passed unmet', () =>
      spec
        .given(openCase())
        .when(breach('acknowledgement', ACK_DUE))
        .then([breached('acknowledgement', ACK_DUE)]));

    it('as soon as the due instant has passed (an answer at the due instant is still on time)', () =>
      spec
        .given(openCase())
        .when(breach('acknowledgement', ACK_DUE, { at: after({ ms: 1 }, ACK_DUE) }))
        .then([breached('acknowledgement', ACK_DUE, { at: after({ ms: 1 }, ACK_DUE) })]));

    it('of a final response on an open case, acknowledged in time', () =>
      spec
        .given([...openCase(), ack(after({ hours: 1 })), assessed('yes')])
        .when(breach('final-response', FINAL_DUE))
        .then([breached('final-response', FINAL_DUE)]));

    it('of a follow-up on a resolved case, due 7 days after the resolution', () => {
      const due = followUpDeadline({ regime: 'default', receivedAt: T0 }, RESOLVED_AT);
      expect(due.dueAt).toBe(FOLLOW_UP_DUE);
      const { command: clock, event: expected } = fromDeadline(due);
      spec
        .given([received(), assessed('yes'), resolved('upheld', { at: RESOLVED_AT })])
        .when(clock)
        .then([expected]);
    });

    it('of an acknowledgement answered late, before the clock caught up (a late answer does not meet it)', () =>
      spec
        .given([...openCase(), ack(after({ hours: 30 }))])
        .when(breach('acknowledgement', ACK_DUE, { at: after({ hours: 31 }) }))
        .then([breached('acknowledgement', ACK_DUE, { at: after({ hours: 31 }) })]));

    it('of an acknowledgement never sent on a resolved case (a resolution does not acknowledge)', () =>
      spec
        .given(resolvedCase())
        .when(breach('acknowledgement', ACK_DUE))
        .then([breached('acknowledgement', ACK_DUE)]));

    it('FCA: of an acknowledgement due at the end of the next business day', () => {
      const friday = '2026-11-20T16:00:00.000Z';
      const [acknowledgement] = deadlinesOnReceipt('FCA', friday);
      expect(acknowledgement).toEqual({ kind: 'acknowledgement', dueAt: '2026-11-23T23:59:59.999Z', policyVersion: 'FCA@2026-11' });
      const { command: clock, event: expected } = fromDeadline(acknowledgement, '2026-11-24T00:00:00.000Z');
      spec
        .given([receivedUnder('FCA', friday)])
        .when(clock)
        .then([expected]);
    });

    it('CFPB: of a substantive response, even when the complaint was acknowledged', () => {
      const [substantive] = deadlinesOnReceipt('CFPB', T0);
      // 15 days at the New York time of day: the clocks went forward in between.
      expect(substantive).toMatchObject({ kind: 'substantive-response', dueAt: after({ days: 15, hours: -1 }) });
      const { command: clock, event: expected } = fromDeadline(substantive);
      spec
        .given([receivedUnder('CFPB'), ack(after({ hours: 1 }))])
        .when(clock)
        .then([expected]);
    });

    it('of the new final response a reopen starts, though the first was met', () => {
      const reopenedAt = after({ days: 20 });
      const [again] = deadlinesOnReopen({ regime: 'default', receivedAt: T0 }, reopenedAt);
      expect(again.dueAt).toBe(after({ days: 34 }));
      const { command: clock, event: expected } = fromDeadline(again);
      spec
        .given([...resolvedCase(), reopened({ at: reopenedAt })])
        .when(clock)
        .then([expected]);
    });

    it('of another kind than the one already breached', () =>
      spec
        .given([...openCase(), breached('acknowledgement', ACK_DUE)])
        .when(breach('final-response', FINAL_DUE))
        .then([breached('final-response', FINAL_DUE)]));
  });

  describe('refuses', () => {
    it.each([
      ['agent', AGENT],
      ['supervisor', SUPERVISOR],
      ['customer', CUSTOMER],
    ] as const)('a breach recorded by a %s', (_role, by) =>
      spec
        .given(openCase())
        .when(breach('acknowledgement', ACK_DUE, { by }))
        .thenThrows(DomainRuleViolation, 'deadline-breach-needs-system-actor'),
    );

    it('a deadline not yet due', () =>
      spec
        .given(openCase())
        .when(breach('acknowledgement', ACK_DUE, { at: after({ ms: -1 }, ACK_DUE) }))
        .thenThrows(DomainRuleViolation, 'deadline-not-yet-due'));

    it('a deadline at its very due instant: it has not passed yet', () =>
      spec
        .given(openCase())
        .when(breach('acknowledgement', ACK_DUE, { at: ACK_DUE }))
        .thenThrows(DomainRuleViolation, 'deadline-not-yet-due'));

    it('a final response not yet due, on an acknowledged case', () =>
      spec
        .given([...openCase(), ack(after({ hours: 1 }))])
        .when(breach('final-response', FINAL_DUE, { at: after({ days: 13 }) }))
        .thenThrows(DomainRuleViolation, 'deadline-not-yet-due'));

    describe('a deadline already met in time', () => {
      it('acknowledgement, by ComplaintAcknowledged', () =>
        spec
          .given([...openCase(), ack(after({ hours: 2 }))])
          .when(breach('acknowledgement', ACK_DUE))
          .thenThrows(DomainRuleViolation, 'deadline-already-met'));

      it('acknowledgement answered at the very due instant', () =>
        spec
          .given([...openCase(), ack(ACK_DUE)])
          .when(breach('acknowledgement', ACK_DUE))
          .thenThrows(DomainRuleViolation, 'deadline-already-met'));

      it.each<[string, ComplaintEvent]>([
        ['ApologyIssued', event('ApologyIssued', { channel: 'email', message: 'Sorry' }, { at: after({ days: 2 }) })],
        ['ExplanationGiven', event('ExplanationGiven', { channel: 'email', message: 'Why' }, { at: after({ days: 2 }) })],
        [
          'ResolutionPlanCommunicated',
          event('ResolutionPlanCommunicated', { planId: 'p', actions: ['a'], dueBy: after({ days: 9 }) }, { at: after({ days: 2 }) }),
        ],
        ['ComplaintResolved', resolved('upheld', { at: after({ days: 2 }) })],
      ])('substantive response, by %s', (_type, answer) =>
        spec
          .given([receivedUnder('CFPB'), assessed('partly'), answer])
          .when(breach('substantive-response', after({ days: 15 }), { policyVersion: 'CFPB@2026-01' }))
          .thenThrows(DomainRuleViolation, 'deadline-already-met'),
      );

      it('final response, by ComplaintResolved', () =>
        spec.given(resolvedCase()).when(breach('final-response', FINAL_DUE)).thenThrows(DomainRuleViolation, 'deadline-already-met'));

      it('follow-up, by FollowUpCompleted', () =>
        spec
          .given([
            received(),
            assessed('yes'),
            resolved('upheld', { at: RESOLVED_AT }),
            followedUp({ at: after({ days: 2 }, RESOLVED_AT) }),
          ])
          .when(breach('follow-up', FOLLOW_UP_DUE))
          .thenThrows(DomainRuleViolation, 'deadline-already-met'));
    });

    describe('a breach already recorded (a restarted clock cannot duplicate it)', () => {
      it('the same kind and due instant', () =>
        spec
          .given([...openCase(), breached('acknowledgement', ACK_DUE)])
          .when(breach('acknowledgement', ACK_DUE, { at: after({ days: 1 }, ACK_DUE) }))
          .thenThrows(DomainRuleViolation, 'deadline-already-breached'));

      it('the same due instant written differently', () =>
        spec
          .given([...openCase(), breached('acknowledgement', ACK_DUE)])
          .when(breach('acknowledgement', '2025-03-04T09:00:00Z', { at: after({ days: 1 }, ACK_DUE) }))
          .thenThrows(DomainRuleViolation, 'deadline-already-breached'));

      it('even after the late answer came', () =>
        spec
          .given([...openCase(), breached('acknowledgement', ACK_DUE), ack(after({ days: 2 }))])
          .when(breach('acknowledgement', ACK_DUE))
          .thenThrows(DomainRuleViolation, 'deadline-already-breached'));

      it('the same obligation under another due instant', () =>
        spec
          .given([...openCase(), breached('acknowledgement', ACK_DUE)])
          .when(breach('acknowledgement', after({ hours: 1 }, ACK_DUE)))
          .thenThrows(DomainRuleViolation, 'deadline-already-breached'));

      it('a final response breached before a resolve and reopen, at the same due instant', () =>
        spec
          .given([
            received(),
            assessed('yes'),
            breached('final-response', FINAL_DUE),
            resolved('upheld', { at: after({ days: 15 }) }),
            reopened({ at: after({ days: 16 }) }),
          ])
          .when(breach('final-response', FINAL_DUE, { at: after({ days: 17 }) }))
          .thenThrows(DomainRuleViolation, 'deadline-already-breached'));
    });

    describe('a deadline that does not run on the case', () => {
      it('a closed case', () =>
        spec
          .given([...openCase(), closed('duplicate', { at: after({ hours: 1 }) })])
          .when(breach('acknowledgement', ACK_DUE))
          .thenThrows(DomainRuleViolation, 'deadline-not-applicable'));

      it('a withdrawn case', () =>
        spec.given(withdrawnCase()).when(breach('final-response', FINAL_DUE)).thenThrows(DomainRuleViolation, 'deadline-not-applicable'));

      it('CFPB sets no acknowledgement deadline', () =>
        spec
          .given([receivedUnder('CFPB')])
          .when(breach('acknowledgement', ACK_DUE))
          .thenThrows(DomainRuleViolation, 'deadline-not-applicable'));

      it('the default policy sets no substantive-response deadline', () =>
        spec
          .given(openCase())
          .when(breach('substantive-response', after({ days: 15 })))
          .thenThrows(DomainRuleViolation, 'deadline-not-applicable'));

      it('a follow-up on a case not resolved', () =>
        spec.given(openCase()).when(breach('follow-up', FOLLOW_UP_DUE)).thenThrows(DomainRuleViolation, 'deadline-not-applicable'));

      it('a follow-up on a reopened case not resolved again', () =>
        spec
          .given([...resolvedCase(), reopened({ at: after({ days: 1 }) })])
          .when(breach('follow-up', after({ days: 7 })))
          .thenThrows(DomainRuleViolation, 'deadline-not-applicable'));

      it('an acknowledgement cancelled by a closure, after the case was reopened', () =>
        spec
          .given([...openCase(), closed('out-of-scope', { at: after({ hours: 1 }) }), reopened({ at: after({ hours: 2 }) })])
          .when(breach('acknowledgement', ACK_DUE))
          .thenThrows(DomainRuleViolation, 'deadline-not-applicable'));
    });

    it('a case that does not exist', () =>
      spec
        .given([])
        .when(breach('acknowledgement', ACK_DUE))
        .thenThrows(NotFoundError, (error) => expect(error.message).toMatch(/does not exist/)));
  });
});
