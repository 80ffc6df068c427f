import { assertNever } from '../../core/decider';
import type {
  AcknowledgeComplaint, ApplySystemFix, ApproveGoodwill, AssessComplaint, AssignCase, CloseCase, CommunicateResolutionPlan,
  CompleteFollowUp, ComplaintCommand, DeclineGoodwill, EscalateCase, ExplainDecision, FulfilGoodwill, IssueApology,
  LogCustomerContact, OfferGoodwill, ReceiveComplaint, RecordDeadlineBreach, RecordGoodwillResponse, RecordPlanResponse, ReopenCase,
  ResolveComplaint, WithdrawComplaint,
} from './complaint.commands';
import type { ComplaintEvent } from './complaint.events';
import type { ComplaintPolicy } from './complaint-policy';
import {
  approvalLimitExceeded, assessmentOf, closeReasonFor, ensureAwaitingApproval, ensureBreachable, ensureCaseExists, ensureCsatInRange,
  ensureEscalationRises, ensureExplainable, ensureFollowUpDue, ensureFulfillable, ensureLifecycleAllows, ensureNewCase,
  ensureNewFix, ensureNewOffer, ensureNoUnfulfilledGoodwill, ensureNpsInRange, ensureOfferAwaitingCustomer, ensureOpen,
  ensureOutcomeFitsAssessment, ensurePlanDueInFuture, ensurePositiveAmount, ensureReceivedNotInFuture, ensureRefundFitsOrder,
  ensureReopenable, ensureSupervisor, ensureSystemActor, ensureSystemicAndJustified, ensureWithinReopenWindow, existingOffer,
  planAwaitingResponse,
} from './complaint.rules';
import type { ComplaintCase, ComplaintState } from './complaint.state';

type CaseCommand = Exclude<ComplaintCommand, ReceiveComplaint>;

/** Decides a command against the case's state; throws DomainRuleViolation or NotFoundError when a rule refuses it. */
export function decide(policy: ComplaintPolicy) {
  return (command: ComplaintCommand, state: ComplaintState): ComplaintEvent[] => {
    if (command.type === 'ReceiveComplaint') return receiveComplaint(command, state);
    ensureCaseExists(state);
    ensureLifecycleAllows(command.type, state);
    return decideOnCase(policy, command, state);
  };
}

function decideOnCase(policy: ComplaintPolicy, command: CaseCommand, state: ComplaintCase): ComplaintEvent[] {
  switch (command.type) {
    case 'AcknowledgeComplaint': return acknowledgeComplaint(command, state);
    case 'LogCustomerContact': return logCustomerContact(command);
    case 'AssignCase': return assignCase(command);
    case 'EscalateCase': return escalateCase(command, state);
    case 'AssessComplaint': return assessComplaint(command, state);
    case 'IssueApology': return issueApology(command);
    case 'ExplainDecision': return explainDecision(command, state);
    case 'CommunicateResolutionPlan': return communicateResolutionPlan(command, state);
    case 'RecordPlanResponse': return recordPlanResponse(command, state);
    case 'OfferGoodwill': return offerGoodwill(policy, command, state);
    case 'ApproveGoodwill': return approveGoodwill(command, state);
    case 'DeclineGoodwill': return declineGoodwill(command, state);
    case 'RecordGoodwillResponse': return recordGoodwillResponse(command, state);
    case 'FulfilGoodwill': return fulfilGoodwill(command, state);
    case 'ApplySystemFix': return applySystemFix(command, state);
    case 'ResolveComplaint': return resolveComplaint(command, state);
    case 'CompleteFollowUp': return completeFollowUp(command, state);
    case 'CloseCase': return closeCase(command, state);
    case 'ReopenCase': return reopenCase(policy, command, state);
    case 'WithdrawComplaint': return withdrawComplaint(command, state);
    case 'RecordDeadlineBreach': return recordDeadlineBreach(command, state);
    default: return assertNever(command, 'complaint command');
  }
}

/** Who and when, copied from the command onto every event it causes. */
function stamp(command: ComplaintCommand): { by: ComplaintCommand['by']; at: string } {
  return { by: command.by, at: command.at };
}

/** Drops absent optional fields so events carry only what was said. */
function present<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as T;
}

function receiveComplaint(command: ReceiveComplaint, state: ComplaintState): ComplaintEvent[] {
  ensureNewCase(state);
  const receivedAt = command.data.receivedAt ?? command.at;
  ensureReceivedNotInFuture(receivedAt, command.at);
  const { caseId, customerId, channel, summary, details, remedySought, orderRef, orderValue, regime } = command.data;
  return [{
    type: 'ComplaintReceived',
    data: present({ caseId, customerId, channel, summary, details, remedySought, orderRef, orderValue, regime, receivedAt, ...stamp(command) }),
  }];
}

function acknowledgeComplaint(command: AcknowledgeComplaint, state: ComplaintCase): ComplaintEvent[] {
  ensureOpen(state);
  return [{ type: 'ComplaintAcknowledged', data: { channel: command.data.channel, message: command.data.message, ...stamp(command) } }];
}

function logCustomerContact(command: LogCustomerContact): ComplaintEvent[] {
  const { direction, channel, summary } = command.data;
  return [{ type: 'CustomerContactLogged', data: { direction, channel, summary, ...stamp(command) } }];
}

function assignCase(command: AssignCase): ComplaintEvent[] {
  return [{ type: 'CaseAssigned', data: present({ agentId: command.data.agentId, team: command.data.team, ...stamp(command) }) }];
}

function escalateCase(command: EscalateCase, state: ComplaintCase): ComplaintEvent[] {
  ensureOpen(state);
  const level = command.data.level ?? state.escalationLevel + 1;
  ensureEscalationRises(level, state.escalationLevel);
  return [{ type: 'CaseEscalated', data: present({ level, reason: command.data.reason, team: command.data.team, ...stamp(command) }) }];
}

function assessComplaint(command: AssessComplaint, state: ComplaintCase): ComplaintEvent[] {
  ensureOpen(state);
  const { category, severity, justified, rootCause, findings } = command.data;
  return [{ type: 'ComplaintAssessed', data: { category, severity, justified, rootCause, findings, ...stamp(command) } }];
}

function issueApology(command: IssueApology): ComplaintEvent[] {
  return [{ type: 'ApologyIssued', data: { channel: command.data.channel, message: command.data.message, ...stamp(command) } }];
}

function explainDecision(command: ExplainDecision, state: ComplaintCase): ComplaintEvent[] {
  ensureExplainable(state);
  return [{ type: 'ExplanationGiven', data: { channel: command.data.channel, message: command.data.message, ...stamp(command) } }];
}

/** A new plan supersedes the current one, answered or not. */
function communicateResolutionPlan(command: CommunicateResolutionPlan, state: ComplaintCase): ComplaintEvent[] {
  ensureOpen(state);
  ensurePlanDueInFuture(command.data.dueBy, command.at);
  const { planId, actions, dueBy } = command.data;
  return [{ type: 'ResolutionPlanCommunicated', data: { planId, actions: [...actions], dueBy, ...stamp(command) } }];
}

function recordPlanResponse(command: RecordPlanResponse, state: ComplaintCase): ComplaintEvent[] {
  ensureOpen(state);
  const { planId } = planAwaitingResponse(state);
  const data = present({ planId, comment: command.data.comment, ...stamp(command) });
  return command.data.response === 'accepted'
    ? [{ type: 'ResolutionPlanAccepted', data }]
    : [{ type: 'ResolutionPlanRejected', data }];
}

function offerGoodwill(policy: ComplaintPolicy, command: OfferGoodwill, state: ComplaintCase): ComplaintEvent[] {
  const { offerId, kind, amount, currency, withoutAdmission, description } = command.data;
  ensurePositiveAmount(amount);
  ensureNewOffer(state, offerId);
  ensureRefundFitsOrder(state, { kind, amount, currency });
  const offered: ComplaintEvent = {
    type: 'GoodwillOffered',
    data: present({ offerId, kind, amount, currency, withoutAdmission, description, ...stamp(command) }),
  };
  const limit = approvalLimitExceeded(policy, command.by, { amount, currency });
  if (limit === undefined) return [offered];
  return [offered, { type: 'GoodwillApprovalRequested', data: { offerId, limit, ...stamp(command) } }];
}

function approveGoodwill(command: ApproveGoodwill, state: ComplaintCase): ComplaintEvent[] {
  ensureSupervisor(command.by);
  ensureAwaitingApproval(existingOffer(state, command.data.offerId));
  return [{ type: 'GoodwillApproved', data: present({ offerId: command.data.offerId, note: command.data.note, ...stamp(command) }) }];
}

function declineGoodwill(command: DeclineGoodwill, state: ComplaintCase): ComplaintEvent[] {
  ensureSupervisor(command.by);
  ensureAwaitingApproval(existingOffer(state, command.data.offerId));
  return [{ type: 'GoodwillRejected', data: { offerId: command.data.offerId, reason: command.data.reason, ...stamp(command) } }];
}

function recordGoodwillResponse(command: RecordGoodwillResponse, state: ComplaintCase): ComplaintEvent[] {
  const { offerId, response, comment } = command.data;
  ensureOfferAwaitingCustomer(existingOffer(state, offerId));
  const data = present({ offerId, comment, ...stamp(command) });
  return response === 'accepted' ? [{ type: 'GoodwillAccepted', data }] : [{ type: 'GoodwillDeclined', data }];
}

function fulfilGoodwill(command: FulfilGoodwill, state: ComplaintCase): ComplaintEvent[] {
  ensureFulfillable(existingOffer(state, command.data.offerId));
  return [{ type: 'GoodwillFulfilled', data: present({ offerId: command.data.offerId, reference: command.data.reference, ...stamp(command) }) }];
}

function applySystemFix(command: ApplySystemFix, state: ComplaintCase): ComplaintEvent[] {
  ensureSystemicAndJustified(state);
  ensureNewFix(state, command.data.fixId);
  const { fixId, description, procedureChange, effectiveFrom, customerNotified } = command.data;
  return [{ type: 'SystemFixApplied', data: { fixId, description, procedureChange, effectiveFrom, customerNotified, ...stamp(command) } }];
}

function resolveComplaint(command: ResolveComplaint, state: ComplaintCase): ComplaintEvent[] {
  ensureOpen(state);
  ensureOutcomeFitsAssessment(command.data.outcome, assessmentOf(state));
  return [{ type: 'ComplaintResolved', data: { resolution: command.data.resolution, outcome: command.data.outcome, ...stamp(command) } }];
}

function completeFollowUp(command: CompleteFollowUp, state: ComplaintCase): ComplaintEvent[] {
  ensureFollowUpDue(state);
  const { satisfied, csat, nps, comment } = command.data;
  ensureCsatInRange(csat);
  ensureNpsInRange(nps);
  return [{ type: 'FollowUpCompleted', data: present({ satisfied, csat, nps, comment, ...stamp(command) }) }];
}

function closeCase(command: CloseCase, state: ComplaintCase): ComplaintEvent[] {
  const reason = closeReasonFor(state, command.data.reason);
  ensureNoUnfulfilledGoodwill(state);
  return [{ type: 'CaseClosed', data: present({ reason, note: command.data.note, ...stamp(command) }) }];
}

function reopenCase(policy: ComplaintPolicy, command: ReopenCase, state: ComplaintCase): ComplaintEvent[] {
  ensureReopenable(state);
  ensureWithinReopenWindow(state, command.at, policy);
  return [{ type: 'CaseReopened', data: { reason: command.data.reason, ...stamp(command) } }];
}

function withdrawComplaint(command: WithdrawComplaint, state: ComplaintCase): ComplaintEvent[] {
  ensureOpen(state);
  return [{ type: 'ComplaintWithdrawn', data: present({ reason: command.data.reason, ...stamp(command) }) }];
}

/** The deadline clock's command: idempotent per (kind, dueAt), so a restarted clock cannot record a breach twice. */
function recordDeadlineBreach(command: RecordDeadlineBreach, state: ComplaintCase): ComplaintEvent[] {
  ensureSystemActor(command.by);
  ensureBreachable(state, command);
  const { kind, dueAt, policyVersion } = command.data;
  return [{ type: 'DeadlineBreached', data: { kind, dueAt, policyVersion, ...stamp(command) } }];
}
