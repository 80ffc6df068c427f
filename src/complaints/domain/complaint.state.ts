import { assertNever } from '../../core/decider';
import type {
  CaseClosed,
  CaseReopened,
  ComplaintAssessed,
  ComplaintEvent,
  ComplaintReceived,
  ComplaintResolved,
  DeadlineBreached,
  GoodwillOffered,
} from './complaint.events';
import {
  currentOutcomes,
  evolveDeadlines,
  initialDeadlines,
  recordedPolicyVersion,
  type CaseDeadline,
  type DeadlineOutcomes,
  type DeadlineStatus,
} from './deadlines';
import type { DeadlineKind } from './deadline-policies';
import type {
  AsicComplaintType,
  CloseReason,
  GoodwillKind,
  Justified,
  Outcome,
  Regime,
  RootCause,
  Severity,
  VulnerabilityReason,
} from './complaint.vocabulary';
import type { Actor } from '../../kernel/actor';
import type { Money } from '../../kernel/money';

export const CASE_STATUSES = ['open', 'resolved', 'withdrawn', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface Assessment {
  readonly justified: Justified;
  readonly rootCause: RootCause;
  readonly category: string;
  readonly severity: Severity;
}

export interface Assignee {
  readonly agentId: string;
  readonly team?: string;
}

export type PlanStatus = 'pending' | 'accepted' | 'rejected';

export interface ResolutionPlan {
  readonly planId: string;
  readonly dueBy: string;
  readonly status: PlanStatus;
}

export const GOODWILL_OFFER_STATUSES = ['pending-approval', 'approved', 'rejected', 'accepted', 'declined', 'fulfilled'] as const;
export type GoodwillOfferStatus = (typeof GOODWILL_OFFER_STATUSES)[number];

export interface GoodwillOffer {
  readonly offerId: string;
  readonly kind: GoodwillKind;
  readonly amount: number;
  readonly currency: string;
  readonly offeredBy: Actor;
  readonly status: GoodwillOfferStatus;
}

export type { DeadlineOutcome, DeadlineStatus } from './deadlines';

export interface RecordedBreach {
  readonly kind: DeadlineKind;
  readonly dueAt: string;
}

/** Before ComplaintReceived there is no case. */
export interface NoComplaintCase {
  readonly status: 'none';
}

export interface ComplaintCase {
  readonly status: CaseStatus;
  readonly caseId: string;
  readonly customerId: string;
  readonly regime: Regime;
  readonly orderValue?: Money;
  readonly receivedAt: string;
  /** The deadline policy version the case follows, as its receipt recorded it. */
  readonly policyVersion?: string;
  /** FCA: the end of the summary-resolution window, as its receipt recorded it. */
  readonly summaryResolutionEndsAt?: string;
  /** FCA: a payment-services complaint, whose final response has its own deadline. */
  readonly paymentServices?: true;
  /** ASIC: the complaint type with its own maximum IDR timeframe (RG 271), from receipt or assessment. */
  readonly asicComplaintType?: AsicComplaintType;
  /** The first acknowledgement: it stops the acknowledgement clock. */
  readonly acknowledgedAt?: string;
  readonly assessment?: Assessment;
  /** 0 until the first escalation. */
  readonly escalationLevel: number;
  readonly assignee?: Assignee;
  /** The latest plan communicated; a new plan supersedes it. */
  readonly plan?: ResolutionPlan;
  /** Keyed by offerId (own properties only: look up with `Object.hasOwn`). */
  readonly goodwillOffers: Readonly<Record<string, GoodwillOffer>>;
  readonly fixIds: readonly string[];
  /** Set by the latest resolution; cleared by a reopen. */
  readonly resolvedAt?: string;
  readonly outcome?: Outcome;
  /** Whether the latest resolution was followed up. */
  readonly followUpCompleted: boolean;
  readonly closedAt?: string;
  readonly closeReason?: CloseReason;
  readonly reopenCount: number;
  readonly withdrawn: boolean;
  /**
   * Per deadline kind, the outcome of its current deadline (`currentOutcomes` of `deadlineHistory`); a kind that is absent is
   * still running, or has not started. A reopen restarts `final-response` and `follow-up` (DEADLINES_RESTARTED_BY_REOPEN): their
   * outcomes are cleared, the others stay. Absent until some deadline has an outcome: read it with `deadlineStatus`.
   */
  readonly deadlines?: DeadlineOutcomes;
  /** Every deadline the case has had, in the order they started. */
  readonly deadlineHistory: readonly CaseDeadline[];
  /** Every breach recorded on the case, kept across reopens, so the clock records each (kind, dueAt) once. Absent until the first. */
  readonly breachedDeadlines?: readonly RecordedBreach[];
  /** The desk's labels on the case; absent until the first. */
  readonly tags?: readonly string[];
  /** Set while the customer is flagged vulnerable on this case. */
  readonly vulnerability?: { readonly reason: VulnerabilityReason; readonly shortenedFinalResponseDays?: number };
}

export type ComplaintState = NoComplaintCase | ComplaintCase;

export const initialComplaintState: ComplaintState = { status: 'none' };

export function caseExists(state: ComplaintState): state is ComplaintCase {
  return state.status !== 'none';
}

export function evolve(state: ComplaintState, event: ComplaintEvent): ComplaintState {
  if (!caseExists(state)) return event.type === 'ComplaintReceived' ? received(event) : state;
  return evolveCase(state, event);
}

function evolveCase(state: ComplaintCase, event: ComplaintEvent): ComplaintCase {
  return withDeadlineHistory(evolveFields(state, event), evolveDeadlines(state.deadlineHistory, event, state));
}

function withDeadlineHistory(state: ComplaintCase, deadlineHistory: readonly CaseDeadline[]): ComplaintCase {
  return { ...state, deadlineHistory, deadlines: currentOutcomes(deadlineHistory) };
}

function evolveFields(state: ComplaintCase, event: ComplaintEvent): ComplaintCase {
  switch (event.type) {
    case 'ComplaintReceived':
      return state;
    case 'ComplaintAcknowledged':
      return { ...state, acknowledgedAt: state.acknowledgedAt ?? event.data.at };
    case 'CustomerContactLogged':
      return state;
    case 'CaseAssigned':
      return { ...state, assignee: { agentId: event.data.agentId, team: event.data.team } };
    case 'CaseEscalated':
      return { ...state, escalationLevel: event.data.level };
    case 'ComplaintAssessed':
      return {
        ...state,
        assessment: assessment(event),
        ...(event.data.paymentServices ? { paymentServices: true } : {}),
        ...(event.data.asicComplaintType !== undefined ? { asicComplaintType: event.data.asicComplaintType } : {}),
      };
    case 'ApologyIssued':
    case 'ExplanationGiven':
      return state;
    case 'ResolutionPlanCommunicated':
      return { ...state, plan: { planId: event.data.planId, dueBy: event.data.dueBy, status: 'pending' } };
    case 'ResolutionPlanAccepted':
      return withPlanStatus(state, event.data.planId, 'accepted');
    case 'ResolutionPlanRejected':
      return withPlanStatus(state, event.data.planId, 'rejected');
    case 'GoodwillOffered':
      return withOffer(state, offered(event));
    case 'GoodwillApprovalRequested':
      return withOfferStatus(state, event.data.offerId, 'pending-approval');
    case 'GoodwillApproved':
      return withOfferStatus(state, event.data.offerId, 'approved');
    case 'GoodwillRejected':
      return withOfferStatus(state, event.data.offerId, 'rejected');
    case 'GoodwillAccepted':
      return withOfferStatus(state, event.data.offerId, 'accepted');
    case 'GoodwillDeclined':
      return withOfferStatus(state, event.data.offerId, 'declined');
    case 'GoodwillFulfilled':
      return withOfferStatus(state, event.data.offerId, 'fulfilled');
    case 'SystemFixApplied':
      return { ...state, fixIds: [...state.fixIds, event.data.fixId] };
    case 'ComplaintResolved':
      return resolved(state, event);
    case 'FollowUpCompleted':
      return { ...state, followUpCompleted: true };
    case 'CaseClosed':
      return closed(state, event);
    case 'CaseReopened':
      return reopened(state, event);
    case 'ComplaintWithdrawn':
      return { ...state, status: 'withdrawn', withdrawn: true };
    case 'DeadlineBreached':
      return withRecordedBreach(state, event);
    case 'DeadlineExceptionRecorded':
    case 'HoldingResponseSent':
    case 'IdrDelayNoticeSent':
    case 'FinalResponseIssued':
    case 'AttachmentAdded':
      return state;
    case 'CaseRouted':
      return { ...state, assignee: undefined };
    case 'CaseTagged':
      return { ...state, tags: [...(state.tags ?? []), event.data.tag] };
    case 'CaseUntagged':
      return { ...state, tags: (state.tags ?? []).filter((tag) => tag !== event.data.tag) };
    case 'InternalNoteAdded':
      return state;
    case 'VulnerabilityFlagged': {
      const { reason, shortenedFinalResponseDays } = event.data;
      return { ...state, vulnerability: shortenedFinalResponseDays === undefined ? { reason } : { reason, shortenedFinalResponseDays } };
    }
    case 'VulnerabilityCleared':
      return { ...state, vulnerability: undefined };
    default:
      return assertNever(event, 'complaint event');
  }
}

function received({ data }: ComplaintReceived): ComplaintCase {
  const policyVersion = recordedPolicyVersion(data.deadlines);
  return {
    status: 'open',
    caseId: data.caseId,
    customerId: data.customerId,
    regime: data.regime,
    orderValue: data.orderValue,
    receivedAt: data.receivedAt,
    ...(policyVersion !== undefined ? { policyVersion } : {}),
    ...(data.summaryResolutionEndsAt !== undefined ? { summaryResolutionEndsAt: data.summaryResolutionEndsAt } : {}),
    ...(data.paymentServices ? { paymentServices: true } : {}),
    ...(data.asicComplaintType !== undefined ? { asicComplaintType: data.asicComplaintType } : {}),
    deadlineHistory: initialDeadlines({ regime: data.regime, receivedAt: data.receivedAt, policyVersion }, data.deadlines),
    escalationLevel: 0,
    goodwillOffers: {},
    fixIds: [],
    followUpCompleted: false,
    reopenCount: 0,
    withdrawn: false,
  };
}

function assessment({ data }: ComplaintAssessed): Assessment {
  return { justified: data.justified, rootCause: data.rootCause, category: data.category, severity: data.severity };
}

function withPlanStatus(state: ComplaintCase, planId: string, status: PlanStatus): ComplaintCase {
  return state.plan?.planId === planId ? { ...state, plan: { ...state.plan, status } } : state;
}

/** An offer within the offering actor's limit is approved as it is made; GoodwillApprovalRequested, if it follows, makes it pending. */
function offered({ data }: GoodwillOffered): GoodwillOffer {
  return { offerId: data.offerId, kind: data.kind, amount: data.amount, currency: data.currency, offeredBy: data.by, status: 'approved' };
}

function withOffer(state: ComplaintCase, offer: GoodwillOffer): ComplaintCase {
  return { ...state, goodwillOffers: { ...state.goodwillOffers, [offer.offerId]: offer } };
}

function withOfferStatus(state: ComplaintCase, offerId: string, status: GoodwillOfferStatus): ComplaintCase {
  const offer = findGoodwillOffer(state, offerId);
  return offer ? withOffer(state, { ...offer, status }) : state;
}

export function findGoodwillOffer(state: ComplaintCase, offerId: string): GoodwillOffer | undefined {
  return Object.hasOwn(state.goodwillOffers, offerId) ? state.goodwillOffers[offerId] : undefined;
}

function resolved(state: ComplaintCase, { data }: ComplaintResolved): ComplaintCase {
  return { ...state, status: 'resolved', resolvedAt: data.at, outcome: data.outcome, followUpCompleted: false };
}

function closed(state: ComplaintCase, { data }: CaseClosed): ComplaintCase {
  return { ...state, status: 'closed', closedAt: data.at, closeReason: data.reason };
}

/** A reopened case is open again with no resolution; its history (assessment, plan, goodwill, fixes) stays. */
function reopened(state: ComplaintCase, _event: CaseReopened): ComplaintCase {
  return {
    ...state,
    status: 'open',
    resolvedAt: undefined,
    outcome: undefined,
    followUpCompleted: false,
    closedAt: undefined,
    closeReason: undefined,
    withdrawn: false,
    reopenCount: state.reopenCount + 1,
  };
}

export function deadlineStatus(state: ComplaintCase, kind: DeadlineKind): DeadlineStatus | undefined {
  return state.deadlines?.[kind];
}

/** Whether a breach of `kind` due at `dueAt` was already recorded (instants compared as instants, not as strings). */
export function breachRecorded(state: ComplaintCase, kind: DeadlineKind, dueAt: string): boolean {
  const due = Date.parse(dueAt);
  return (state.breachedDeadlines ?? []).some((breach) => breach.kind === kind && Date.parse(breach.dueAt) === due);
}

/** Every breach is remembered, whether or not it still applies to a current deadline, so the clock records each one once. */
function withRecordedBreach(state: ComplaintCase, { data }: DeadlineBreached): ComplaintCase {
  return { ...state, breachedDeadlines: [...(state.breachedDeadlines ?? []), { kind: data.kind, dueAt: data.dueAt }] };
}
