import { DomainRuleViolation } from '../../core/errors';
import { DeciderSpecification } from '../../../test/support/decider-specification';
import { complaintDecider } from './complaint.decider';
import { createComplaintPolicy } from './complaint-policy';
import {
  CUSTOMER, after, assessed, closed, closedCase, command, event, followedUp, followedUpCase, justifiedCase, offered,
  openCase, received, reopened, resolved, resolvedCase, withdrawn, withdrawnCase,
} from './complaint.test-fixtures';
import { UNRESOLVED_CLOSE_REASONS, type CloseReason, type Justified, type Outcome } from './complaint.vocabulary';

const spec = DeciderSpecification.for(complaintDecider());

describe('Resolution, follow-up, close, reopen and withdrawal', () => {
  describe('ResolveComplaint', () => {
    const resolve = (outcome: Outcome) => command('ResolveComplaint', { resolution: 'Replacement sent', outcome });
    const resolvedEvent = (outcome: Outcome) => event('ComplaintResolved', { resolution: 'Replacement sent', outcome });

    it.each<[Justified, Outcome]>([
      ['yes', 'upheld'], ['yes', 'partially-upheld'],
      ['partly', 'upheld'], ['partly', 'partially-upheld'], ['partly', 'rejected'],
      ['no', 'partially-upheld'], ['no', 'rejected'],
    ])('resolves a complaint assessed justified "%s" as %s', (justified, outcome) =>
      spec.given([received(), assessed(justified)]).when(resolve(outcome)).then([resolvedEvent(outcome)]));

    it('resolves a reopened case again', () =>
      spec.given([...resolvedCase(), reopened()]).when(resolve('upheld')).then([resolvedEvent('upheld')]));

    it('refuses before any assessment', () =>
      spec.given(openCase()).when(resolve('upheld')).thenThrows(DomainRuleViolation, 'resolve-needs-assessment'));

    it('refuses to uphold an unjustified complaint', () =>
      spec.given([received(), assessed('no')]).when(resolve('upheld')).thenThrows(DomainRuleViolation, 'outcome-contradicts-assessment'));

    it('refuses to reject a justified complaint', () =>
      spec.given(justifiedCase()).when(resolve('rejected')).thenThrows(DomainRuleViolation, 'outcome-contradicts-assessment'));

    it('refuses a case already resolved', () =>
      spec.given(resolvedCase()).when(resolve('upheld')).thenThrows(DomainRuleViolation, 'case-not-open'));
  });

  describe('CompleteFollowUp', () => {
    const followUp = (csat: number, nps?: number) =>
      command('CompleteFollowUp', { satisfied: true, csat, ...(nps !== undefined && { nps }), comment: 'Great' }, { by: CUSTOMER });

    it('records satisfaction with CSAT and NPS', () =>
      spec.given(resolvedCase()).when(followUp(5, 9)).then([
        event('FollowUpCompleted', { satisfied: true, csat: 5, nps: 9, comment: 'Great' }, { by: CUSTOMER }),
      ]));

    it('records satisfaction without NPS', () =>
      spec.given(resolvedCase()).when(followUp(1)).then([
        event('FollowUpCompleted', { satisfied: true, csat: 1, comment: 'Great' }, { by: CUSTOMER }),
      ]));

    it('accepts the bounds: NPS 0 and 10', () => {
      spec.given(resolvedCase()).when(followUp(3, 0)).then([event('FollowUpCompleted', { satisfied: true, csat: 3, nps: 0, comment: 'Great' }, { by: CUSTOMER })]);
      spec.given(resolvedCase()).when(followUp(3, 10)).then([event('FollowUpCompleted', { satisfied: true, csat: 3, nps: 10, comment: 'Great' }, { by: CUSTOMER })]);
    });

    it('follows up a new resolution after a reopen', () =>
      spec.given([...followedUpCase(), reopened(), resolved()]).when(followUp(4)).then([
        event('FollowUpCompleted', { satisfied: true, csat: 4, comment: 'Great' }, { by: CUSTOMER }),
      ]));

    it('refuses on an open case', () =>
      spec.given(justifiedCase()).when(followUp(5)).thenThrows(DomainRuleViolation, 'follow-up-needs-resolution'));

    it('refuses a second follow-up of the same resolution', () =>
      spec.given(followedUpCase()).when(followUp(5)).thenThrows(DomainRuleViolation, 'follow-up-already-completed'));

    it.each([0, 6, 3.5])('refuses CSAT %p', (csat) =>
      spec.given(resolvedCase()).when(followUp(csat)).thenThrows(DomainRuleViolation, 'csat-out-of-range'));

    it.each([-1, 11, 7.5])('refuses NPS %p', (nps) =>
      spec.given(resolvedCase()).when(followUp(4, nps)).thenThrows(DomainRuleViolation, 'nps-out-of-range'));
  });

  describe('CloseCase', () => {
    const close = (reason?: CloseReason) => command('CloseCase', { ...(reason && { reason }), note: 'n' });
    const closedEvent = (reason: CloseReason) => event('CaseClosed', { reason, note: 'n' });

    it('infers "follow-up-completed" for a followed-up case', () =>
      spec.given(followedUpCase()).when(close()).then([closedEvent('follow-up-completed')]));

    it('infers "withdrawn" for a withdrawn case', () =>
      spec.given(withdrawnCase()).when(close()).then([closedEvent('withdrawn')]));

    it('accepts the reason the case implies when it is said explicitly', () => {
      spec.given(followedUpCase()).when(close('follow-up-completed')).then([closedEvent('follow-up-completed')]);
      spec.given(withdrawnCase()).when(close('withdrawn')).then([closedEvent('withdrawn')]);
    });

    it.each(UNRESOLVED_CLOSE_REASONS)('closes an open case as "%s"', (reason) =>
      spec.given(openCase()).when(close(reason)).then([closedEvent(reason)]));

    it('closes a resolved case the customer never answered', () =>
      spec.given(resolvedCase()).when(close('customer-unresponsive')).then([closedEvent('customer-unresponsive')]));

    it('closes a case whose goodwill was fulfilled, declined or rejected', () =>
      spec.given([
        ...resolvedCase(),
        offered('o-1', 100), event('GoodwillAccepted', { offerId: 'o-1' }, { by: CUSTOMER }), event('GoodwillFulfilled', { offerId: 'o-1' }),
        offered('o-2', 100), event('GoodwillDeclined', { offerId: 'o-2' }, { by: CUSTOMER }),
        offered('o-3', 100), followedUp(),
      ]).when(close()).then([closedEvent('follow-up-completed')]));

    it('refuses an open case without a reason', () =>
      spec.given(openCase()).when(close()).thenThrows(DomainRuleViolation, 'close-needs-reason'));

    it('refuses a resolved case not followed up without a reason', () =>
      spec.given(resolvedCase()).when(close()).thenThrows(DomainRuleViolation, 'close-needs-reason'));

    it('refuses "follow-up-completed" when there was no follow-up', () =>
      spec.given(resolvedCase()).when(close('follow-up-completed')).thenThrows(DomainRuleViolation, 'close-reason-contradicts-state'));

    it('refuses "withdrawn" when the complaint was not withdrawn', () =>
      spec.given(openCase()).when(close('withdrawn')).thenThrows(DomainRuleViolation, 'close-reason-contradicts-state'));

    it('refuses while accepted goodwill is unfulfilled', () =>
      spec.given([...followedUpCase(), offered('o-1', 100), event('GoodwillAccepted', { offerId: 'o-1' }, { by: CUSTOMER })])
        .when(close()).thenThrows(DomainRuleViolation, 'unfulfilled-goodwill-blocks-close'));

    it('refuses a withdrawn case while accepted goodwill is unfulfilled', () =>
      spec.given([received(), offered('o-1', 100), event('GoodwillAccepted', { offerId: 'o-1' }, { by: CUSTOMER }), withdrawn()])
        .when(close()).thenThrows(DomainRuleViolation, 'unfulfilled-goodwill-blocks-close'));
  });

  describe('ReopenCase', () => {
    const reopenAt = (at: string) => command('ReopenCase', { reason: 'Still broken' }, { by: CUSTOMER, at });
    const reopenedAt = (at: string) => event('CaseReopened', { reason: 'Still broken' }, { by: CUSTOMER, at });
    const resolvedAtT0 = resolvedCase();

    it('reopens a resolved case within the window', () => {
      const at = after({ days: 10 });
      spec.given(resolvedAtT0).when(reopenAt(at)).then([reopenedAt(at)]);
    });

    it('reopens on the last instant of the 56-day window', () => {
      const at = after({ days: 56 });
      spec.given(resolvedAtT0).when(reopenAt(at)).then([reopenedAt(at)]);
    });

    it('reopens a closed case within the window from its closure', () => {
      const closedLater = [...followedUpCase(), closed('follow-up-completed', { at: after({ days: 30 }) })];
      const at = after({ days: 80 });
      spec.given(closedLater).when(reopenAt(at)).then([reopenedAt(at)]);
    });

    it('reopens a case closed unresolved', () => {
      const at = after({ days: 1 });
      spec.given([...openCase(), closed('customer-unresponsive')]).when(reopenAt(at)).then([reopenedAt(at)]);
    });

    it('reopens a case twice', () => {
      const at = after({ days: 2 });
      spec.given([...resolvedCase(), reopened(), resolved('upheld', { at: after({ days: 1 }) })]).when(reopenAt(at)).then([reopenedAt(at)]);
    });

    it('uses the window of the policy it is given', () => {
      const strict = DeciderSpecification.for(complaintDecider(createComplaintPolicy({ reopenWindowDays: 7 })));
      strict.given(resolvedAtT0).when(reopenAt(after({ days: 8 }))).thenThrows(DomainRuleViolation, 'reopen-window-passed');
    });

    it('refuses a resolved case past the window', () =>
      spec.given(resolvedAtT0).when(reopenAt(after({ days: 56, ms: 1 }))).thenThrows(DomainRuleViolation, 'reopen-window-passed'));

    it('refuses a closed case past the window from its closure', () =>
      spec.given(closedCase()).when(reopenAt(after({ days: 57 }))).thenThrows(DomainRuleViolation, 'reopen-window-passed'));

    it('refuses an open case', () =>
      spec.given(justifiedCase()).when(reopenAt(after({ days: 1 }))).thenThrows(DomainRuleViolation, 'reopen-needs-resolved-or-closed'));
  });

  describe('WithdrawComplaint', () => {
    it('withdraws an open complaint with a reason', () =>
      spec.given(openCase()).when(command('WithdrawComplaint', { reason: 'Found the parcel' }, { by: CUSTOMER })).then([
        event('ComplaintWithdrawn', { reason: 'Found the parcel' }, { by: CUSTOMER }),
      ]));

    it('withdraws an open complaint without a reason', () =>
      spec.given(justifiedCase()).when(command('WithdrawComplaint', {}, { by: CUSTOMER })).then([
        event('ComplaintWithdrawn', {}, { by: CUSTOMER }),
      ]));

    it('refuses a resolved complaint', () =>
      spec.given(resolvedCase()).when(command('WithdrawComplaint', {}, { by: CUSTOMER })).thenThrows(DomainRuleViolation, 'case-not-open'));
  });
});
