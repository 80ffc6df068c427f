import { Ensure, ruleBook } from '../../../core/errors';
import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import { ensureOpen } from '../../domain/complaint.rules';
import type { Assessment, ComplaintCase } from '../../domain/complaint.state';
import {
  isHardshipMatter,
  type FiveDayRouteBasis,
  type HardshipMatter,
  type Outcome,
  type WrittenIdrResponseMatter,
} from '../../domain/complaint.vocabulary';
import type { ComplaintPolicy } from '../../domain/complaint-policy';
import { deadlineStartingAt } from '../../domain/deadline-policies';

/**
 * `summaryResolution`: sent as an FCA summary resolution communication (DISP 1.5) rather than a final response; under ASIC,
 * closed within 5 business days without a written IDR response (RG 271), unless `writtenResponseRequested` or `hardshipMatter`.
 */
export type ResolveComplaint = ComplaintCommandOf<
  'ResolveComplaint',
  {
    resolution: string;
    outcome: Outcome;
    summaryResolution?: boolean;
    /** ASIC: the complainant asked for a written IDR response. */
    writtenResponseRequested?: boolean;
    /** ASIC: the complaint is about financial hardship. */
    hardshipMatter?: HardshipMatter;
    /** ASIC: a declined insurance claim, the value of an insurance claim or a superannuation trustee's decision. */
    writtenResponseMatter?: WrittenIdrResponseMatter;
    /** ASIC, 5-business-day route: why no written IDR response is needed (RG 271). */
    fiveDayRouteBasis?: FiveDayRouteBasis;
  }
>;

export const RESOLVE_COMPLAINT_RULES = {
  'resolve-needs-assessment': 'A complaint is resolved only after it was assessed.',
  'outcome-contradicts-assessment':
    'The outcome contradicts the assessment: an unjustified complaint cannot be upheld, a justified one cannot be rejected.',
  'summary-resolution-not-in-regime':
    "The case's deadline policy has no summary route (FCA DISP 1.5: 3 business days; ASIC RG 271: 5 business days without a written IDR response).",
  'summary-resolution-window-passed':
    'The summary route is only for a complaint resolved within its window: by the close of the 3rd (FCA) or 5th (ASIC) business day after receipt.',
  'idr-response-requested':
    'The complainant asked for a written IDR response: a complaint closed within 5 business days still gets one (ASIC RG 271).',
  'five-day-route-needs-basis':
    "A complaint closed within 5 business days without a written IDR response must have been resolved to the complainant's complete satisfaction, or answered with an explanation and/or apology where no further action can be taken (ASIC RG 271): say which.",
  'idr-response-for-hardship':
    'A complaint about a hardship notice, a postponement request, a declined hardship request or a default notice gets a written IDR response, however soon it is resolved (ASIC RG 271).',
  'idr-response-for-claim-or-trustee-decision':
    "A complaint about a declined insurance claim, the value of an insurance claim or a superannuation trustee's decision gets a written IDR response, however soon it is resolved (ASIC RG 271).",
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof RESOLVE_COMPLAINT_RULES> = ruleBook(RESOLVE_COMPLAINT_RULES).ensure;

export function assessmentOf(state: ComplaintCase): Assessment {
  const assessment = state.assessment;
  ensure(assessment !== undefined, 'resolve-needs-assessment');
  return assessment;
}

export function ensureOutcomeFitsAssessment(outcome: Outcome, assessment: Assessment): void {
  const contradicts = (assessment.justified === 'no' && outcome === 'upheld') || (assessment.justified === 'yes' && outcome === 'rejected');
  ensure(!contradicts, 'outcome-contradicts-assessment', `Assessed justified "${assessment.justified}", outcome "${outcome}".`);
}

export function decideResolveComplaint(command: ResolveComplaint, state: ComplaintCase, policy: ComplaintPolicy): ComplaintEvent[] {
  ensureOpen(state);
  ensureOutcomeFitsAssessment(command.data.outcome, assessmentOf(state));
  if (command.data.summaryResolution) {
    ensureSummaryResolutionAllowed(state, command.at);
    if (state.regime === 'ASIC') ensureNoWrittenIdrResponseOwed(command.data, state);
  }
  const followUp = deadlineStartingAt(state, 'follow-up', command.at, { settings: policy.calendars });
  const { resolution, outcome, summaryResolution, fiveDayRouteBasis, writtenResponseRequested, hardshipMatter, writtenResponseMatter } =
    command.data;
  return [
    {
      type: 'ComplaintResolved',
      data: present({
        resolution,
        outcome,
        summaryResolution: summaryResolution ? (true as const) : undefined,
        fiveDayRouteBasis: summaryResolution && state.regime === 'ASIC' ? fiveDayRouteBasis : undefined,
        writtenResponseRequested: writtenResponseRequested ? (true as const) : undefined,
        hardshipMatter,
        writtenResponseMatter,
        deadlines: followUp ? [followUp] : [],
        ...stamp(command),
      }),
    },
  ];
}

/** The window was recorded at receipt (see ComplaintReceived.summaryResolutionEndsAt): a later calendar never moves it. */
export function ensureSummaryResolutionAllowed(state: ComplaintCase, at: string): void {
  const endsAt = state.summaryResolutionEndsAt;
  ensure(endsAt !== undefined, 'summary-resolution-not-in-regime', `The case follows ${state.policyVersion ?? state.regime}.`);
  ensure(Date.parse(at) <= Date.parse(endsAt), 'summary-resolution-window-passed', `The window ended ${endsAt}.`);
}

/** RG 271's conditions of the 5-business-day route without a written IDR response, and its exceptions. */
function ensureNoWrittenIdrResponseOwed(
  { writtenResponseRequested, hardshipMatter, writtenResponseMatter, fiveDayRouteBasis }: ResolveComplaint['data'],
  state: ComplaintCase,
): void {
  ensure(fiveDayRouteBasis !== undefined, 'five-day-route-needs-basis');
  ensure(!writtenResponseRequested, 'idr-response-requested');
  // A complaint classified as a hardship matter (on receipt or assessment) is one, whatever the resolver says.
  const hardship = hardshipMatter ?? (isHardshipMatter(state.asicComplaintType) ? state.asicComplaintType : undefined);
  ensure(hardship === undefined, 'idr-response-for-hardship', `The complaint is about a ${hardship}.`);
  ensure(
    writtenResponseMatter === undefined,
    'idr-response-for-claim-or-trustee-decision',
    `The complaint is about a ${writtenResponseMatter}.`,
  );
}
