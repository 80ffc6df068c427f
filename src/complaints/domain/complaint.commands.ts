import type { DomainCommand } from '../../core/decider';
import type { DeadlineKind } from './deadline-policies';
import type { Channel, CloseReason, ContactDirection, GoodwillKind, GoodwillResponse, Justified, Outcome, PlanResponse, Regime, RootCause, Severity } from './complaint.vocabulary';
import type { Actor } from '../../kernel/actor';
import type { Money } from '../../kernel/money';

/** Every command says who issues it (`by`) and the instant it is decided at (`at`, ISO-8601), so `decide` stays pure. */
interface Issued {
  readonly by: Actor;
  readonly at: string;
}
type CaseCommand<Type extends string, Data> = DomainCommand<Type, Data> & Issued;

export type ReceiveComplaint = CaseCommand<'ReceiveComplaint', {
  caseId: string;
  customerId: string;
  channel: Channel;
  summary: string;
  details?: string;
  remedySought?: string;
  orderRef?: string;
  orderValue?: Money;
  regime: Regime;
  /** When the customer complained; defaults to `at`. Never in the future. */
  receivedAt?: string;
}>;
export type AcknowledgeComplaint = CaseCommand<'AcknowledgeComplaint', { channel: Channel; message: string }>;
export type LogCustomerContact = CaseCommand<'LogCustomerContact', { direction: ContactDirection; channel: Channel; summary: string }>;
export type AssignCase = CaseCommand<'AssignCase', { agentId: string; team?: string }>;
/** `level` defaults to one above the current level. */
export type EscalateCase = CaseCommand<'EscalateCase', { reason: string; level?: number; team?: string }>;
export type AssessComplaint = CaseCommand<'AssessComplaint', {
  category: string;
  severity: Severity;
  justified: Justified;
  rootCause: RootCause;
  findings: string;
}>;
export type IssueApology = CaseCommand<'IssueApology', { channel: Channel; message: string }>;
export type ExplainDecision = CaseCommand<'ExplainDecision', { channel: Channel; message: string }>;
export type CommunicateResolutionPlan = CaseCommand<'CommunicateResolutionPlan', { planId: string; actions: string[]; dueBy: string }>;
export type RecordPlanResponse = CaseCommand<'RecordPlanResponse', { response: PlanResponse; comment?: string }>;
export type OfferGoodwill = CaseCommand<'OfferGoodwill', {
  offerId: string;
  kind: GoodwillKind;
  amount: number;
  currency: string;
  withoutAdmission: boolean;
  description?: string;
}>;
export type ApproveGoodwill = CaseCommand<'ApproveGoodwill', { offerId: string; note?: string }>;
export type DeclineGoodwill = CaseCommand<'DeclineGoodwill', { offerId: string; reason: string }>;
export type RecordGoodwillResponse = CaseCommand<'RecordGoodwillResponse', { offerId: string; response: GoodwillResponse; comment?: string }>;
export type FulfilGoodwill = CaseCommand<'FulfilGoodwill', { offerId: string; reference?: string }>;
export type ApplySystemFix = CaseCommand<'ApplySystemFix', {
  fixId: string;
  description: string;
  procedureChange: string;
  effectiveFrom: string;
  customerNotified: boolean;
}>;
export type ResolveComplaint = CaseCommand<'ResolveComplaint', { resolution: string; outcome: Outcome }>;
export type CompleteFollowUp = CaseCommand<'CompleteFollowUp', { satisfied: boolean; csat: number; nps?: number; comment?: string }>;
/** `reason` is required unless the case was followed up or withdrawn (then it is inferred). */
export type CloseCase = CaseCommand<'CloseCase', { reason?: CloseReason; note?: string }>;
export type ReopenCase = CaseCommand<'ReopenCase', { reason: string }>;
export type WithdrawComplaint = CaseCommand<'WithdrawComplaint', { reason?: string }>;
/** Issued by the deadline clock (a `system` actor) once a deadline has passed unmet; `dueAt` and `policyVersion` as the policy set them. */
export type RecordDeadlineBreach = CaseCommand<'RecordDeadlineBreach', { kind: DeadlineKind; dueAt: string; policyVersion: string }>;

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
  | RecordDeadlineBreach;

export type ComplaintCommandType = ComplaintCommand['type'];
