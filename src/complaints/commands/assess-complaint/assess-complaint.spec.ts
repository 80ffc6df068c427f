import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import { command, event, justifiedCase, openCase, resolvedCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('AssessComplaint', () => {
  const assess = command('AssessComplaint', {
    category: 'billing',
    severity: 'high',
    justified: 'partly',
    rootCause: 'systemic',
    findings: 'Rounding bug',
  });
  const assessedEvent = event('ComplaintAssessed', {
    category: 'billing',
    severity: 'high',
    justified: 'partly',
    rootCause: 'systemic',
    findings: 'Rounding bug',
  });

  it('assesses an open case', () => spec.given(openCase()).when(assess).then([assessedEvent]));

  it('reassesses an assessed open case (new findings)', () => spec.given(justifiedCase()).when(assess).then([assessedEvent]));

  it('refuses on a resolved case', () => spec.given(resolvedCase()).when(assess).thenThrows(DomainRuleViolation, 'case-not-open'));
});
