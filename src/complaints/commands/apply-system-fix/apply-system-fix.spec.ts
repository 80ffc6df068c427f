import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import { T0, assessed, command, event, justifiedCase, openCase, received } from '../../domain/complaint.test-fixtures';
import type { Justified, RootCause } from '../../domain/complaint.vocabulary';

const spec = DeciderSpecification.for(complaintDecider());

describe('ApplySystemFix', () => {
  const fix = (fixId = 'fix-1') =>
    command('ApplySystemFix', {
      fixId,
      description: 'Round half-even',
      procedureChange: "Billing uses banker's rounding",
      effectiveFrom: T0,
      customerNotified: true,
    });
  const fixed = (fixId = 'fix-1') =>
    event('SystemFixApplied', {
      fixId,
      description: 'Round half-even',
      procedureChange: "Billing uses banker's rounding",
      effectiveFrom: T0,
      customerNotified: true,
    });

  it.each<Justified>(['yes', 'partly'])('applies a fix to a systemic complaint assessed justified "%s"', (justified) =>
    spec
      .given([received(), assessed(justified, 'systemic')])
      .when(fix())
      .then([fixed()]),
  );

  it('applies a fix after resolution (the change may come later)', () =>
    spec
      .given([...justifiedCase('systemic'), event('ComplaintResolved', { resolution: 'r', outcome: 'upheld' })])
      .when(fix())
      .then([fixed()]));

  it('applies a second, different fix', () =>
    spec
      .given([...justifiedCase('systemic'), fixed('fix-1')])
      .when(fix('fix-2'))
      .then([fixed('fix-2')]));

  it.each<RootCause>(['one-off', 'customer-error', 'third-party', 'unknown'])('refuses for root cause "%s"', (rootCause) =>
    spec.given(justifiedCase(rootCause)).when(fix()).thenThrows(DomainRuleViolation, 'system-fix-needs-systemic-root-cause'),
  );

  it('refuses for a systemic but unjustified complaint', () =>
    spec
      .given([received(), assessed('no', 'systemic')])
      .when(fix())
      .thenThrows(DomainRuleViolation, 'system-fix-needs-systemic-root-cause'));

  it('refuses before any assessment', () =>
    spec.given(openCase()).when(fix()).thenThrows(DomainRuleViolation, 'system-fix-needs-systemic-root-cause'));

  it('refuses a fix id already applied', () =>
    spec
      .given([...justifiedCase('systemic'), fixed('fix-1')])
      .when(fix('fix-1'))
      .thenThrows(DomainRuleViolation, 'fix-already-applied'));
});
