import { Ensure, ruleBook } from '../../../core/errors';
import type { ComplaintPolicy } from '../../domain/complaint-policy';
import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { ensureOpen } from '../../domain/complaint.rules';
import type { ComplaintCase } from '../../domain/complaint.state';
import { casePolicy, paymentServicesExtension } from '../../domain/deadline-policies';
import { currentDeadline } from '../../domain/deadlines';

/**
 * FCA holding response: the firm cannot give its final response yet. DISP 1.6.2R(2): by the end of 8 weeks, a written response
 * that explains why, says when it expects to respond, and tells the complainant they may refer the complaint to the ombudsman
 * now; it meets the 8-week deadline. DISP 1.6.2AR: for a payment-services complaint, a holding reply sent within the 15
 * business days extends the final response to the end of the 35th business day after receipt.
 */
export type SendHoldingResponse = ComplaintCommandOf<'SendHoldingResponse', { message: string; ombudsmanRightsExplained: boolean }>;

export const SEND_HOLDING_RESPONSE_RULES = {
  'holding-response-not-in-regime': 'A holding response is an FCA route (DISP 1.6.2R, 1.6.2AR): the case follows another regime.',
  'holding-response-needs-ombudsman-rights':
    'A holding response must tell the complainant they may refer the complaint to the ombudsman (DISP 1.6.2R(2)).',
  'holding-response-after-deadline': 'A holding response must be sent before the final-response deadline it answers has passed.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof SEND_HOLDING_RESPONSE_RULES> = ruleBook(SEND_HOLDING_RESPONSE_RULES).ensure;

export function decideSendHoldingResponse(command: SendHoldingResponse, state: ComplaintCase, policy: ComplaintPolicy): ComplaintEvent[] {
  ensureOpen(state);
  ensure(state.regime === 'FCA', 'holding-response-not-in-regime', `The case follows ${state.policyVersion ?? state.regime}.`);
  ensure(command.data.ombudsmanRightsExplained, 'holding-response-needs-ombudsman-rights');
  const finalResponse = currentDeadline(state.deadlineHistory, 'final-response');
  ensure(
    finalResponse?.status === 'pending' && (finalResponse.dueAt === undefined || Date.parse(command.at) <= Date.parse(finalResponse.dueAt)),
    'holding-response-after-deadline',
    `The final response is ${finalResponse?.status ?? 'not set'}${finalResponse?.dueAt ? `, due ${finalResponse.dueAt}` : ''}.`,
  );
  const extended = state.paymentServices ? paymentServicesExtension(state, casePolicy(state), { settings: policy.calendars }) : undefined;
  const { message } = command.data;
  return [
    {
      type: 'HoldingResponseSent',
      data: { message, ombudsmanRightsExplained: true, ...(extended ? { deadlines: [extended] } : {}), ...stamp(command) },
    },
  ];
}
