import { createHash } from 'node:crypto';
import { DeciderSpecification } from '../../../../test/support/decider-specification';
import { DomainRuleViolation } from '../../../core/errors';
import { complaintDecider } from '../../domain/complaint.decider';
import { closedCase, command, event, justifiedCase, openCase } from '../../domain/complaint.test-fixtures';

const spec = DeciderSpecification.for(complaintDecider());
const TEXT = 'Dear Customer, we uphold your complaint.';
const SHA = createHash('sha256').update(TEXT).digest('hex');
const issue = (data: Partial<{ outcome: 'upheld'; text: string; sha256: string }> = {}) =>
  command('IssueFinalResponse', { templateVersion: 'final-response/default@2026-01', outcome: 'upheld', text: TEXT, sha256: SHA, ...data });

describe('IssueFinalResponse', () => {
  it('records the letter word for word with its template version and SHA-256', () =>
    spec
      .given(justifiedCase())
      .when(issue())
      .then([
        event('FinalResponseIssued', { templateVersion: 'final-response/default@2026-01', outcome: 'upheld', text: TEXT, sha256: SHA }),
      ]));

  it('refuses before the complaint is assessed', () =>
    spec.given(openCase()).when(issue()).thenThrows(DomainRuleViolation, 'final-response-needs-assessment'));

  it('refuses without an outcome to state', () =>
    spec
      .given(justifiedCase())
      .when(command('IssueFinalResponse', { templateVersion: 'v', text: TEXT, sha256: SHA }))
      .thenThrows(DomainRuleViolation, 'final-response-needs-outcome'));

  it('refuses a letter whose hash does not match its text', () =>
    spec
      .given(justifiedCase())
      .when(issue({ sha256: SHA.replace(/^./, '0') === SHA ? SHA.replace(/^./, '1') : SHA.replace(/^./, '0') }))
      .thenThrows(DomainRuleViolation, 'final-response-hash-mismatch'));

  it('refuses on a closed case', () => spec.given(closedCase()).when(issue()).thenThrows(DomainRuleViolation, 'case-closed'));
});
