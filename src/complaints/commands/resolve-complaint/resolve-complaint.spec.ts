import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import { assessed, command, event, justifiedCase, openCase, received, reopened, resolvedCase, T0 } from '../../domain/complaint.test-fixtures';
import { followUpDeadline } from '../../domain/deadline-policies';
import type { Justified, Outcome } from '../../domain/complaint.vocabulary';

const spec = DeciderSpecification.for(complaintDecider());

describe('ResolveComplaint', () => {
  const resolve = (outcome: Outcome) => command('ResolveComplaint', { resolution: 'Replacement sent', outcome });
  // The resolution records the follow-up it starts: 7 days later.
  const followUp = followUpDeadline({ regime: 'default', receivedAt: T0 }, T0);
  const resolvedEvent = (outcome: Outcome) => event('ComplaintResolved', { resolution: 'Replacement sent', outcome, deadlines: [followUp] });

  it.each<[Justified, Outcome]>([
    ['yes', 'upheld'],
    ['yes', 'partially-upheld'],
    ['partly', 'upheld'],
    ['partly', 'partially-upheld'],
    ['partly', 'rejected'],
    ['no', 'partially-upheld'],
    ['no', 'rejected'],
  ])('resolves a complaint assessed justified "%s" as %s', (justified, outcome) =>
    spec
      .given([received(), assessed(justified)])
      .when(resolve(outcome))
      .then([resolvedEvent(outcome)]),
  );

  it('resolves a reopened case again', () =>
    spec
      .given([...resolvedCase(), reopened()])
      .when(resolve('upheld'))
      .then([resolvedEvent('upheld')]));

  it('refuses before any assessment', () =>
    spec.given(openCase()).when(resolve('upheld')).thenThrows(DomainRuleViolation, 'resolve-needs-assessment'));

  it('refuses to uphold an unjustified complaint', () =>
    spec
      .given([received(), assessed('no')])
      .when(resolve('upheld'))
      .thenThrows(DomainRuleViolation, 'outcome-contradicts-assessment'));

  it('refuses to reject a justified complaint', () =>
    spec.given(justifiedCase()).when(resolve('rejected')).thenThrows(DomainRuleViolation, 'outcome-contradicts-assessment'));

  it('refuses a case already resolved', () =>
    spec.given(resolvedCase()).when(resolve('upheld')).thenThrows(DomainRuleViolation, 'case-not-open'));
});
