import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import {
  AGENT,
  CASE_ID,
  CUSTOMER,
  CUSTOMER_ID,
  ORDER_VALUE,
  T0,
  after,
  closedCase,
  command,
  event,
  openCase,
} from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('ReceiveComplaint', () => {
  const receive = (data: { receivedAt?: string } = {}, at = T0) =>
    command(
      'ReceiveComplaint',
      {
        caseId: CASE_ID,
        customerId: CUSTOMER_ID,
        channel: 'email',
        summary: 'Parcel arrived broken',
        details: 'Box crushed',
        remedySought: 'replacement',
        orderRef: 'order-9',
        orderValue: ORDER_VALUE,
        regime: 'FCA',
        ...data,
      },
      { by: AGENT, at },
    );

  it('opens a case, receivedAt defaulting to the moment it is recorded', () =>
    spec
      .given([])
      .when(receive())
      .then([
        event('ComplaintReceived', {
          caseId: CASE_ID,
          customerId: CUSTOMER_ID,
          channel: 'email',
          summary: 'Parcel arrived broken',
          details: 'Box crushed',
          remedySought: 'replacement',
          orderRef: 'order-9',
          orderValue: ORDER_VALUE,
          regime: 'FCA',
          receivedAt: T0,
        }),
      ]));

  it('keeps an earlier receivedAt (the complaint came in before it was keyed in)', () => {
    const receivedAt = '2025-03-01T08:00:00.000Z';
    spec
      .given([])
      .when(receive({ receivedAt }))
      .then([
        event('ComplaintReceived', {
          caseId: CASE_ID,
          customerId: CUSTOMER_ID,
          channel: 'email',
          summary: 'Parcel arrived broken',
          details: 'Box crushed',
          remedySought: 'replacement',
          orderRef: 'order-9',
          orderValue: ORDER_VALUE,
          regime: 'FCA',
          receivedAt,
        }),
      ]);
  });

  it('carries only the optional fields that were given', () => {
    const minimal = command(
      'ReceiveComplaint',
      { caseId: CASE_ID, customerId: CUSTOMER_ID, channel: 'chat', summary: 'Late', regime: 'default' },
      { by: CUSTOMER },
    );
    const [decided] = complaintDecider().decide(minimal, complaintDecider().initialState);
    expect(Object.keys(decided.data).sort()).toEqual([
      'at',
      'by',
      'caseId',
      'channel',
      'customerId',
      'deadlines',
      'receivedAt',
      'regime',
      'summary',
    ]);
  });

  it('carries how to reach the customer, only the parts they gave, and no contact at all when they gave none', () => {
    const with_ = (contact: Record<string, string | undefined>) =>
      command(
        'ReceiveComplaint',
        { caseId: CASE_ID, customerId: CUSTOMER_ID, channel: 'chat', summary: 'Late', regime: 'default', contact },
        { by: AGENT },
      );
    const contactOf = (contact: Record<string, string | undefined>) =>
      (complaintDecider().decide(with_(contact), complaintDecider().initialState)[0].data as { contact?: unknown }).contact;
    expect(contactOf({ name: 'Ada', email: 'ada@example.com', phone: '+44 20 7946 0958' })).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
      phone: '+44 20 7946 0958',
    });
    expect(Object.keys(contactOf({ email: 'ada@example.com', phone: undefined }) as object)).toEqual(['email']);
    expect(contactOf({})).toBeUndefined();
  });

  it('refuses a receivedAt in the future', () =>
    spec
      .given([])
      .when(receive({ receivedAt: after({ ms: 1 }) }))
      .thenThrows(DomainRuleViolation, 'received-in-future'));

  it('refuses a second receipt of the same case', () =>
    spec.given(openCase()).when(receive()).thenThrows(DomainRuleViolation, 'case-already-received'));

  it('refuses a second receipt even of a closed case', () =>
    spec.given(closedCase()).when(receive()).thenThrows(DomainRuleViolation, 'case-already-received'));
});

describe('ReceiveComplaint: FCA payment-services complaints (DISP 1.6.2AR)', () => {
  // Friday 18 December 2026, 10:00 in London: 15 business days skip Christmas, the Boxing Day substitute and New Year's Day.
  const RECEIVED = '2026-12-18T10:00:00.000Z';
  const paymentComplaint = (regime: 'FCA' | 'CFPB') =>
    command(
      'ReceiveComplaint',
      { caseId: CASE_ID, customerId: CUSTOMER_ID, channel: 'web', summary: 'Transfer never arrived', regime, paymentServices: true },
      { by: AGENT, at: RECEIVED },
    );

  it('given an FCA payment-services complaint, when received, then its final response is due at the end of the 15th business day', () => {
    const [decided] = complaintDecider().decide(paymentComplaint('FCA'), complaintDecider().initialState);
    expect(decided.data).toMatchObject({
      paymentServices: true,
      deadlines: [
        { kind: 'acknowledgement', dueAt: '2026-12-21T23:59:59.999Z', policyVersion: 'FCA@2026-11' },
        // 21–24, 29–31 December, 4–8, 11–13 January: the 15th business day is Wednesday 13 January 2027.
        { kind: 'final-response', dueAt: '2027-01-13T23:59:59.999Z', policyVersion: 'FCA@2026-11' },
      ],
    });
  });

  it('refuses the payment-services flag under a regime without that deadline', () =>
    spec.given([]).when(paymentComplaint('CFPB')).thenThrows(DomainRuleViolation, 'payment-services-not-in-regime'));
});

describe('ReceiveComplaint: ASIC complaint types with their own maximum IDR timeframe (RG 271)', () => {
  // Monday 2 November 2026, 10:00 in Sydney (AEDT): calendar days keep that Sydney time of day.
  const RECEIVED = '2026-11-01T23:00:00.000Z';
  const asicComplaint = (regime: 'ASIC' | 'FCA', asicComplaintType: 'default-notice' | 'postponement-request' | 'superannuation-trustee') =>
    command(
      'ReceiveComplaint',
      { caseId: CASE_ID, customerId: CUSTOMER_ID, channel: 'phone', summary: 'Default notice in error', regime, asicComplaintType },
      { by: AGENT, at: RECEIVED },
    );
  const finalResponseOf = (decided: { data: object }) =>
    (decided.data as { deadlines: Array<{ kind: string }> }).deadlines.find((deadline) => deadline.kind === 'final-response');

  it.each([
    ['default-notice', '2026-11-22T23:00:00.000Z'],
    ['postponement-request', '2026-11-22T23:00:00.000Z'],
    ['superannuation-trustee', '2026-12-16T23:00:00.000Z'],
  ] as const)('given an ASIC complaint received as %s, when received, then its IDR response is due at %s', (type, due) => {
    const [decided] = complaintDecider().decide(asicComplaint('ASIC', type), complaintDecider().initialState);
    expect(decided.data).toMatchObject({ asicComplaintType: type });
    expect(finalResponseOf(decided)).toEqual({ kind: 'final-response', dueAt: due, policyVersion: 'ASIC@2026-11' });
  });

  it('given a standard ASIC complaint, when received, then its IDR response is due 30 calendar days later', () => {
    const standard = command(
      'ReceiveComplaint',
      { caseId: CASE_ID, customerId: CUSTOMER_ID, channel: 'phone', summary: 'Fee charged', regime: 'ASIC' },
      { by: AGENT, at: RECEIVED },
    );
    const [decided] = complaintDecider().decide(standard, complaintDecider().initialState);
    expect(decided.data).not.toHaveProperty('asicComplaintType');
    expect(finalResponseOf(decided)).toMatchObject({ dueAt: '2026-12-01T23:00:00.000Z' });
  });

  it('refuses a complaint type under a regime without those timeframes', () =>
    spec.given([]).when(asicComplaint('FCA', 'default-notice')).thenThrows(DomainRuleViolation, 'complaint-type-not-in-regime'));
});
