import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import { SUPERVISOR, command, event, openCase, resolvedCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('AssignCase', () => {
  it('assigns an open case to an agent and team', () =>
    spec
      .given(openCase())
      .when(command('AssignCase', { agentId: 'agent-bob', team: 'returns' }, { by: SUPERVISOR }))
      .then([event('CaseAssigned', { agentId: 'agent-bob', team: 'returns' }, { by: SUPERVISOR })]));

  it('reassigns a resolved case (e.g. for the follow-up)', () =>
    spec
      .given(resolvedCase())
      .when(command('AssignCase', { agentId: 'agent-bob' }))
      .then([event('CaseAssigned', { agentId: 'agent-bob' })]));
});
