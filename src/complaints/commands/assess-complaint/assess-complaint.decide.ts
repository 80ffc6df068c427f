import { Ensure, ruleBook } from '../../../core/errors';
import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent, EventFacts } from '../../domain/complaint.events';
import { ensureOpen } from '../../domain/complaint.rules';
import type { ComplaintPolicy } from '../../domain/complaint-policy';
import type { ComplaintCase } from '../../domain/complaint.state';
import { causeLevels, isCauseCode, taxonomyAt } from '../../domain/root-cause-taxonomy';
import { casePolicy, deadlineStartingAt } from '../../domain/deadline-policies';
import { currentDeadline, currentStart } from '../../domain/deadlines';
import { RECEIVE_COMPLAINT_RULES } from '../receive-complaint/receive-complaint.decide';

/**
 * `paymentServices`: the assessment found a payment-services or e-money complaint (FCA DISP 1.6.2AR); `asicComplaintType`: a
 * complaint type with its own maximum IDR timeframe (ASIC RG 271).
 */
export type AssessComplaint = ComplaintCommandOf<
  'AssessComplaint',
  Omit<EventFacts<'ComplaintAssessed'>, 'taxonomyVersion' | 'paymentServices' | 'deadlines'> & { paymentServices?: boolean }
>;

export const ASSESS_COMPLAINT_RULES = {
  'cause-code-unknown': 'The root-cause code is not in the root-cause taxonomy in force.',
  'cause-code-outside-category': "The root-cause code's first level must be the assessed category.",
  'payment-services-not-in-regime': RECEIVE_COMPLAINT_RULES['payment-services-not-in-regime'],
  'payment-services-after-final-response':
    'A complaint is marked payment-services only while its final response is still owed: the deadline it would set has ended.',
  'complaint-type-not-in-regime': RECEIVE_COMPLAINT_RULES['complaint-type-not-in-regime'],
  'complaint-type-after-idr-response':
    'A complaint type with its own IDR timeframe is set only while the IDR response is still owed: the deadline it would set has ended.',
  'complaint-type-already-set':
    'The complaint already has its ASIC complaint type, and the IDR timeframe that goes with it: a different one is not recorded over it.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof ASSESS_COMPLAINT_RULES> = ruleBook(ASSESS_COMPLAINT_RULES).ensure;

export function decideAssessComplaint(command: AssessComplaint, state: ComplaintCase, policy: ComplaintPolicy): ComplaintEvent[] {
  ensureOpen(state);
  const { category, severity, justified, rootCause, findings, causeCode } = command.data;
  const taxonomy = causeCode === undefined ? undefined : taxonomyAt(command.at, policy.taxonomies);
  if (taxonomy && causeCode !== undefined) {
    ensure(isCauseCode(taxonomy, causeCode), 'cause-code-unknown', `${causeCode} is not in ${taxonomy.version}.`);
    ensure(causeLevels(causeCode)?.level1 === category, 'cause-code-outside-category', `${causeCode} is not under ${category}.`);
  }
  return [
    {
      type: 'ComplaintAssessed',
      data: present({
        category,
        severity,
        justified,
        rootCause,
        findings,
        causeCode,
        taxonomyVersion: taxonomy?.version,
        ...paymentServicesMarking(command, state, policy),
        ...asicComplaintTypeClassification(command, state, policy),
        ...stamp(command),
      }),
    },
  ];
}

/**
 * Marked a payment-services complaint on assessment: from then on the final response is the one DISP 1.6.2AR sets, counted from
 * receipt like every other (from the reopen, on a reopened case); a case already marked, on receipt or by an earlier
 * assessment, keeps what it has.
 */
function paymentServicesMarking(command: AssessComplaint, state: ComplaintCase, policy: ComplaintPolicy) {
  if (!command.data.paymentServices || state.paymentServices) return {};
  const version = casePolicy(state);
  ensure(version.paymentServicesFinalResponse !== undefined, 'payment-services-not-in-regime', `The case follows ${version.version}.`);
  const running = currentDeadline(state.deadlineHistory, 'final-response');
  ensure(running?.status === 'pending', 'payment-services-after-final-response', `The final response is ${running?.status ?? 'not set'}.`);
  const from = currentStart(state.deadlineHistory, 'final-response', state.receivedAt);
  const finalResponse = deadlineStartingAt({ ...state, paymentServices: true }, 'final-response', from, { settings: policy.calendars });
  return { paymentServices: true as const, deadlines: finalResponse ? [finalResponse] : [] };
}

/**
 * Classified at assessment as an ASIC complaint type with its own maximum IDR timeframe (RG 271): from then on the IDR response
 * is due that many days after receipt (after the reopen, on a reopened case), as RG 271 counts it; the standard due instant
 * stays in the deadline's history. The same type again records nothing new.
 */
function asicComplaintTypeClassification(command: AssessComplaint, state: ComplaintCase, policy: ComplaintPolicy) {
  const type = command.data.asicComplaintType;
  if (type === undefined || state.asicComplaintType === type) return {};
  ensure(state.asicComplaintType === undefined, 'complaint-type-already-set', `The complaint is a ${state.asicComplaintType} complaint.`);
  const version = casePolicy(state);
  ensure(version.idrTimeframes !== undefined, 'complaint-type-not-in-regime', `The case follows ${version.version}.`);
  const running = currentDeadline(state.deadlineHistory, 'final-response');
  ensure(running?.status === 'pending', 'complaint-type-after-idr-response', `The IDR response is ${running?.status ?? 'not set'}.`);
  const from = currentStart(state.deadlineHistory, 'final-response', state.receivedAt);
  const finalResponse = deadlineStartingAt({ ...state, asicComplaintType: type }, 'final-response', from, { settings: policy.calendars });
  return { asicComplaintType: type, deadlines: finalResponse ? [finalResponse] : [] };
}
