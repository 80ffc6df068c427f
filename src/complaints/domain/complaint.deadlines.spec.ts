import { fold } from '../../core/decider';
import { DomainRuleViolation, NotFoundError } from '../../core/errors';
import { DeciderSpecification } from '../../../test/support/decider-specification';
import { complaintDecider } from './complaint.decider';
import type { ComplaintEvent } from './complaint.events';
import { caseExists, type ComplaintCase } from './complaint.state';
import {
  AGENT, CASE_ID, CUSTOMER, CUSTOMER_ID, SUPERVISOR, SYSTEM, T0, after, assessed, closed, command, event, followedUp,
  followedUpCase, openCase, received, reopened, resolved, resolvedCase, withdrawn, withdrawnCase,
} from './complaint.test-fixtures';
import type { Regime } from './complaint.vocabulary';
import type { Actor } from '../../kernel/actor';
import { deadlinesOnReceipt, deadlinesOnReopen, followUpDeadline, type Deadline, type DeadlineKind } from './deadline-policies';

const decider = complaintDecider();
const spec = DeciderSpecification.for(decider);

// The fixtures receive a 'default' complaint at T0 (Monday 2025-03-03 09:00 UTC).
const ACK_DUE = after({ hours: 24 });            // 2025-03-04T09:00:00.000Z
const FINAL_DUE = after({ days: 14 });           // 2025-03-17T09:00:00.000Z
const RESOLVED_AT = after({ days: 3 });
const FOLLOW_UP_DUE = after({ days: 7 }, RESOLVED_AT);
const VERSION = 'default@2026-01';

const ack = (at: string): ComplaintEvent => event('ComplaintAcknowledged', { channel: 'email', message: 'We have your complaint' }, { at });

const breach = (kind: DeadlineKind, dueAt: string, { at = after({ minutes: 1 }, dueAt), by = SYSTEM, policyVersion = VERSION }: { at?: string; by?: Actor; policyVersion?: string } = {}) =>
  command('RecordDeadlineBreach', { kind, dueAt, policyVersion }, { by, at });

const breached = (kind: DeadlineKind, dueAt: string, { at = after({ minutes: 1 }, dueAt), policyVersion = VERSION }: { at?: string; policyVersion?: string } = {}) =>
  event('DeadlineBreached', { kind, dueAt, policyVersion }, { by: SYSTEM, at });

const fromDeadline = ({ kind, dueAt, policyVersion }: Deadline, at = after({ minutes: 1 }, dueAt)) => ({
  command: breach(kind, dueAt, { at, policyVersion }),
  event: breached(kind, dueAt, { at, policyVersion }),
});

/** A complaint under another regime, received at `receivedAt`. */
const receivedUnder = (regime: Regime, receivedAt = T0): ComplaintEvent =>
  event('ComplaintReceived', { caseId: CASE_ID, customerId: CUSTOMER_ID, channel: 'web', summary: 'Charged twice', regime, receivedAt }, { at: receivedAt });

function caseOf(events: ComplaintEvent[]): ComplaintCase {
  const state = fold(decider, events);
  if (!caseExists(state)) throw new Error('expected a case');
  return state;
}

describe('Deadlines: RecordDeadlineBreach', () => {
  describe('records a breach', () => {
    it('of an acknowledgement that passed unmet', () =>
      spec.given(openCase()).when(breach('acknowledgement', ACK_DUE)).then([breached('acknowledgement', ACK_DUE)]));

    it('as soon as the due instant has passed (an answer at the due instant is still on time)', () =>
      spec.given(openCase()).when(breach('acknowledgement', ACK_DUE, { at: after({ ms: 1 }, ACK_DUE) }))
        .then([breached('acknowledgement', ACK_DUE, { at: after({ ms: 1 }, ACK_DUE) })]));

    it('of a final response on an open case, acknowledged in time', () =>
      spec.given([...openCase(), ack(after({ hours: 1 })), assessed('yes')]).when(breach('final-response', FINAL_DUE))
        .then([breached('final-response', FINAL_DUE)]));

    it('of a follow-up on a resolved case, due 7 days after the resolution', () => {
      const due = followUpDeadline('default', T0, RESOLVED_AT);
      expect(due.dueAt).toBe(FOLLOW_UP_DUE);
      const { command: clock, event: expected } = fromDeadline(due);
      spec.given([received(), assessed('yes'), resolved('upheld', { at: RESOLVED_AT })]).when(clock).then([expected]);
    });

    it('of an acknowledgement answered late, before the clock caught up (a late answer does not meet it)', () =>
      spec.given([...openCase(), ack(after({ hours: 30 }))]).when(breach('acknowledgement', ACK_DUE, { at: after({ hours: 31 }) }))
        .then([breached('acknowledgement', ACK_DUE, { at: after({ hours: 31 }) })]));

    it('of an acknowledgement never sent on a resolved case (a resolution does not acknowledge)', () =>
      spec.given(resolvedCase()).when(breach('acknowledgement', ACK_DUE)).then([breached('acknowledgement', ACK_DUE)]));

    it('FCA: of an acknowledgement due at the end of the next business day', () => {
      const friday = '2026-11-20T16:00:00.000Z';
      const [acknowledgement] = deadlinesOnReceipt('FCA', friday);
      expect(acknowledgement).toEqual({ kind: 'acknowledgement', dueAt: '2026-11-23T23:59:59.999Z', policyVersion: 'FCA@2026-01' });
      const { command: clock, event: expected } = fromDeadline(acknowledgement, '2026-11-24T00:00:00.000Z');
      spec.given([receivedUnder('FCA', friday)]).when(clock).then([expected]);
    });

    it('CFPB: of a substantive response, even when the complaint was acknowledged', () => {
      const [substantive] = deadlinesOnReceipt('CFPB', T0);
      expect(substantive).toMatchObject({ kind: 'substantive-response', dueAt: after({ days: 15 }) });
      const { command: clock, event: expected } = fromDeadline(substantive);
      spec.given([receivedUnder('CFPB'), ack(after({ hours: 1 }))]).when(clock).then([expected]);
    });

    it('of the new final response a reopen starts, though the first was met', () => {
      const reopenedAt = after({ days: 20 });
      const [again] = deadlinesOnReopen('default', T0, reopenedAt);
      expect(again.dueAt).toBe(after({ days: 34 }));
      const { command: clock, event: expected } = fromDeadline(again);
      spec.given([...resolvedCase(), reopened({ at: reopenedAt })]).when(clock).then([expected]);
    });

    it('of another kind than the one already breached', () =>
      spec.given([...openCase(), breached('acknowledgement', ACK_DUE)]).when(breach('final-response', FINAL_DUE))
        .then([breached('final-response', FINAL_DUE)]));
  });

  describe('refuses', () => {
    it.each([['agent', AGENT], ['supervisor', SUPERVISOR], ['customer', CUSTOMER]] as const)('a breach recorded by a %s', (_role, by) =>
      spec.given(openCase()).when(breach('acknowledgement', ACK_DUE, { by })).thenThrows(DomainRuleViolation, 'deadline-breach-needs-system-actor'));

    it('a deadline not yet due', () =>
      spec.given(openCase()).when(breach('acknowledgement', ACK_DUE, { at: after({ ms: -1 }, ACK_DUE) }))
        .thenThrows(DomainRuleViolation, 'deadline-not-yet-due'));

    it('a deadline at its very due instant: it has not passed yet', () =>
      spec.given(openCase()).when(breach('acknowledgement', ACK_DUE, { at: ACK_DUE }))
        .thenThrows(DomainRuleViolation, 'deadline-not-yet-due'));

    it('a final response not yet due, on an acknowledged case', () =>
      spec.given([...openCase(), ack(after({ hours: 1 }))]).when(breach('final-response', FINAL_DUE, { at: after({ days: 13 }) }))
        .thenThrows(DomainRuleViolation, 'deadline-not-yet-due'));

    describe('a deadline already met in time', () => {
      it('acknowledgement, by ComplaintAcknowledged', () =>
        spec.given([...openCase(), ack(after({ hours: 2 }))]).when(breach('acknowledgement', ACK_DUE))
          .thenThrows(DomainRuleViolation, 'deadline-already-met'));

      it('acknowledgement answered at the very due instant', () =>
        spec.given([...openCase(), ack(ACK_DUE)]).when(breach('acknowledgement', ACK_DUE)).thenThrows(DomainRuleViolation, 'deadline-already-met'));

      it.each<[string, ComplaintEvent]>([
        ['ApologyIssued', event('ApologyIssued', { channel: 'email', message: 'Sorry' }, { at: after({ days: 2 }) })],
        ['ExplanationGiven', event('ExplanationGiven', { channel: 'email', message: 'Why' }, { at: after({ days: 2 }) })],
        ['ResolutionPlanCommunicated', event('ResolutionPlanCommunicated', { planId: 'p', actions: ['a'], dueBy: after({ days: 9 }) }, { at: after({ days: 2 }) })],
        ['ComplaintResolved', resolved('upheld', { at: after({ days: 2 }) })],
      ])('substantive response, by %s', (_type, answer) =>
        spec.given([receivedUnder('CFPB'), assessed('partly'), answer]).when(breach('substantive-response', after({ days: 15 }), { policyVersion: 'CFPB@2026-01' }))
          .thenThrows(DomainRuleViolation, 'deadline-already-met'));

      it('final response, by ComplaintResolved', () =>
        spec.given(resolvedCase()).when(breach('final-response', FINAL_DUE)).thenThrows(DomainRuleViolation, 'deadline-already-met'));

      it('follow-up, by FollowUpCompleted', () =>
        spec.given([received(), assessed('yes'), resolved('upheld', { at: RESOLVED_AT }), followedUp({ at: after({ days: 2 }, RESOLVED_AT) })])
          .when(breach('follow-up', FOLLOW_UP_DUE)).thenThrows(DomainRuleViolation, 'deadline-already-met'));
    });

    describe('a breach already recorded (a restarted clock cannot duplicate it)', () => {
      it('the same kind and due instant', () =>
        spec.given([...openCase(), breached('acknowledgement', ACK_DUE)]).when(breach('acknowledgement', ACK_DUE, { at: after({ days: 1 }, ACK_DUE) }))
          .thenThrows(DomainRuleViolation, 'deadline-already-breached'));

      it('the same due instant written differently', () =>
        spec.given([...openCase(), breached('acknowledgement', ACK_DUE)]).when(breach('acknowledgement', '2025-03-04T09:00:00Z', { at: after({ days: 1 }, ACK_DUE) }))
          .thenThrows(DomainRuleViolation, 'deadline-already-breached'));

      it('even after the late answer came', () =>
        spec.given([...openCase(), breached('acknowledgement', ACK_DUE), ack(after({ days: 2 }))]).when(breach('acknowledgement', ACK_DUE))
          .thenThrows(DomainRuleViolation, 'deadline-already-breached'));

      it('the same obligation under another due instant', () =>
        spec.given([...openCase(), breached('acknowledgement', ACK_DUE)]).when(breach('acknowledgement', after({ hours: 1 }, ACK_DUE)))
          .thenThrows(DomainRuleViolation, 'deadline-already-breached'));

      it('a final response breached before a resolve and reopen, at the same due instant', () =>
        spec.given([received(), assessed('yes'), breached('final-response', FINAL_DUE), resolved('upheld', { at: after({ days: 15 }) }), reopened({ at: after({ days: 16 }) })])
          .when(breach('final-response', FINAL_DUE, { at: after({ days: 17 }) }))
          .thenThrows(DomainRuleViolation, 'deadline-already-breached'));
    });

    describe('a deadline that does not run on the case', () => {
      it('a closed case', () =>
        spec.given([...openCase(), closed('duplicate', { at: after({ hours: 1 }) })]).when(breach('acknowledgement', ACK_DUE))
          .thenThrows(DomainRuleViolation, 'deadline-not-applicable'));

      it('a withdrawn case', () =>
        spec.given(withdrawnCase()).when(breach('final-response', FINAL_DUE)).thenThrows(DomainRuleViolation, 'deadline-not-applicable'));

      it('CFPB sets no acknowledgement deadline', () =>
        spec.given([receivedUnder('CFPB')]).when(breach('acknowledgement', ACK_DUE)).thenThrows(DomainRuleViolation, 'deadline-not-applicable'));

      it('the default policy sets no substantive-response deadline', () =>
        spec.given(openCase()).when(breach('substantive-response', after({ days: 15 }))).thenThrows(DomainRuleViolation, 'deadline-not-applicable'));

      it('a follow-up on a case not resolved', () =>
        spec.given(openCase()).when(breach('follow-up', FOLLOW_UP_DUE)).thenThrows(DomainRuleViolation, 'deadline-not-applicable'));

      it('a follow-up on a reopened case not resolved again', () =>
        spec.given([...resolvedCase(), reopened({ at: after({ days: 1 }) })]).when(breach('follow-up', after({ days: 7 })))
          .thenThrows(DomainRuleViolation, 'deadline-not-applicable'));

      it('an acknowledgement cancelled by a closure, after the case was reopened', () =>
        spec.given([...openCase(), closed('out-of-scope', { at: after({ hours: 1 }) }), reopened({ at: after({ hours: 2 }) })])
          .when(breach('acknowledgement', ACK_DUE)).thenThrows(DomainRuleViolation, 'deadline-not-applicable'));
    });

    it('a case that does not exist', () =>
      spec.given([]).when(breach('acknowledgement', ACK_DUE)).thenThrows(NotFoundError, (error) => expect(error.message).toMatch(/does not exist/)));
  });
});

describe('Deadlines: the case state', () => {
  it('has no deadline outcomes on receipt', () => {
    const state = caseOf(openCase());
    expect(state.deadlines).toBeUndefined();
    expect(state.breachedDeadlines).toBeUndefined();
  });

  it('the first meeting event meets a deadline; later ones do not move it', () => {
    const state = caseOf([...openCase(), ack(after({ hours: 1 })), ack(after({ hours: 3 })),
      event('ApologyIssued', { channel: 'email', message: 'Sorry' }, { at: after({ hours: 2 }) })]);
    expect(state.deadlines).toEqual({
      'acknowledgement': { outcome: 'met', at: after({ hours: 1 }) },
      'substantive-response': { outcome: 'met', at: after({ hours: 2 }) },
    });
  });

  it('a resolution meets the substantive and the final response; the follow-up meets the follow-up', () => {
    expect(caseOf([received(), assessed('yes'), resolved('upheld', { at: RESOLVED_AT }), followedUp({ at: FOLLOW_UP_DUE })]).deadlines).toEqual({
      'substantive-response': { outcome: 'met', at: RESOLVED_AT },
      'final-response': { outcome: 'met', at: RESOLVED_AT },
      'follow-up': { outcome: 'met', at: FOLLOW_UP_DUE },
    });
  });

  it('a breach is breached at its due instant and recorded; a late answer leaves it breached', () => {
    const state = caseOf([...openCase(), breached('acknowledgement', ACK_DUE), ack(after({ days: 2 }))]);
    expect(state.deadlines).toEqual({ acknowledgement: { outcome: 'breached', at: ACK_DUE } });
    expect(state.breachedDeadlines).toEqual([{ kind: 'acknowledgement', dueAt: ACK_DUE }]);
  });

  it('an answer that came late becomes breached once the clock records the breach', () => {
    expect(caseOf([...openCase(), ack(after({ hours: 30 })), breached('acknowledgement', ACK_DUE)]).deadlines)
      .toEqual({ acknowledgement: { outcome: 'breached', at: ACK_DUE } });
  });

  it('a withdrawal cancels what still runs, and keeps what was met or breached', () => {
    const withdrawnAt = after({ days: 1 });
    expect(caseOf([...openCase(), breached('acknowledgement', ACK_DUE), withdrawn({ at: withdrawnAt })]).deadlines).toEqual({
      'acknowledgement': { outcome: 'breached', at: ACK_DUE },
      'substantive-response': { outcome: 'cancelled', at: withdrawnAt },
      'final-response': { outcome: 'cancelled', at: withdrawnAt },
    });
  });

  it('closing a resolved case cancels its running follow-up; closing a followed-up case cancels nothing it met', () => {
    const closedAt = after({ days: 5 });
    expect(caseOf([...resolvedCase(), ack(after({ days: 4 })), closed('customer-unresponsive', { at: closedAt })]).deadlines).toEqual({
      'acknowledgement': { outcome: 'met', at: after({ days: 4 }) },
      'substantive-response': { outcome: 'met', at: T0 },
      'final-response': { outcome: 'met', at: T0 },
      'follow-up': { outcome: 'cancelled', at: closedAt },
    });
    expect(caseOf([...followedUpCase(), closed()]).deadlines?.['follow-up']).toEqual({ outcome: 'met', at: T0 });
  });

  it('a reopen restarts final response and follow-up, keeps acknowledgement, substantive response and every recorded breach', () => {
    const state = caseOf([
      ...openCase(), ack(after({ hours: 1 })), assessed('yes'), breached('final-response', FINAL_DUE), resolved('upheld', { at: after({ days: 15 }) }),
      breached('follow-up', after({ days: 22 })), closed('customer-unresponsive', { at: after({ days: 23 }) }), reopened({ at: after({ days: 24 }) }),
    ]);
    expect(state.deadlines).toEqual({
      'acknowledgement': { outcome: 'met', at: after({ hours: 1 }) },
      'substantive-response': { outcome: 'met', at: after({ days: 15 }) },
    });
    expect(state.breachedDeadlines).toEqual([
      { kind: 'final-response', dueAt: FINAL_DUE },
      { kind: 'follow-up', dueAt: after({ days: 22 }) },
    ]);
  });

  it('a new resolution after a reopen meets the restarted final response', () => {
    expect(caseOf([...resolvedCase(), reopened({ at: after({ days: 1 }) }), resolved('upheld', { at: after({ days: 2 }) })]).deadlines?.['final-response'])
      .toEqual({ outcome: 'met', at: after({ days: 2 }) });
  });
});
