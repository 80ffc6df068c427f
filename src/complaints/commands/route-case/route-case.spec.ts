import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { NotFoundError } from '../../../core/errors';
import { complaintDecider } from '../../domain/complaint.decider';
import { SUPERVISOR, closedCase, command, event, openCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('RouteCase', () => {
  it("puts an open case on a team's queue, saying who routed it and why", () =>
    spec
      .given(openCase())
      .when(command('RouteCase', { team: 'billing', reason: 'Double charge' }, { by: SUPERVISOR }))
      .then([event('CaseRouted', { team: 'billing', reason: 'Double charge' }, { by: SUPERVISOR })]));

  it('refuses a case that was never received', () =>
    spec
      .given([])
      .when(command('RouteCase', { team: 'billing' }))
      .thenThrows(NotFoundError));

  it('refuses a closed case: only a reopen brings it back to a queue', () =>
    spec
      .given(closedCase())
      .when(command('RouteCase', { team: 'billing' }))
      .thenThrows(Error));
});
