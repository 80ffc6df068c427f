import { DomainRuleViolation, NotFoundError } from '../../core/errors';
import { DeciderSpecification } from '../../../test/support/decider-specification';
import { complaintDecider } from './complaint.decider';
import {
  AGENT, CASE_COMMAND_EXAMPLES, CASE_ID, CUSTOMER, CUSTOMER_ID, ORDER_VALUE, SUPERVISOR, T0, after, assessed, closedCase,
  command, event, offered, openCase, received, resolvedCase, withdrawnCase,
} from './complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('Complaint intake and handling', () => {
  describe('ReceiveComplaint', () => {
    const receive = (data: { receivedAt?: string } = {}, at = T0) =>
      command('ReceiveComplaint', {
        caseId: CASE_ID, customerId: CUSTOMER_ID, channel: 'email', summary: 'Parcel arrived broken', details: 'Box crushed',
        remedySought: 'replacement', orderRef: 'order-9', orderValue: ORDER_VALUE, regime: 'FCA', ...data,
      }, { by: AGENT, at });

    it('opens a case, receivedAt defaulting to the moment it is recorded', () =>
      spec.given([]).when(receive()).then([
        event('ComplaintReceived', {
          caseId: CASE_ID, customerId: CUSTOMER_ID, channel: 'email', summary: 'Parcel arrived broken', details: 'Box crushed',
          remedySought: 'replacement', orderRef: 'order-9', orderValue: ORDER_VALUE, regime: 'FCA', receivedAt: T0,
        }),
      ]));

    it('keeps an earlier receivedAt (the complaint came in before it was keyed in)', () => {
      const receivedAt = '2025-03-01T08:00:00.000Z';
      spec.given([]).when(receive({ receivedAt })).then([
        event('ComplaintReceived', {
          caseId: CASE_ID, customerId: CUSTOMER_ID, channel: 'email', summary: 'Parcel arrived broken', details: 'Box crushed',
          remedySought: 'replacement', orderRef: 'order-9', orderValue: ORDER_VALUE, regime: 'FCA', receivedAt,
        }),
      ]);
    });

    it('carries only the optional fields that were given', () => {
      const minimal = command('ReceiveComplaint', { caseId: CASE_ID, customerId: CUSTOMER_ID, channel: 'chat', summary: 'Late', regime: 'default' }, { by: CUSTOMER });
      const [decided] = complaintDecider().decide(minimal, complaintDecider().initialState);
      expect(Object.keys(decided.data).sort()).toEqual(['at', 'by', 'caseId', 'channel', 'customerId', 'receivedAt', 'regime', 'summary']);
    });

    it('refuses a receivedAt in the future', () =>
      spec.given([]).when(receive({ receivedAt: after({ ms: 1 }) })).thenThrows(DomainRuleViolation, 'received-in-future'));

    it('refuses a second receipt of the same case', () =>
      spec.given(openCase()).when(receive()).thenThrows(DomainRuleViolation, 'case-already-received'));

    it('refuses a second receipt even of a closed case', () =>
      spec.given(closedCase()).when(receive()).thenThrows(DomainRuleViolation, 'case-already-received'));
  });

  describe('any other command before the complaint is received', () => {
    it.each(CASE_COMMAND_EXAMPLES.map((c) => [c.type, c] as const))('%s is refused as not found', (_type, anyCommand) =>
      spec.given([]).when(anyCommand).thenThrows(NotFoundError, (error) => expect(error.message).toMatch(/does not exist/)));
  });

  describe('on a closed case', () => {
    const allButReopen = CASE_COMMAND_EXAMPLES.filter((c) => c.type !== 'ReopenCase');
    it.each(allButReopen.map((c) => [c.type, c] as const))('%s is refused', (_type, anyCommand) =>
      spec.given(closedCase()).when(anyCommand).thenThrows(DomainRuleViolation, 'case-closed'));
  });

  describe('on a withdrawn case', () => {
    const allowed = new Set(['CloseCase', 'LogCustomerContact', 'FulfilGoodwill']);
    const refused = CASE_COMMAND_EXAMPLES.filter((c) => !allowed.has(c.type));
    it.each(refused.map((c) => [c.type, c] as const))('%s is refused', (_type, anyCommand) =>
      spec.given(withdrawnCase()).when(anyCommand).thenThrows(DomainRuleViolation, 'case-withdrawn'));
  });

  describe('AcknowledgeComplaint', () => {
    const acknowledge = command('AcknowledgeComplaint', { channel: 'email', message: 'We have your complaint' }, { at: after({ hours: 2 }) });

    it('acknowledges an open case', () =>
      spec.given(openCase()).when(acknowledge).then([
        event('ComplaintAcknowledged', { channel: 'email', message: 'We have your complaint' }, { at: after({ hours: 2 }) }),
      ]));

    it('may acknowledge again (only the first stops the clock)', () =>
      spec.given([...openCase(), event('ComplaintAcknowledged', { channel: 'email', message: 'Got it' })]).when(acknowledge).then([
        event('ComplaintAcknowledged', { channel: 'email', message: 'We have your complaint' }, { at: after({ hours: 2 }) }),
      ]));

    it('refuses once the case is resolved', () =>
      spec.given(resolvedCase()).when(acknowledge).thenThrows(DomainRuleViolation, 'case-not-open'));
  });

  describe('LogCustomerContact', () => {
    const contact = command('LogCustomerContact', { direction: 'inbound', channel: 'phone', summary: 'Customer called, upset' });
    const logged = event('CustomerContactLogged', { direction: 'inbound', channel: 'phone', summary: 'Customer called, upset' });

    it('logs contact on an open case', () => spec.given(openCase()).when(contact).then([logged]));
    it('logs contact on a resolved case', () => spec.given(resolvedCase()).when(contact).then([logged]));
    it('logs contact on a withdrawn case', () => spec.given(withdrawnCase()).when(contact).then([logged]));
  });

  describe('AssignCase', () => {
    it('assigns an open case to an agent and team', () =>
      spec.given(openCase()).when(command('AssignCase', { agentId: 'agent-bob', team: 'returns' }, { by: SUPERVISOR })).then([
        event('CaseAssigned', { agentId: 'agent-bob', team: 'returns' }, { by: SUPERVISOR }),
      ]));

    it('reassigns a resolved case (e.g. for the follow-up)', () =>
      spec.given(resolvedCase()).when(command('AssignCase', { agentId: 'agent-bob' })).then([
        event('CaseAssigned', { agentId: 'agent-bob' }),
      ]));
  });

  describe('EscalateCase', () => {
    const escalated = (level: number) => event('CaseEscalated', { level, reason: 'Angry customer', team: 'tier-2' });
    const escalate = (level?: number) => command('EscalateCase', { reason: 'Angry customer', team: 'tier-2', ...(level !== undefined && { level }) });

    it('escalates to level 1 by default', () => spec.given(openCase()).when(escalate()).then([escalated(1)]));

    it('escalates to one above the current level by default', () =>
      spec.given([...openCase(), escalated(2)]).when(escalate()).then([escalated(3)]));

    it('escalates to an explicit higher level', () =>
      spec.given([...openCase(), escalated(1)]).when(escalate(3)).then([escalated(3)]));

    it('refuses an explicit level that is not above the current one', () =>
      spec.given([...openCase(), escalated(2)]).when(escalate(2)).thenThrows(DomainRuleViolation, 'escalation-level-must-rise'));

    it('refuses an explicit level below the current one', () =>
      spec.given([...openCase(), escalated(2)]).when(escalate(1)).thenThrows(DomainRuleViolation, 'escalation-level-must-rise'));

    it('refuses a level that is not a whole number', () =>
      spec.given(openCase()).when(escalate(1.5)).thenThrows(DomainRuleViolation, 'escalation-level-must-rise'));

    it('refuses on a resolved case', () =>
      spec.given(resolvedCase()).when(escalate()).thenThrows(DomainRuleViolation, 'case-not-open'));
  });

  describe('the withdrawn case still honours accepted goodwill', () => {
    it('fulfils goodwill the customer accepted before withdrawing', () =>
      spec.given([
        received(), assessed('yes'), offered('offer-1', 1000),
        event('GoodwillAccepted', { offerId: 'offer-1' }, { by: CUSTOMER }), event('ComplaintWithdrawn', {}, { by: CUSTOMER }),
      ]).when(command('FulfilGoodwill', { offerId: 'offer-1' })).then([event('GoodwillFulfilled', { offerId: 'offer-1' })]));
  });
});
