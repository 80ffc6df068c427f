import { fold } from '../../../core/decider';
import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import type { ComplaintCase } from '../../domain/complaint.state';
import { command, event, openCase, resolvedCase } from '../../domain/complaint.test-fixtures';

const decider = complaintDecider();
const spec = DeciderSpecification.for(decider);

/** Monday 2 November 2026, 10:00 in Sydney (AEDT): the 30-calendar-day IDR timeframe ends Wednesday 2 December, 10:00 AEDT. */
const RECEIVED = '2026-11-01T23:00:00.000Z';
const IDR_DUE = '2026-12-01T23:00:00.000Z';
const EXPECTED_BY = '2026-12-15T06:00:00.000Z';
const receivedAsic = event(
  'ComplaintReceived',
  {
    caseId: 'case-au',
    customerId: 'cust-au',
    channel: 'phone',
    summary: 'Card transactions disputed',
    regime: 'ASIC',
    receivedAt: RECEIVED,
  },
  { at: RECEIVED },
);
const notice = (
  at: string,
  data: Partial<{ reasons: string; afcaRightsExplained: boolean; afcaContactDetails: string; expectedBy: string }> = {},
) =>
  command(
    'SendIdrDelayNotice',
    {
      reasons: 'Waiting for the merchant’s records',
      afcaRightsExplained: true,
      afcaContactDetails: 'AFCA: www.afca.org.au, 1800 931 678',
      expectedBy: '2026-12-15T17:00:00+11:00',
      ...data,
    },
    { at },
  );

describe('SendIdrDelayNotice (ASIC RG 271)', () => {
  it('given an ASIC complaint inside its IDR timeframe, when the firm notifies a delay, then the event records the reasons, the AFCA rights and contact, and the new due instant', () =>
    spec
      .given([receivedAsic])
      .when(notice('2026-11-25T00:00:00.000Z'))
      .then([
        event(
          'IdrDelayNoticeSent',
          {
            reasons: 'Waiting for the merchant’s records',
            afcaRightsExplained: true,
            afcaContactDetails: 'AFCA: www.afca.org.au, 1800 931 678',
            expectedBy: EXPECTED_BY,
            deadlines: [{ kind: 'final-response', dueAt: EXPECTED_BY, policyVersion: 'ASIC@2026-11' }],
          },
          { at: '2026-11-25T00:00:00.000Z' },
        ),
      ]));

  it('then the IDR response is still owed, due when the firm said, the 30-day due instant kept in its history', () => {
    const [sent] = decider.decide(notice('2026-11-25T00:00:00.000Z'), fold(decider, [receivedAsic]));
    const state = fold(decider, [receivedAsic, sent]) as ComplaintCase;
    expect(state.deadlineHistory.find((deadline) => deadline.kind === 'final-response')).toEqual({
      kind: 'final-response',
      dueAt: EXPECTED_BY,
      policyVersion: 'ASIC@2026-11',
      status: 'pending',
      rescheduled: [{ dueAt: IDR_DUE, policyVersion: 'ASIC@2026-11', until: '2026-11-25T00:00:00.000Z', by: 'idr-delay-notice' }],
    });
  });

  it('refuses a notice that does not tell the complainant of their right to complain to AFCA', () =>
    spec
      .given([receivedAsic])
      .when(notice('2026-11-25T00:00:00.000Z', { afcaRightsExplained: false }))
      .thenThrows(DomainRuleViolation, 'idr-delay-notice-needs-afca-rights'));

  it('refuses a notice without reasons', () =>
    spec
      .given([receivedAsic])
      .when(notice('2026-11-25T00:00:00.000Z', { reasons: '  ' }))
      .thenThrows(DomainRuleViolation, 'idr-delay-notice-needs-reasons'));

  it("refuses a notice without AFCA's contact details", () =>
    spec
      .given([receivedAsic])
      .when(notice('2026-11-25T00:00:00.000Z', { afcaContactDetails: ' ' }))
      .thenThrows(DomainRuleViolation, 'idr-delay-notice-needs-afca-contact'));

  it('refuses a notice sent once the IDR timeframe has ended', () =>
    spec
      .given([receivedAsic])
      .when(notice('2026-12-01T23:00:00.001Z'))
      .thenThrows(DomainRuleViolation, 'idr-delay-notice-after-timeframe'));

  it('refuses a "delay" to a date no later than the response is already due', () =>
    spec
      .given([receivedAsic])
      .when(notice('2026-11-25T00:00:00.000Z', { expectedBy: '2026-11-30T10:00:00+11:00' }))
      .thenThrows(DomainRuleViolation, 'idr-delay-notice-not-a-delay'));

  it('refuses one under another regime', () =>
    spec.given(openCase()).when(notice('2025-03-04T10:00:00.000Z')).thenThrows(DomainRuleViolation, 'idr-delay-notice-not-in-regime'));

  it('refuses one on a resolved case', () =>
    spec.given(resolvedCase()).when(notice('2025-03-04T10:00:00.000Z')).thenThrows(DomainRuleViolation, 'case-not-open'));
});
