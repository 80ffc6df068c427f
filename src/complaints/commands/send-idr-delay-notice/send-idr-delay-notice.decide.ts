import { Ensure, ruleBook } from '../../../core/errors';
import { stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { ensureOpen } from '../../domain/complaint.rules';
import type { ComplaintCase } from '../../domain/complaint.state';
import { casePolicy } from '../../domain/deadline-policies';
import { currentDeadline } from '../../domain/deadlines';

/**
 * ASIC IDR delay notification (RG 271): the firm cannot give its IDR response within the maximum IDR timeframe. Before the
 * timeframe ends it tells the complainant the reasons for the delay, their right to complain to AFCA if they are dissatisfied,
 * and AFCA's contact details. The IDR response is still owed: it falls due when the firm now expects to give it (`expectedBy`).
 */
export type SendIdrDelayNotice = ComplaintCommandOf<
  'SendIdrDelayNotice',
  { reasons: string; afcaRightsExplained: boolean; afcaContactDetails: string; expectedBy: string }
>;

export const SEND_IDR_DELAY_NOTICE_RULES = {
  'idr-delay-notice-not-in-regime': 'An IDR delay notification is an ASIC route (RG 271): the case follows another regime.',
  'idr-delay-notice-needs-afca-rights':
    'An IDR delay notification must tell the complainant of their right to complain to AFCA if they are dissatisfied (RG 271).',
  'idr-delay-notice-needs-reasons': 'An IDR delay notification must give the reasons for the delay (RG 271).',
  'idr-delay-notice-needs-afca-contact': "An IDR delay notification must give AFCA's contact details (RG 271).",
  'idr-delay-notice-after-timeframe': 'An IDR delay notification must be sent before the IDR timeframe it answers has ended.',
  'idr-delay-notice-not-a-delay': 'The expected response date must fall after the IDR response is due: otherwise nothing is delayed.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof SEND_IDR_DELAY_NOTICE_RULES> = ruleBook(SEND_IDR_DELAY_NOTICE_RULES).ensure;

export function decideSendIdrDelayNotice(command: SendIdrDelayNotice, state: ComplaintCase): ComplaintEvent[] {
  ensureOpen(state);
  ensure(state.regime === 'ASIC', 'idr-delay-notice-not-in-regime', `The case follows ${state.policyVersion ?? state.regime}.`);
  const { reasons, afcaRightsExplained, afcaContactDetails } = command.data;
  ensure(afcaRightsExplained, 'idr-delay-notice-needs-afca-rights');
  ensure(reasons.trim() !== '', 'idr-delay-notice-needs-reasons');
  ensure(afcaContactDetails.trim() !== '', 'idr-delay-notice-needs-afca-contact');
  const response = currentDeadline(state.deadlineHistory, 'final-response');
  const dueAt = response?.dueAt;
  ensure(
    response?.status === 'pending' && dueAt !== undefined && Date.parse(command.at) <= Date.parse(dueAt),
    'idr-delay-notice-after-timeframe',
    `The IDR response is ${response?.status ?? 'not set'}${dueAt ? `, due ${dueAt}` : ''}.`,
  );
  const expectedBy = new Date(command.data.expectedBy).toISOString();
  ensure(Date.parse(expectedBy) > Date.parse(dueAt), 'idr-delay-notice-not-a-delay', `The IDR response is due ${dueAt}.`);
  const policyVersion = response.policyVersion ?? casePolicy(state).version;
  return [
    {
      type: 'IdrDelayNoticeSent',
      data: {
        reasons: reasons.trim(),
        afcaRightsExplained: true,
        afcaContactDetails: afcaContactDetails.trim(),
        expectedBy,
        deadlines: [{ kind: 'final-response', dueAt: expectedBy, policyVersion }],
        ...stamp(command),
      },
    },
  ];
}
