import { fold } from '../../../core/decider';
import { DomainRuleViolation } from '../../../core/errors';
import type { ComplaintEvent } from '../../domain/complaint.events';
import type { ComplaintCase } from '../../domain/complaint.state';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { createComplaintPolicy } from '../../domain/complaint-policy';
import { complaintDecider } from '../../domain/complaint.decider';
import { command, event, justifiedCase, openCase, resolvedCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());

describe('AssessComplaint', () => {
  const assess = command('AssessComplaint', {
    category: 'billing',
    severity: 'high',
    justified: 'partly',
    rootCause: 'systemic',
    findings: 'Rounding bug',
  });
  const assessedEvent = event('ComplaintAssessed', {
    category: 'billing',
    severity: 'high',
    justified: 'partly',
    rootCause: 'systemic',
    findings: 'Rounding bug',
  });

  it('assesses an open case', () => spec.given(openCase()).when(assess).then([assessedEvent]));

  it('reassesses an assessed open case (new findings)', () => spec.given(justifiedCase()).when(assess).then([assessedEvent]));

  it('refuses on a resolved case', () => spec.given(resolvedCase()).when(assess).thenThrows(DomainRuleViolation, 'case-not-open'));

  describe('with a root-cause code from the taxonomy', () => {
    const withCode = (category: string, causeCode: string) =>
      command('AssessComplaint', { category, severity: 'high', justified: 'yes', rootCause: 'systemic', findings: 'f', causeCode });

    it('records the code and the taxonomy version it was checked against', () =>
      spec
        .given(openCase())
        .when(withCode('billing', 'billing/double-charge'))
        .then([
          event('ComplaintAssessed', {
            category: 'billing',
            severity: 'high',
            justified: 'yes',
            rootCause: 'systemic',
            findings: 'f',
            causeCode: 'billing/double-charge',
            taxonomyVersion: 'taxonomy@2026-01',
          }),
        ]));

    it('refuses a code the taxonomy does not have', () =>
      spec.given(openCase()).when(withCode('delivery', 'delivery/teleported')).thenThrows(DomainRuleViolation, 'cause-code-unknown'));

    it('refuses a code under another category than the one assessed', () =>
      spec
        .given(openCase())
        .when(withCode('delivery', 'billing/double-charge'))
        .thenThrows(DomainRuleViolation, 'cause-code-outside-category'));
  });

  describe("with the firm's own taxonomy (TAXONOMY_FILE)", () => {
    const FIRM = {
      version: 'acme@2026-06',
      effectiveFrom: '2026-06-01T00:00:00Z',
      categories: { returns: { refused: 'A return was refused' } },
    };
    const firm = DeciderSpecification.for(complaintDecider(createComplaintPolicy({ taxonomies: [FIRM] })));
    const withCode = (causeCode: string, at: string) =>
      command(
        'AssessComplaint',
        { category: causeCode.split('/')[0], severity: 'low', justified: 'yes', rootCause: 'one-off', findings: 'f', causeCode },
        { at },
      );

    it("checks a code against the firm's version once it is in force, and records that version", () =>
      firm
        .given(openCase())
        .when(withCode('returns/refused', '2026-07-01T00:00:00.000Z'))
        .then([
          event(
            'ComplaintAssessed',
            {
              category: 'returns',
              severity: 'low',
              justified: 'yes',
              rootCause: 'one-off',
              findings: 'f',
              causeCode: 'returns/refused',
              taxonomyVersion: 'acme@2026-06',
            },
            { at: '2026-07-01T00:00:00.000Z' },
          ),
        ]));

    it('refuses a code of the version it replaced, and one of its own before it is in force', () => {
      firm
        .given(openCase())
        .when(withCode('billing/double-charge', '2026-07-01T00:00:00.000Z'))
        .thenThrows(DomainRuleViolation, 'cause-code-unknown');
      firm
        .given(openCase())
        .when(withCode('returns/refused', '2026-05-01T00:00:00.000Z'))
        .thenThrows(DomainRuleViolation, 'cause-code-unknown');
    });
  });
});

describe('AssessComplaint marking a payment-services complaint (DISP 1.6.2AR)', () => {
  /** Friday 18 December 2026, 10:00 in London: 15 business days skip Christmas, the Boxing Day substitute and New Year's Day. */
  const RECEIVED = '2026-12-18T10:00:00.000Z';
  const PSD_DUE = '2027-01-13T23:59:59.999Z';
  const EIGHT_WEEKS = '2027-02-12T10:00:00.000Z';
  const receivedFca = (regime: 'FCA' | 'ASIC' = 'FCA', paymentServices = false) =>
    event(
      'ComplaintReceived',
      {
        caseId: 'case-psd',
        customerId: 'cust-1',
        channel: 'web',
        summary: 'Transfer never arrived',
        regime,
        receivedAt: RECEIVED,
        ...(paymentServices ? { paymentServices: true as const } : {}),
      },
      { at: RECEIVED },
    );
  const facts = { category: 'payments', severity: 'high', justified: 'yes', rootCause: 'one-off', findings: 'Held by the scheme' } as const;
  const assessPsd = (at: string) => command('AssessComplaint', { ...facts, paymentServices: true }, { at });
  const decider = complaintDecider();
  const finalResponses = (events: ComplaintEvent[]) =>
    (fold(decider, events) as ComplaintCase).deadlineHistory.filter((deadline) => deadline.kind === 'final-response');

  it('given an FCA complaint received as a standard one, when the assessment marks it payment-services, then the event records the 15-business-day final response with its policy version', () =>
    spec
      .given([receivedFca()])
      .when(assessPsd('2026-12-22T10:00:00.000Z'))
      .then([
        event(
          'ComplaintAssessed',
          {
            ...facts,
            paymentServices: true,
            deadlines: [{ kind: 'final-response', dueAt: PSD_DUE, policyVersion: 'FCA@2026-11' }],
          },
          { at: '2026-12-22T10:00:00.000Z' },
        ),
      ]));

  it('then the final response falls due at the 15th business day, and the 8-week due instant stays in its history', () => {
    const history = [receivedFca()];
    const [marked] = decider.decide(assessPsd('2026-12-22T10:00:00.000Z'), fold(decider, history));
    expect(finalResponses([...history, marked])).toEqual([
      {
        kind: 'final-response',
        dueAt: PSD_DUE,
        policyVersion: 'FCA@2026-11',
        status: 'pending',
        rescheduled: [{ dueAt: EIGHT_WEEKS, policyVersion: 'FCA@2026-11', until: '2026-12-22T10:00:00.000Z', by: 'payment-services' }],
      },
    ]);
  });

  it('then a holding reply within the 15 business days extends it to the 35th, as for a complaint marked on receipt', () => {
    const history = [receivedFca()];
    const [marked] = decider.decide(assessPsd('2026-12-22T10:00:00.000Z'), fold(decider, history));
    const holding = command(
      'SendHoldingResponse',
      { message: 'Waiting for the scheme', ombudsmanRightsExplained: true },
      { at: '2027-01-12T10:00:00.000Z' },
    );
    const [sent] = decider.decide(holding, fold(decider, [...history, marked]));
    expect(sent.data).toMatchObject({ deadlines: [{ kind: 'final-response', dueAt: '2027-02-10T23:59:59.999Z' }] });
  });

  it('given a reopened case, when the assessment marks it payment-services, then the 15 business days count from the reopen', () => {
    const reopenedAt = '2027-01-04T10:00:00.000Z'; // a Monday
    const history = [
      receivedFca(),
      event('ComplaintAssessed', facts, { at: '2026-12-21T10:00:00.000Z' }),
      event('ComplaintResolved', { resolution: 'Refunded', outcome: 'upheld' }, { at: '2026-12-22T10:00:00.000Z' }),
      event('CaseReopened', { reason: 'Refund never arrived' }, { at: reopenedAt }),
    ];
    const [marked] = decider.decide(assessPsd('2027-01-05T10:00:00.000Z'), fold(decider, history));
    expect(marked.data).toMatchObject({
      deadlines: [{ kind: 'final-response', dueAt: '2027-01-25T23:59:59.999Z', policyVersion: 'FCA@2026-11' }],
    });
  });

  it('given a complaint already marked on receipt, when the assessment marks it again, then nothing about its deadlines changes', () =>
    spec
      .given([receivedFca('FCA', true)])
      .when(assessPsd('2026-12-22T10:00:00.000Z'))
      .then([event('ComplaintAssessed', facts, { at: '2026-12-22T10:00:00.000Z' })]));

  it('refuses the marking under a regime without payment-services deadlines', () =>
    spec
      .given([receivedFca('ASIC')])
      .when(assessPsd('2026-12-22T10:00:00.000Z'))
      .thenThrows(DomainRuleViolation, 'payment-services-not-in-regime'));

  it('refuses the marking once the final response has ended (here: excepted on a documented ground)', () =>
    spec
      .given([
        receivedFca(),
        event('DeadlineExceptionRecorded', {
          kind: 'final-response',
          dueAt: EIGHT_WEEKS,
          ground: 'before-ombudsman-or-court',
          reason: 'The customer took it to the ombudsman',
        }),
      ])
      .when(assessPsd('2026-12-22T10:00:00.000Z'))
      .thenThrows(DomainRuleViolation, 'payment-services-after-final-response'));
});

describe('AssessComplaint classifying an ASIC complaint type with its own maximum IDR timeframe (RG 271)', () => {
  // Monday 2 November 2026, 10:00 in Sydney (AEDT).
  const RECEIVED = '2026-11-01T23:00:00.000Z';
  const THIRTY_DAYS = '2026-12-01T23:00:00.000Z';
  const TWENTY_ONE_DAYS = '2026-11-22T23:00:00.000Z';
  const ASSESSED_AT = '2026-11-04T01:00:00.000Z';
  const receivedAsic = (regime: 'ASIC' | 'FCA' = 'ASIC', asicComplaintType?: 'hardship-notice') =>
    event(
      'ComplaintReceived',
      {
        caseId: 'case-au',
        customerId: 'cust-au',
        channel: 'phone',
        summary: 'Hardship notice ignored',
        regime,
        receivedAt: RECEIVED,
        ...(asicComplaintType ? { asicComplaintType } : {}),
      },
      { at: RECEIVED },
    );
  const facts = {
    category: 'hardship',
    severity: 'high',
    justified: 'yes',
    rootCause: 'one-off',
    findings: 'Notice not actioned',
  } as const;
  const classify = (asicComplaintType: 'hardship-notice' | 'superannuation-trustee', at = ASSESSED_AT) =>
    command('AssessComplaint', { ...facts, asicComplaintType }, { at });
  const decider = complaintDecider();
  const currentFinalResponse = (events: ComplaintEvent[]) =>
    (fold(decider, events) as ComplaintCase).deadlineHistory.filter((deadline) => deadline.kind === 'final-response').at(-1);

  it('given a standard ASIC complaint, when the assessment finds it is about a hardship notice, then the event records the 21-day IDR response', () =>
    spec
      .given([receivedAsic()])
      .when(classify('hardship-notice'))
      .then([
        event(
          'ComplaintAssessed',
          {
            ...facts,
            asicComplaintType: 'hardship-notice',
            deadlines: [{ kind: 'final-response', dueAt: TWENTY_ONE_DAYS, policyVersion: 'ASIC@2026-11' }],
          },
          { at: ASSESSED_AT },
        ),
      ]));

  it('then the IDR response falls due 21 days after receipt, and the 30-day due instant stays in its history', () => {
    const history = [receivedAsic()];
    const [classified] = decider.decide(classify('hardship-notice'), fold(decider, history));
    expect(currentFinalResponse([...history, classified])).toEqual({
      kind: 'final-response',
      dueAt: TWENTY_ONE_DAYS,
      policyVersion: 'ASIC@2026-11',
      status: 'pending',
      rescheduled: [{ dueAt: THIRTY_DAYS, policyVersion: 'ASIC@2026-11', until: ASSESSED_AT, by: 'idr-complaint-type' }],
    });
  });

  it('then the 5-business-day route is refused: a hardship complaint gets a written IDR response', () => {
    const history = [receivedAsic()];
    const [classified] = decider.decide(classify('hardship-notice'), fold(decider, history));
    const quick = command(
      'ResolveComplaint',
      { resolution: 'Arrangement agreed', outcome: 'upheld', summaryResolution: true, fiveDayRouteBasis: 'complete-satisfaction' },
      { at: '2026-11-05T01:00:00.000Z' },
    );
    expect(() => decider.decide(quick, fold(decider, [...history, classified]))).toThrow(
      expect.objectContaining({ rule: 'idr-response-for-hardship' }),
    );
  });

  it('given a superannuation trustee complaint found at assessment, then the IDR response moves out to 45 days after receipt', () => {
    const [classified] = decider.decide(classify('superannuation-trustee'), fold(decider, [receivedAsic()]));
    expect(classified.data).toMatchObject({ deadlines: [{ kind: 'final-response', dueAt: '2026-12-16T23:00:00.000Z' }] });
  });

  it('given a reopened case, when classified, then the 21 days count from the reopen', () => {
    const reopenedAt = '2026-12-10T23:00:00.000Z';
    const history = [
      receivedAsic(),
      event('ComplaintAssessed', facts, { at: ASSESSED_AT }),
      event('ComplaintResolved', { resolution: 'Explained', outcome: 'upheld' }, { at: '2026-11-10T01:00:00.000Z' }),
      event('CaseReopened', { reason: 'Notice still not actioned' }, { at: reopenedAt }),
    ];
    const [classified] = decider.decide(classify('hardship-notice', '2026-12-11T01:00:00.000Z'), fold(decider, history));
    expect(classified.data).toMatchObject({ deadlines: [{ kind: 'final-response', dueAt: '2026-12-31T23:00:00.000Z' }] });
  });

  it('given a complaint received with that type, when assessed with it again, then nothing about its deadlines changes', () =>
    spec
      .given([receivedAsic('ASIC', 'hardship-notice')])
      .when(classify('hardship-notice'))
      .then([event('ComplaintAssessed', facts, { at: ASSESSED_AT })]));

  it('refuses a different type over the one recorded', () =>
    spec
      .given([receivedAsic('ASIC', 'hardship-notice')])
      .when(classify('superannuation-trustee'))
      .thenThrows(DomainRuleViolation, 'complaint-type-already-set'));

  it('refuses the classification under a regime without those timeframes', () =>
    spec
      .given([receivedAsic('FCA')])
      .when(classify('hardship-notice'))
      .thenThrows(DomainRuleViolation, 'complaint-type-not-in-regime'));

  it('refuses the classification once the IDR response has ended (here: excepted on a documented ground)', () =>
    spec
      .given([
        receivedAsic(),
        event('DeadlineExceptionRecorded', {
          kind: 'final-response',
          dueAt: THIRTY_DAYS,
          ground: 'before-ombudsman-or-court',
          reason: 'The complainant went to AFCA',
        }),
      ])
      .when(classify('hardship-notice'))
      .thenThrows(DomainRuleViolation, 'complaint-type-after-idr-response'));
});
