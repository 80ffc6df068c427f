import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { createComplaintPolicy } from '../../domain/complaint-policy';
import { complaintDecider } from '../../domain/complaint.decider';
import {
  AGENT,
  CUSTOMER,
  SUPERVISOR,
  after,
  assessed,
  closed,
  closedCase,
  command,
  event,
  followedUpCase,
  justifiedCase,
  openCase,
  received,
  reopened,
  resolved,
  resolvedCase,
  T0,
  withdrawnCase,
} from '../../domain/complaint.test-fixtures';
import { deadlinesOnReopen } from '../../domain/deadline-policies';
import { fold } from '../../../core/decider';
import type { ComplaintEvent } from '../../domain/complaint.events';
import type { ComplaintCase } from '../../domain/complaint.state';
import { currentDeadline } from '../../domain/deadlines';

const spec = DeciderSpecification.for(complaintDecider());
/** A reopen records the new final response it starts. */
const restarted = (at: string) => deadlinesOnReopen({ regime: 'default', receivedAt: T0 }, at);

describe('ReopenCase', () => {
  const reopenAt = (at: string) => command('ReopenCase', { reason: 'Still broken' }, { by: CUSTOMER, at });
  const reopenedAt = (at: string) => event('CaseReopened', { reason: 'Still broken', deadlines: restarted(at) }, { by: CUSTOMER, at });
  const resolvedAtT0 = resolvedCase();

  it('reopens a resolved case within the window', () => {
    const at = after({ days: 10 });
    spec
      .given(resolvedAtT0)
      .when(reopenAt(at))
      .then([reopenedAt(at)]);
  });

  it('reopens on the last instant of the 56-day window', () => {
    const at = after({ days: 56 });
    spec
      .given(resolvedAtT0)
      .when(reopenAt(at))
      .then([reopenedAt(at)]);
  });

  it('reopens a closed case within the window from its closure', () => {
    const closedLater = [...followedUpCase(), closed('follow-up-completed', { at: after({ days: 30 }) })];
    const at = after({ days: 80 });
    spec
      .given(closedLater)
      .when(reopenAt(at))
      .then([reopenedAt(at)]);
  });

  it('reopens a case closed unresolved', () => {
    const at = after({ days: 1 });
    spec
      .given([...openCase(), closed('customer-unresponsive')])
      .when(reopenAt(at))
      .then([reopenedAt(at)]);
  });

  it('reopens a case twice', () => {
    const at = after({ days: 2 });
    spec
      .given([...resolvedCase(), reopened(), resolved('upheld', { at: after({ days: 1 }) })])
      .when(reopenAt(at))
      .then([reopenedAt(at)]);
  });

  it('uses the window of the policy it is given', () => {
    const strict = DeciderSpecification.for(complaintDecider(createComplaintPolicy({ reopenWindowDays: 7 })));
    strict
      .given(resolvedAtT0)
      .when(reopenAt(after({ days: 8 })))
      .thenThrows(DomainRuleViolation, 'reopen-window-passed');
  });

  it('refuses a resolved case past the window', () =>
    spec
      .given(resolvedAtT0)
      .when(reopenAt(after({ days: 56, ms: 1 })))
      .thenThrows(DomainRuleViolation, 'reopen-window-passed'));

  it('refuses a closed case past the window from its closure', () =>
    spec
      .given(closedCase())
      .when(reopenAt(after({ days: 57 })))
      .thenThrows(DomainRuleViolation, 'reopen-window-passed'));

  it('refuses a withdrawn complaint closed as withdrawn: a new complaint is received instead', () =>
    spec
      .given([...withdrawnCase(), closed('withdrawn')])
      .when(reopenAt(after({ days: 1 })))
      .thenThrows(DomainRuleViolation, 'withdrawn-not-reopenable'));

  it('refuses a withdrawn complaint not yet closed, even for a supervisor', () =>
    spec
      .given(withdrawnCase())
      .when(command('ReopenCase', { reason: 'Changed their mind' }, { by: SUPERVISOR, at: after({ days: 1 }) }))
      .thenThrows(DomainRuleViolation, 'case-withdrawn'));

  it('refuses an open case', () =>
    spec
      .given(justifiedCase())
      .when(reopenAt(after({ days: 1 })))
      .thenThrows(DomainRuleViolation, 'reopen-needs-resolved-or-closed'));
});

describe('ReopenCase: past the window, a supervisor', () => {
  const byAt = (by: typeof SUPERVISOR, at: string) => command('ReopenCase', { reason: 'Regulator asked us to look again' }, { by, at });
  const late = after({ days: 90 });

  it('reopens a resolved case the window has closed on', () =>
    spec
      .given(resolvedCase())
      .when(byAt(SUPERVISOR, late))
      .then([
        event('CaseReopened', { reason: 'Regulator asked us to look again', deadlines: restarted(late) }, { by: SUPERVISOR, at: late }),
      ]));

  it('is the only one who may: an agent is refused', () =>
    spec.given(resolvedCase()).when(byAt(AGENT, late)).thenThrows(DomainRuleViolation, 'reopen-window-passed'));
});

describe('ReopenCase: a vulnerable customer keeps a shortened final response (FCA FG21/1: the vulnerability persists)', () => {
  const decider = complaintDecider();
  const REOPEN_AT = after({ days: 10 });
  const reopen = command('ReopenCase', { reason: 'Still broken' }, { by: CUSTOMER, at: REOPEN_AT });
  const flaggedWith = (shortenedFinalResponseDays?: number) =>
    event('VulnerabilityFlagged', {
      reason: 'health',
      ...(shortenedFinalResponseDays !== undefined ? { shortenedFinalResponseDays } : {}),
    });
  const [regimeDue] = restarted(REOPEN_AT); // the 'default' regime: 14 calendar days from the reopen
  const finalResponseAfter = (events: ComplaintEvent[]) => {
    const state = fold(decider, [...events, ...decider.decide(reopen, fold(decider, events))]) as ComplaintCase;
    return currentDeadline(state.deadlineHistory, 'final-response');
  };

  it('given a case flagged with a 7-day target and resolved, when reopened, then its final response falls due 7 days after the reopen', () =>
    spec
      .given([received(), flaggedWith(7), assessed('yes'), resolved()])
      .when(reopen)
      .then([
        event(
          'CaseReopened',
          {
            reason: 'Still broken',
            deadlines: [regimeDue],
            vulnerableCustomerDeadlines: [{ ...regimeDue, dueAt: after({ days: 7 }, REOPEN_AT) }],
          },
          { by: CUSTOMER, at: REOPEN_AT },
        ),
      ]));

  it("given that reopen, then the case's final response shows the target with the regime's due instant beside it and in the history", () =>
    expect(finalResponseAfter([received(), flaggedWith(7), assessed('yes'), resolved()])).toEqual({
      kind: 'final-response',
      dueAt: after({ days: 7 }, REOPEN_AT),
      policyVersion: 'default@2026-01',
      status: 'pending',
      shortenedFrom: regimeDue.dueAt,
      rescheduled: [{ dueAt: regimeDue.dueAt, policyVersion: 'default@2026-01', until: REOPEN_AT, by: 'vulnerable-customer' }],
    }));

  it("given the flag was cleared before the reopen, when reopened, then the final response is the regime's", () =>
    spec
      .given([received(), flaggedWith(7), assessed('yes'), resolved(), event('VulnerabilityCleared', {})])
      .when(reopen)
      .then([reopenedAt(REOPEN_AT)]));

  it("given a flag without a target, when reopened, then the final response is the regime's", () =>
    spec
      .given([received(), flaggedWith(), assessed('yes'), resolved()])
      .when(reopen)
      .then([reopenedAt(REOPEN_AT)]));

  it("given a target no sooner than the regime's deadline from the reopen, when reopened, then nothing is shortened", () =>
    spec
      .given([received(), flaggedWith(14), assessed('yes'), resolved()])
      .when(reopen)
      .then([reopenedAt(REOPEN_AT)]));
});

function reopenedAt(at: string) {
  return event('CaseReopened', { reason: 'Still broken', deadlines: restarted(at) }, { by: CUSTOMER, at });
}
