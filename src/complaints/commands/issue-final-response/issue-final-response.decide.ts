import { createHash } from 'node:crypto';
import { Ensure, ruleBook } from '../../../core/errors';
import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import type { ComplaintCase } from '../../domain/complaint.state';
import type { Outcome } from '../../domain/complaint.vocabulary';

/**
 * The final response: the letter rendered from the regime's template, recorded word for word with its SHA-256, so the
 * audit chain covers exactly what the customer was sent. It meets the final-response deadline as a resolution does.
 */
export type IssueFinalResponse = ComplaintCommandOf<
  'IssueFinalResponse',
  { templateVersion: string; outcome?: Outcome; text: string; sha256: string }
>;

export const ISSUE_FINAL_RESPONSE_RULES = {
  'final-response-needs-assessment': "A final response states the firm's decision: assess the complaint first.",
  'final-response-needs-outcome': 'A final response states the outcome: resolve the case first, or give the outcome.',
  'final-response-hash-mismatch': "The letter's SHA-256 does not match its text.",
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof ISSUE_FINAL_RESPONSE_RULES> = ruleBook(ISSUE_FINAL_RESPONSE_RULES).ensure;

export function decideIssueFinalResponse(command: IssueFinalResponse, state: ComplaintCase): ComplaintEvent[] {
  const { templateVersion, outcome, text, sha256 } = command.data;
  ensure(state.assessment !== undefined, 'final-response-needs-assessment');
  ensure(outcome !== undefined, 'final-response-needs-outcome');
  ensure(createHash('sha256').update(text, 'utf8').digest('hex') === sha256, 'final-response-hash-mismatch');
  return [{ type: 'FinalResponseIssued', data: { templateVersion, outcome, text, sha256, ...stamp(command) } }];
}
