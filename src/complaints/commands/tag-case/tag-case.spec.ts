import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { DomainRuleViolation, NotFoundError } from '../../../core/errors';
import { complaintDecider } from '../../domain/complaint.decider';
import { SUPERVISOR, closedCase, command, event, openCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('TagCase', () => {
  it('tags a case, saying who did it', () =>
    spec
      .given(openCase())
      .when(command('TagCase', { tag: 'vip' }))
      .then([event('CaseTagged', { tag: 'vip' })]));

  it('tags a closed case too: labels are for finding cases later', () =>
    spec
      .given(closedCase())
      .when(command('TagCase', { tag: 'press' }))
      .then([event('CaseTagged', { tag: 'press' })]));

  it('refuses a tag the case already carries', () =>
    spec
      .given([...openCase(), event('CaseTagged', { tag: 'vip' })])
      .when(command('TagCase', { tag: 'vip' }))
      .thenThrows(DomainRuleViolation, 'tag-already-on-case'));

  it('refuses a 21st tag', () =>
    spec
      .given([...openCase(), ...Array.from({ length: 20 }, (_, i) => event('CaseTagged', { tag: `t-${i}` }))])
      .when(command('TagCase', { tag: 'one-more' }))
      .thenThrows(DomainRuleViolation, 'too-many-tags'));

  it('refuses a case that was never received', () =>
    spec
      .given([])
      .when(command('TagCase', { tag: 'vip' }, { by: SUPERVISOR }))
      .thenThrows(NotFoundError));
});
