import { DomainRuleViolation } from '../../../core/errors';
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
