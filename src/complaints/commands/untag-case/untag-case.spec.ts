import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { DomainRuleViolation, NotFoundError } from '../../../core/errors';
import { complaintDecider } from '../../domain/complaint.decider';
import { SUPERVISOR, closedCase, command, event, openCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('UntagCase', () => {
  it('removes a tag the case carries', () =>
    spec
      .given([...openCase(), event('CaseTagged', { tag: 'vip' })])
      .when(command('UntagCase', { tag: 'vip' }, { by: SUPERVISOR }))
      .then([event('CaseUntagged', { tag: 'vip' }, { by: SUPERVISOR })]));

  it('refuses a tag the case does not carry (or no longer does)', () =>
    spec
      .given([...closedCase(), event('CaseTagged', { tag: 'vip' }), event('CaseUntagged', { tag: 'vip' })])
      .when(command('UntagCase', { tag: 'vip' }))
      .thenThrows(DomainRuleViolation, 'tag-not-on-case'));

  it('refuses a case that was never received', () =>
    spec
      .given([])
      .when(command('UntagCase', { tag: 'vip' }))
      .thenThrows(NotFoundError));
});
