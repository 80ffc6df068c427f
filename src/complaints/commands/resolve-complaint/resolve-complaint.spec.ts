import { fold } from '../../../core/decider';
import { DomainRuleViolation } from '../../../core/errors';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { complaintDecider } from '../../domain/complaint.decider';
import {
  assessed,
  command,
  event,
  justifiedCase,
  openCase,
  received,
  reopened,
  resolvedCase,
  T0,
} from '../../domain/complaint.test-fixtures';
import { followUpDeadline } from '../../domain/deadline-policies';
import type { Justified, Outcome } from '../../domain/complaint.vocabulary';

const spec = DeciderSpecification.for(complaintDecider());

describe('ResolveComplaint', () => {
  const resolve = (outcome: Outcome) => command('ResolveComplaint', { resolution: 'Replacement sent', outcome });
  // The resolution records the follow-up it starts: 7 days later.
  const followUp = followUpDeadline({ regime: 'default', receivedAt: T0 }, T0);
  const resolvedEvent = (outcome: Outcome) =>
    event('ComplaintResolved', { resolution: 'Replacement sent', outcome, deadlines: [followUp] });

  it.each<[Justified, Outcome]>([
    ['yes', 'upheld'],
    ['yes', 'partially-upheld'],
    ['partly', 'upheld'],
    ['partly', 'partially-upheld'],
    ['partly', 'rejected'],
    ['no', 'partially-upheld'],
    ['no', 'rejected'],
  ])('resolves a complaint assessed justified "%s" as %s', (justified, outcome) =>
    spec
      .given([received(), assessed(justified)])
      .when(resolve(outcome))
      .then([resolvedEvent(outcome)]),
  );

  it('resolves a reopened case again', () =>
    spec
      .given([...resolvedCase(), reopened()])
      .when(resolve('upheld'))
      .then([resolvedEvent('upheld')]));

  it('refuses before any assessment', () =>
    spec.given(openCase()).when(resolve('upheld')).thenThrows(DomainRuleViolation, 'resolve-needs-assessment'));

  it('refuses to uphold an unjustified complaint', () =>
    spec
      .given([received(), assessed('no')])
      .when(resolve('upheld'))
      .thenThrows(DomainRuleViolation, 'outcome-contradicts-assessment'));

  it('refuses to reject a justified complaint', () =>
    spec.given(justifiedCase()).when(resolve('rejected')).thenThrows(DomainRuleViolation, 'outcome-contradicts-assessment'));

  it('refuses a case already resolved', () =>
    spec.given(resolvedCase()).when(resolve('upheld')).thenThrows(DomainRuleViolation, 'case-not-open'));
});

describe('ResolveComplaint: FCA summary resolution (DISP 1.5)', () => {
  // Received Thursday 24 December 2026 in London: the window runs to the close of Thursday 31 December (Christmas, the
  // weekend and the Boxing Day substitute holiday do not count).
  const RECEIVED = '2026-12-24T10:00:00.000Z';
  const WINDOW_ENDS = '2026-12-31T23:59:59.999Z';
  const fcaCase = () => [
    event(
      'ComplaintReceived',
      {
        caseId: 'case-fca',
        customerId: 'cust-1',
        channel: 'phone',
        summary: 'Charged twice',
        regime: 'FCA',
        receivedAt: RECEIVED,
      },
      { at: RECEIVED },
    ),
    assessed('yes'),
  ];
  const summary = (at: string) =>
    command('ResolveComplaint', { resolution: 'Refunded the second charge', outcome: 'upheld', summaryResolution: true }, { at });

  it('given an FCA complaint, when resolved by the close of the third business day as a summary resolution, then the resolution says so', () => {
    const [decided] = complaintDecider().decide(summary(WINDOW_ENDS), fold(complaintDecider(), fcaCase()));
    expect(decided).toMatchObject({ type: 'ComplaintResolved', data: { summaryResolution: true, at: WINDOW_ENDS } });
  });

  it('given the window has closed, when a summary resolution is attempted, then it is refused', () =>
    spec.given(fcaCase()).when(summary('2027-01-01T00:00:00.000Z')).thenThrows(DomainRuleViolation, 'summary-resolution-window-passed'));

  it('given a regime without summary resolution, when one is attempted, then it is refused', () =>
    spec
      .given([received(), assessed('yes')])
      .when(summary(T0))
      .thenThrows(DomainRuleViolation, 'summary-resolution-not-in-regime'));
});

describe('ResolveComplaint: ASIC resolution within 5 business days without a written IDR response (RG 271)', () => {
  // Received Monday 2 November 2026, 10:00 in Sydney: the window runs to the end of Monday 9 November, Sydney time.
  const RECEIVED = '2026-11-01T23:00:00.000Z';
  const WITHIN = '2026-11-05T01:00:00.000Z';
  const asicCase = () => [
    event(
      'ComplaintReceived',
      { caseId: 'case-au', customerId: 'cust-au', channel: 'phone', summary: 'Fee charged', regime: 'ASIC', receivedAt: RECEIVED },
      { at: RECEIVED },
    ),
    assessed('yes'),
  ];
  const quick = (
    extra: {
      writtenResponseRequested?: boolean;
      hardshipMatter?: 'hardship-notice' | 'declined-hardship-request' | 'default-notice' | 'postponement-request';
      fiveDayRouteBasis?: 'complete-satisfaction' | 'explanation-or-apology';
    } = {},
  ) =>
    command(
      'ResolveComplaint',
      { resolution: 'Fee refunded', outcome: 'upheld', summaryResolution: true, fiveDayRouteBasis: 'complete-satisfaction', ...extra },
      { at: WITHIN },
    );

  it('given an ASIC complaint resolved within 5 business days, when closed without a written IDR response, then the resolution says so and why', () => {
    const [decided] = complaintDecider().decide(quick(), fold(complaintDecider(), asicCase()));
    expect(decided).toMatchObject({
      type: 'ComplaintResolved',
      data: { summaryResolution: true, fiveDayRouteBasis: 'complete-satisfaction', at: WITHIN },
    });
  });

  it('given an explanation and apology where no further action can be taken, when closed within 5 business days, then that basis is recorded', () => {
    const [decided] = complaintDecider().decide(
      quick({ fiveDayRouteBasis: 'explanation-or-apology' }),
      fold(complaintDecider(), asicCase()),
    );
    expect(decided.data).toMatchObject({ summaryResolution: true, fiveDayRouteBasis: 'explanation-or-apology' });
  });

  it('given no basis, when closed within 5 business days without a written IDR response, then it is refused', () =>
    spec
      .given(asicCase())
      .when(quick({ fiveDayRouteBasis: undefined }))
      .thenThrows(DomainRuleViolation, 'five-day-route-needs-basis'));

  it('given the complainant asked for a written response, when closed without one, then it is refused', () =>
    spec
      .given(asicCase())
      .when(quick({ writtenResponseRequested: true }))
      .thenThrows(DomainRuleViolation, 'idr-response-requested'));

  it.each(['hardship-notice', 'postponement-request', 'declined-hardship-request', 'default-notice'] as const)(
    'given a complaint about a %s, when closed without a written IDR response, then it is refused',
    (hardshipMatter) => spec.given(asicCase()).when(quick({ hardshipMatter })).thenThrows(DomainRuleViolation, 'idr-response-for-hardship'),
  );

  it.each(['declined-insurance-claim', 'insurance-claim-value', 'superannuation-trustee-decision'] as const)(
    'given a complaint about a %s, when closed without a written IDR response, then it is refused',
    (writtenResponseMatter) =>
      spec
        .given(asicCase())
        .when(
          command(
            'ResolveComplaint',
            {
              resolution: 'Claim reviewed',
              outcome: 'upheld',
              summaryResolution: true,
              fiveDayRouteBasis: 'explanation-or-apology',
              writtenResponseMatter,
            },
            { at: WITHIN },
          ),
        )
        .thenThrows(DomainRuleViolation, 'idr-response-for-claim-or-trustee-decision'),
  );

  it('given a complaint about hardship with a written response asked for, when resolved with a written IDR response, then both are recorded', () => {
    const full = command(
      'ResolveComplaint',
      {
        resolution: 'Hardship arrangement agreed',
        outcome: 'upheld',
        hardshipMatter: 'declined-hardship-request',
        writtenResponseRequested: true,
      },
      { at: WITHIN },
    );
    const [decided] = complaintDecider().decide(full, fold(complaintDecider(), asicCase()));
    expect(decided.type).toBe('ComplaintResolved');
    expect(decided.data).toMatchObject({ hardshipMatter: 'declined-hardship-request', writtenResponseRequested: true });
    expect(decided.data).not.toHaveProperty('summaryResolution');
    expect(decided.data).not.toHaveProperty('fiveDayRouteBasis');
  });

  it('given the 5 business days have passed, when closed without a written IDR response, then it is refused', () =>
    spec
      .given(asicCase())
      .when(
        command(
          'ResolveComplaint',
          { resolution: 'Fee refunded', outcome: 'upheld', summaryResolution: true },
          { at: '2026-11-09T13:00:00.000Z' },
        ),
      )
      .thenThrows(DomainRuleViolation, 'summary-resolution-window-passed'));
});
