import { type Decider, collectRules, type CommandsByType, type RulesOf } from '../../core/decider';
import { NotFoundError } from '../../core/errors';
import { decideAcknowledgeComplaint, type AcknowledgeComplaint } from '../commands/acknowledge-complaint/acknowledge-complaint.decide';
import { APPLY_SYSTEM_FIX_RULES, decideApplySystemFix, type ApplySystemFix } from '../commands/apply-system-fix/apply-system-fix.decide';
import { decideApproveGoodwill, type ApproveGoodwill } from '../commands/approve-goodwill/approve-goodwill.decide';
import { ASSESS_COMPLAINT_RULES, decideAssessComplaint, type AssessComplaint } from '../commands/assess-complaint/assess-complaint.decide';
import { decideAssignCase, type AssignCase } from '../commands/assign-case/assign-case.decide';
import { CLOSE_CASE_RULES, decideCloseCase, type CloseCase } from '../commands/close-case/close-case.decide';
import {
  COMMUNICATE_RESOLUTION_PLAN_RULES,
  decideCommunicateResolutionPlan,
  type CommunicateResolutionPlan,
} from '../commands/communicate-resolution-plan/communicate-resolution-plan.decide';
import {
  COMPLETE_FOLLOW_UP_RULES,
  decideCompleteFollowUp,
  type CompleteFollowUp,
} from '../commands/complete-follow-up/complete-follow-up.decide';
import { decideDeclineGoodwill, type DeclineGoodwill } from '../commands/decline-goodwill/decline-goodwill.decide';
import { ESCALATE_CASE_RULES, decideEscalateCase, type EscalateCase } from '../commands/escalate-case/escalate-case.decide';
import { EXPLAIN_DECISION_RULES, decideExplainDecision, type ExplainDecision } from '../commands/explain-decision/explain-decision.decide';
import { FULFIL_GOODWILL_RULES, decideFulfilGoodwill, type FulfilGoodwill } from '../commands/fulfil-goodwill/fulfil-goodwill.decide';
import { decideIssueApology, type IssueApology } from '../commands/issue-apology/issue-apology.decide';
import { decideLogCustomerContact, type LogCustomerContact } from '../commands/log-customer-contact/log-customer-contact.decide';
import { OFFER_GOODWILL_RULES, decideOfferGoodwill, type OfferGoodwill } from '../commands/offer-goodwill/offer-goodwill.decide';
import {
  RECEIVE_COMPLAINT_RULES,
  decideReceiveComplaint,
  type ReceiveComplaint,
} from '../commands/receive-complaint/receive-complaint.decide';
import {
  RECORD_DEADLINE_BREACH_RULES,
  decideRecordDeadlineBreach,
  type RecordDeadlineBreach,
} from '../commands/record-deadline-breach/record-deadline-breach.decide';
import {
  RECORD_DEADLINE_EXCEPTION_RULES,
  decideRecordDeadlineException,
  type RecordDeadlineException,
} from '../commands/record-deadline-exception/record-deadline-exception.decide';
import {
  RECORD_GOODWILL_RESPONSE_RULES,
  decideRecordGoodwillResponse,
  type RecordGoodwillResponse,
} from '../commands/record-goodwill-response/record-goodwill-response.decide';
import {
  RECORD_PLAN_RESPONSE_RULES,
  decideRecordPlanResponse,
  type RecordPlanResponse,
} from '../commands/record-plan-response/record-plan-response.decide';
import { REOPEN_CASE_RULES, decideReopenCase, type ReopenCase } from '../commands/reopen-case/reopen-case.decide';
import {
  RESOLVE_COMPLAINT_RULES,
  decideResolveComplaint,
  type ResolveComplaint,
} from '../commands/resolve-complaint/resolve-complaint.decide';
import { decideWithdrawComplaint, type WithdrawComplaint } from '../commands/withdraw-complaint/withdraw-complaint.decide';
import {
  SEND_HOLDING_RESPONSE_RULES,
  decideSendHoldingResponse,
  type SendHoldingResponse,
} from '../commands/send-holding-response/send-holding-response.decide';
import {
  SEND_IDR_DELAY_NOTICE_RULES,
  decideSendIdrDelayNotice,
  type SendIdrDelayNotice,
} from '../commands/send-idr-delay-notice/send-idr-delay-notice.decide';
import { decideAddAttachment, type AddAttachment } from '../commands/add-attachment/add-attachment.decide';
import { decideAddInternalNote, type AddInternalNote } from '../commands/add-internal-note/add-internal-note.decide';
import {
  CLEAR_VULNERABILITY_RULES,
  decideClearVulnerability,
  type ClearVulnerability,
} from '../commands/clear-vulnerability/clear-vulnerability.decide';
import {
  FLAG_VULNERABILITY_RULES,
  decideFlagVulnerability,
  type FlagVulnerability,
} from '../commands/flag-vulnerability/flag-vulnerability.decide';
import {
  ISSUE_FINAL_RESPONSE_RULES,
  decideIssueFinalResponse,
  type IssueFinalResponse,
} from '../commands/issue-final-response/issue-final-response.decide';
import { decideRouteCase, type RouteCase } from '../commands/route-case/route-case.decide';
import { TAG_CASE_RULES, decideTagCase, type TagCase } from '../commands/tag-case/tag-case.decide';
import { UNTAG_CASE_RULES, decideUntagCase, type UntagCase } from '../commands/untag-case/untag-case.decide';
import { DEFAULT_COMPLAINT_POLICY, type ComplaintPolicy } from './complaint-policy';
import type { ComplaintEvent } from './complaint.events';
import { SHARED_COMPLAINT_RULES, ensure, type SharedComplaintRule } from './complaint.rules';
import { caseExists, evolve, initialComplaintState, type ComplaintCase, type ComplaintState } from './complaint.state';

export type ComplaintCommand =
  | ReceiveComplaint
  | AcknowledgeComplaint
  | LogCustomerContact
  | AssignCase
  | EscalateCase
  | AssessComplaint
  | IssueApology
  | ExplainDecision
  | CommunicateResolutionPlan
  | RecordPlanResponse
  | OfferGoodwill
  | ApproveGoodwill
  | DeclineGoodwill
  | RecordGoodwillResponse
  | FulfilGoodwill
  | ApplySystemFix
  | ResolveComplaint
  | CompleteFollowUp
  | CloseCase
  | ReopenCase
  | WithdrawComplaint
  | RecordDeadlineBreach
  | RecordDeadlineException
  | SendHoldingResponse
  | SendIdrDelayNotice
  | RouteCase
  | TagCase
  | UntagCase
  | AddInternalNote
  | FlagVulnerability
  | ClearVulnerability
  | IssueFinalResponse
  | AddAttachment;

export type ComplaintCommandType = ComplaintCommand['type'];

type CommandByType = CommandsByType<ComplaintCommand>;

/** A decision as the decider takes it: on any state of the stream, under the firm's policy. */
type Decision<Command extends ComplaintCommand> = (command: Command, state: ComplaintState, policy: ComplaintPolicy) => ComplaintEvent[];
type CaseDecision<Command extends ComplaintCommand> = (command: Command, state: ComplaintCase, policy: ComplaintPolicy) => ComplaintEvent[];

/** How the decider runs one command: its decision and the rules only that use case applies. */
interface UseCase<Command extends ComplaintCommand> {
  readonly decide: Decision<Command>;
  readonly rules?: Readonly<Record<string, string>>;
}

type UseCaseTable = { readonly [Type in ComplaintCommandType]: UseCase<CommandByType[Type]> };

/** The decider does not know the case id: the caller that loaded the stream names it if it wants to. */
function ensureCaseExists(state: ComplaintState): asserts state is ComplaintCase {
  if (!caseExists(state)) throw new NotFoundError('Case does not exist: a complaint must be received first.');
}

/** A closed case still owes its response duties: their breach is recorded, or a documented exception ends them. */
const ALLOWED_WHEN_CLOSED: ReadonlySet<ComplaintCommandType> = new Set(['ReopenCase', 'RecordDeadlineBreach', 'RecordDeadlineException']);
/** Goodwill the customer already accepted is still honoured after they withdraw, so the case can be closed. */
const ALLOWED_WHEN_WITHDRAWN: ReadonlySet<ComplaintCommandType> = new Set([
  'CloseCase',
  'LogCustomerContact',
  'FulfilGoodwill',
  'RecordDeadlineBreach',
]);

function ensureLifecycleAllows(command: ComplaintCommandType, state: ComplaintCase): void {
  if (state.status === 'closed') ensure(ALLOWED_WHEN_CLOSED.has(command), 'case-closed');
  if (state.status === 'withdrawn') ensure(ALLOWED_WHEN_WITHDRAWN.has(command), 'case-withdrawn');
}

/** A decision on a case already received: the case must exist and its lifecycle must allow the command. */
function onExistingCase<Command extends ComplaintCommand>(decide: CaseDecision<Command>): Decision<Command> {
  return (command, state, policy) => {
    ensureCaseExists(state);
    ensureLifecycleAllows(command.type, state);
    return decide(command, state, policy);
  };
}

/**
 * A desk's bookkeeping on a case (tags, internal notes, the vulnerability flag): whatever its status, for a closed or
 * withdrawn case is still worked on, searched and reported on. The case must exist.
 */
function onAnyCase<Command extends ComplaintCommand>(decide: CaseDecision<Command>): Decision<Command> {
  return (command, state, policy) => {
    ensureCaseExists(state);
    return decide(command, state, policy);
  };
}

/** One entry per command, demanded by the compiler: a new command is one import, one union member and one entry here. */
const USE_CASES = {
  ReceiveComplaint: { decide: decideReceiveComplaint, rules: RECEIVE_COMPLAINT_RULES },
  AcknowledgeComplaint: { decide: onExistingCase(decideAcknowledgeComplaint) },
  LogCustomerContact: { decide: onExistingCase(decideLogCustomerContact) },
  AssignCase: { decide: onExistingCase(decideAssignCase) },
  EscalateCase: { decide: onExistingCase(decideEscalateCase), rules: ESCALATE_CASE_RULES },
  AssessComplaint: { decide: onExistingCase(decideAssessComplaint), rules: ASSESS_COMPLAINT_RULES },
  IssueApology: { decide: onExistingCase(decideIssueApology) },
  ExplainDecision: { decide: onExistingCase(decideExplainDecision), rules: EXPLAIN_DECISION_RULES },
  CommunicateResolutionPlan: { decide: onExistingCase(decideCommunicateResolutionPlan), rules: COMMUNICATE_RESOLUTION_PLAN_RULES },
  RecordPlanResponse: { decide: onExistingCase(decideRecordPlanResponse), rules: RECORD_PLAN_RESPONSE_RULES },
  OfferGoodwill: { decide: onExistingCase(decideOfferGoodwill), rules: OFFER_GOODWILL_RULES },
  ApproveGoodwill: { decide: onExistingCase(decideApproveGoodwill) },
  DeclineGoodwill: { decide: onExistingCase(decideDeclineGoodwill) },
  RecordGoodwillResponse: { decide: onExistingCase(decideRecordGoodwillResponse), rules: RECORD_GOODWILL_RESPONSE_RULES },
  FulfilGoodwill: { decide: onExistingCase(decideFulfilGoodwill), rules: FULFIL_GOODWILL_RULES },
  ApplySystemFix: { decide: onExistingCase(decideApplySystemFix), rules: APPLY_SYSTEM_FIX_RULES },
  ResolveComplaint: { decide: onExistingCase(decideResolveComplaint), rules: RESOLVE_COMPLAINT_RULES },
  CompleteFollowUp: { decide: onExistingCase(decideCompleteFollowUp), rules: COMPLETE_FOLLOW_UP_RULES },
  CloseCase: { decide: onExistingCase(decideCloseCase), rules: CLOSE_CASE_RULES },
  ReopenCase: { decide: onExistingCase(decideReopenCase), rules: REOPEN_CASE_RULES },
  WithdrawComplaint: { decide: onExistingCase(decideWithdrawComplaint) },
  RecordDeadlineBreach: { decide: onExistingCase(decideRecordDeadlineBreach), rules: RECORD_DEADLINE_BREACH_RULES },
  RecordDeadlineException: { decide: onExistingCase(decideRecordDeadlineException), rules: RECORD_DEADLINE_EXCEPTION_RULES },
  SendHoldingResponse: { decide: onExistingCase(decideSendHoldingResponse), rules: SEND_HOLDING_RESPONSE_RULES },
  SendIdrDelayNotice: { decide: onExistingCase(decideSendIdrDelayNotice), rules: SEND_IDR_DELAY_NOTICE_RULES },
  RouteCase: { decide: onExistingCase(decideRouteCase) },
  TagCase: { decide: onAnyCase(decideTagCase), rules: TAG_CASE_RULES },
  UntagCase: { decide: onAnyCase(decideUntagCase), rules: UNTAG_CASE_RULES },
  AddInternalNote: { decide: onAnyCase(decideAddInternalNote) },
  FlagVulnerability: { decide: onAnyCase(decideFlagVulnerability), rules: FLAG_VULNERABILITY_RULES },
  ClearVulnerability: { decide: onAnyCase(decideClearVulnerability), rules: CLEAR_VULNERABILITY_RULES },
  IssueFinalResponse: { decide: onExistingCase(decideIssueFinalResponse), rules: ISSUE_FINAL_RESPONSE_RULES },
  AddAttachment: { decide: onAnyCase(decideAddAttachment) },
} as const satisfies UseCaseTable;

/** Every command the decider takes, in the order of its dispatch table. */
export const COMPLAINT_COMMAND_TYPES = Object.keys(USE_CASES) as ComplaintCommandType[];

export type ComplaintRule = SharedComplaintRule | RulesOf<(typeof USE_CASES)[ComplaintCommandType]>;

/** Every business rule of a complaint case, its stable code and what it says: the shared rules and each use case's own. */
export const COMPLAINT_RULES = collectRules<ComplaintRule>(SHARED_COMPLAINT_RULES, USE_CASES);

/** Hands the command to its use case. Typed by the table's mapped type, so the compiler pairs each command with its own decision. */
function decideWith<Type extends ComplaintCommandType>(
  useCases: UseCaseTable,
  command: CommandByType[Type] & { type: Type },
  state: ComplaintState,
  policy: ComplaintPolicy,
): ComplaintEvent[] {
  return useCases[command.type].decide(command, state, policy);
}

export type ComplaintDecider = Decider<ComplaintCommand, ComplaintEvent, ComplaintState>;

/** Decides a command against the case's state; throws DomainRuleViolation or NotFoundError when a rule refuses it. */
export function complaintDecider(policy: ComplaintPolicy = DEFAULT_COMPLAINT_POLICY): ComplaintDecider {
  return { initialState: initialComplaintState, evolve, decide: (command, state) => decideWith(USE_CASES, command, state, policy) };
}

export const COMPLAINT_STREAM_PREFIX = 'complaint-';

export function complaintStreamName(caseId: string): string {
  return `${COMPLAINT_STREAM_PREFIX}${caseId}`;
}
