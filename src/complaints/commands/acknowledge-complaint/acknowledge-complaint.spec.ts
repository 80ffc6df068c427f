import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import { after, command, event, openCase, resolvedCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('AcknowledgeComplaint', () => {
  const acknowledge = command('AcknowledgeComplaint', { channel: 'email', message: 'We have your complaint' }, { at: after({ hours: 2 }) });

  it('acknowledges an open case', () =>
    spec
      .given(openCase())
      .when(acknowledge)
      .then([event('ComplaintAcknowledged', { channel: 'email', message: 'We have your complaint' }, { at: after({ hours: 2 }) })]));

  it('may acknowledge again (only the first stops the clock)', () =>
    spec
      .given([...openCase(), event('ComplaintAcknowledged', { channel: 'email', message: 'Got it' })])
      .when(acknowledge)
      .then([event('ComplaintAcknowledged', { channel: 'email', message: 'We have your complaint' }, { at: after({ hours: 2 }) })]));

  it('refuses once the case is resolved', () =>
    spec.given(resolvedCase()).when(acknowledge).thenThrows(DomainRuleViolation, 'case-not-open'));
});
