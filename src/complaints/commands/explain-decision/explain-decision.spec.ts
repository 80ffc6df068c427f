import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import { assessed, command, event, justifiedCase, openCase, received } from '../../domain/complaint.test-fixtures';
import type { Justified } from '../../domain/complaint.vocabulary';

const spec = DeciderSpecification.for(complaintDecider());

describe('ExplainDecision', () => {
  const explain = command('ExplainDecision', { channel: 'email', message: 'The parcel was signed for' });
  const explained = event('ExplanationGiven', { channel: 'email', message: 'The parcel was signed for' });

  it.each<Justified>(['no', 'partly'])('explains a complaint assessed justified "%s"', (justified) =>
    spec
      .given([received(), assessed(justified)])
      .when(explain)
      .then([explained]),
  );

  it('explains on a resolved, unjustified complaint', () =>
    spec
      .given([received(), assessed('no'), event('ComplaintResolved', { resolution: 'Explained', outcome: 'rejected' })])
      .when(explain)
      .then([explained]));

  it('refuses for a justified complaint', () =>
    spec.given(justifiedCase()).when(explain).thenThrows(DomainRuleViolation, 'explanation-needs-unjustified-assessment'));

  it('refuses before any assessment', () =>
    spec.given(openCase()).when(explain).thenThrows(DomainRuleViolation, 'explanation-needs-unjustified-assessment'));
});
