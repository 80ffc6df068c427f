import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import { createComplaintPolicy } from '../../domain/complaint-policy';
import { AGENT, SUPERVISOR, command, event, openCase, resolvedCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('EscalateCase', () => {
  const escalated = (level: number) => event('CaseEscalated', { level, reason: 'Angry customer', team: 'tier-2' });
  const escalate = (level?: number) =>
    command('EscalateCase', { reason: 'Angry customer', team: 'tier-2', ...(level !== undefined && { level }) });

  it('escalates to level 1 by default', () =>
    spec
      .given(openCase())
      .when(escalate())
      .then([escalated(1)]));

  it('escalates to one above the current level by default', () =>
    spec
      .given([...openCase(), escalated(2)])
      .when(escalate())
      .then([escalated(3)]));

  it('escalates to an explicit higher level', () =>
    spec
      .given([...openCase(), escalated(1)])
      .when(escalate(3))
      .then([escalated(3)]));

  it('refuses an explicit level that is not above the current one', () =>
    spec
      .given([...openCase(), escalated(2)])
      .when(escalate(2))
      .thenThrows(DomainRuleViolation, 'escalation-level-must-rise'));

  it('refuses an explicit level below the current one', () =>
    spec
      .given([...openCase(), escalated(2)])
      .when(escalate(1))
      .thenThrows(DomainRuleViolation, 'escalation-level-must-rise'));

  it('refuses a level that is not a whole number', () =>
    spec.given(openCase()).when(escalate(1.5)).thenThrows(DomainRuleViolation, 'escalation-level-must-rise'));

  it('refuses on a resolved case', () => spec.given(resolvedCase()).when(escalate()).thenThrows(DomainRuleViolation, 'case-not-open'));
});

describe('EscalateCase: the top level', () => {
  const threeLevels = DeciderSpecification.for(complaintDecider(createComplaintPolicy({ topEscalationLevel: 3 })));
  const escalateTo = (level: number, by = AGENT) => command('EscalateCase', { reason: 'Director must see this', level }, { by });

  it('lets a supervisor escalate to the top level', () =>
    threeLevels
      .given(openCase())
      .when(escalateTo(3, SUPERVISOR))
      .then([event('CaseEscalated', { level: 3, reason: 'Director must see this' }, { by: SUPERVISOR })]));

  it('refuses an agent escalating to the top level', () =>
    threeLevels.given(openCase()).when(escalateTo(3)).thenThrows(DomainRuleViolation, 'top-escalation-needs-supervisor'));

  it('refuses the next level by default when it is the top, for an agent', () =>
    threeLevels
      .given([...openCase(), event('CaseEscalated', { level: 2, reason: 'r' })])
      .when(command('EscalateCase', { reason: 'r' }))
      .thenThrows(DomainRuleViolation, 'top-escalation-needs-supervisor'));

  it('refuses any level above the top, whoever asks', () =>
    threeLevels.given(openCase()).when(escalateTo(4, SUPERVISOR)).thenThrows(DomainRuleViolation, 'escalation-above-top-level'));
});
