import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { createComplaintPolicy } from '../../domain/complaint-policy';
import { complaintDecider } from '../../domain/complaint.decider';
import {
  AGENT,
  CUSTOMER,
  SUPERVISOR,
  after,
  closed,
  closedCase,
  command,
  event,
  followedUpCase,
  justifiedCase,
  openCase,
  reopened,
  resolved,
  resolvedCase,
  T0,
  withdrawnCase,
} from '../../domain/complaint.test-fixtures';
import { deadlinesOnReopen } from '../../domain/deadline-policies';

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
