import { fold } from '../../../core/decider';
import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import type { ComplaintCase } from '../../domain/complaint.state';
import { AGENT, command, event, openCase, resolvedCase } from '../../domain/complaint.test-fixtures';
import type { ComplaintEvent } from '../../domain/complaint.events';

const decider = complaintDecider();
const spec = DeciderSpecification.for(decider);

/** Friday 18 December 2026, 10:00 in London. */
const RECEIVED = '2026-12-18T10:00:00.000Z';
const receivedFca = (paymentServices: boolean): ComplaintEvent =>
  event(
    'ComplaintReceived',
    {
      caseId: 'case-hr',
      customerId: 'cust-1',
      channel: 'web',
      summary: 'Transfer never arrived',
      regime: 'FCA',
      receivedAt: RECEIVED,
      ...(paymentServices
        ? {
            paymentServices: true as const,
            deadlines: [
              { kind: 'acknowledgement' as const, dueAt: '2026-12-21T23:59:59.999Z', policyVersion: 'FCA@2026-11' },
              { kind: 'final-response' as const, dueAt: '2027-01-13T23:59:59.999Z', policyVersion: 'FCA@2026-11' },
            ],
          }
        : {}),
    },
    { at: RECEIVED },
  );
const holding = (at: string, ombudsmanRightsExplained = true) =>
  command('SendHoldingResponse', { message: 'Still waiting for the card scheme', ombudsmanRightsExplained }, { by: AGENT, at });
const finalResponseOf = (events: ComplaintEvent[]) =>
  (fold(decider, events) as ComplaintCase).deadlineHistory.filter((deadline) => deadline.kind === 'final-response');

describe('SendHoldingResponse', () => {
  it('given an FCA payment-services complaint, when a holding reply is sent within 15 business days, then the final response moves to the 35th', () => {
    const at = '2027-01-12T10:00:00.000Z';
    const [sent] = decider.decide(holding(at), fold(decider, [receivedFca(true)]));
    // 35 business days after Friday 18 December 2026, skipping Christmas, the Boxing Day substitute and New Year's Day.
    expect(sent.data).toMatchObject({
      ombudsmanRightsExplained: true,
      deadlines: [{ kind: 'final-response', dueAt: '2027-02-10T23:59:59.999Z', policyVersion: 'FCA@2026-11' }],
    });
    expect(finalResponseOf([receivedFca(true), sent])).toEqual([
      {
        kind: 'final-response',
        dueAt: '2027-02-10T23:59:59.999Z',
        extendedFrom: '2027-01-13T23:59:59.999Z',
        policyVersion: 'FCA@2026-11',
        status: 'pending',
        rescheduled: [{ dueAt: '2027-01-13T23:59:59.999Z', policyVersion: 'FCA@2026-11', until: at, by: 'holding-reply' }],
      },
    ]);
  });

  it('given a standard FCA complaint, when a holding response with ombudsman rights is sent within 8 weeks, then it meets the 8-week deadline', () => {
    const at = '2027-02-01T10:00:00.000Z';
    const [sent] = decider.decide(holding(at), fold(decider, [receivedFca(false)]));
    expect(sent.data).not.toHaveProperty('deadlines');
    expect(finalResponseOf([receivedFca(false), sent])).toEqual([expect.objectContaining({ status: 'met', answeredAt: at })]);
  });

  it('refuses a holding response that does not tell the complainant about the ombudsman', () =>
    spec
      .given([receivedFca(false)])
      .when(holding('2027-01-05T10:00:00.000Z', false))
      .thenThrows(DomainRuleViolation, 'holding-response-needs-ombudsman-rights'));

  it('refuses one after the deadline it answers has passed', () =>
    spec
      .given([receivedFca(true)])
      .when(holding('2027-01-14T00:00:00.000Z'))
      .thenThrows(DomainRuleViolation, 'holding-response-after-deadline'));

  it('refuses one under another regime', () =>
    spec.given(openCase()).when(holding('2025-03-03T10:00:00.000Z')).thenThrows(DomainRuleViolation, 'holding-response-not-in-regime'));

  it('refuses one on a resolved case', () =>
    spec.given(resolvedCase()).when(holding('2025-03-04T10:00:00.000Z')).thenThrows(DomainRuleViolation, 'case-not-open'));
});
