import type { DomainEvent } from '../../core/decider';
import type { Deadline, DeadlineKind } from './deadline-policies';
import type {
  AsicComplaintType,
  Channel,
  CloseReason,
  ContactDirection,
  DeadlineExceptionGround,
  FiveDayRouteBasis,
  GoodwillKind,
  HardshipMatter,
  Justified,
  Outcome,
  Regime,
  RootCause,
  Severity,
  VulnerabilityReason,
  WrittenIdrResponseMatter,
} from './complaint.vocabulary';
import type { Actor } from '../../kernel/actor';
import type { Money } from '../../kernel/money';

/** Timestamps are ISO-8601 strings in UTC. Every event records who did it (`by`) and when it happened (`at`). */
interface Stamped {
  readonly by: Actor;
  readonly at: string;
}

/** How to reach the customer about this complaint, as they gave it. Personal data: stored encrypted (see complaint.personal-data.ts). */
export interface CustomerContact {
  name?: string;
  email?: string;
  phone?: string;
}

export type ComplaintReceived = DomainEvent<
  'ComplaintReceived',
  Stamped & {
    caseId: string;
    customerId: string;
    channel: Channel;
    summary: string;
    details?: string;
    remedySought?: string;
    contact?: CustomerContact;
    orderRef?: string;
    /** An earlier case this complaint follows on from. */
    relatedCaseId?: string;
    orderValue?: Money;
    regime: Regime;
    receivedAt: string;
    /** The deadlines receipt starts, as the policy in force and the firm's calendar set them (never recomputed). */
    deadlines: Deadline[];
    /** FCA: the end of the summary-resolution window (close of the 3rd business day after receipt, DISP 1.5), as set then. */
    summaryResolutionEndsAt?: string;
    /** FCA: a payment-services complaint (DISP 1.6.2AR). */
    paymentServices?: true;
    /** ASIC: a complaint type with its own maximum IDR timeframe (RG 271); absent for a standard complaint. */
    asicComplaintType?: AsicComplaintType;
  }
>;
export type ComplaintAcknowledged = DomainEvent<'ComplaintAcknowledged', Stamped & { channel: Channel; message: string }>;
export type CustomerContactLogged = DomainEvent<
  'CustomerContactLogged',
  Stamped & {
    direction: ContactDirection;
    channel: Channel;
    summary: string;
  }
>;
export type CaseAssigned = DomainEvent<'CaseAssigned', Stamped & { agentId: string; team?: string }>;
export type CaseEscalated = DomainEvent<'CaseEscalated', Stamped & { level: number; reason: string; team?: string }>;
export type ComplaintAssessed = DomainEvent<
  'ComplaintAssessed',
  Stamped & {
    category: string;
    severity: Severity;
    justified: Justified;
    rootCause: RootCause;
    findings: string;
    /** The two-level root-cause code (`delivery/late`), checked against the taxonomy version recorded beside it. */
    causeCode?: string;
    taxonomyVersion?: string;
    /**
     * FCA: marked a payment-services complaint at assessment (DISP 1.6.2AR); ASIC: classified as a complaint type with its own
     * maximum IDR timeframe (RG 271). `deadlines`: the final response it now owes.
     */
    paymentServices?: true;
    asicComplaintType?: AsicComplaintType;
    deadlines?: Deadline[];
  }
>;
export type ApologyIssued = DomainEvent<'ApologyIssued', Stamped & { channel: Channel; message: string }>;
export type ExplanationGiven = DomainEvent<'ExplanationGiven', Stamped & { channel: Channel; message: string }>;
export type ResolutionPlanCommunicated = DomainEvent<
  'ResolutionPlanCommunicated',
  Stamped & {
    planId: string;
    actions: string[];
    dueBy: string;
  }
>;
export type ResolutionPlanAccepted = DomainEvent<'ResolutionPlanAccepted', Stamped & { planId: string; comment?: string }>;
export type ResolutionPlanRejected = DomainEvent<'ResolutionPlanRejected', Stamped & { planId: string; comment?: string }>;
export type GoodwillOffered = DomainEvent<
  'GoodwillOffered',
  Stamped & {
    offerId: string;
    kind: GoodwillKind;
    amount: number;
    currency: string;
    withoutAdmission: boolean;
    description?: string;
  }
>;
export type GoodwillApprovalRequested = DomainEvent<
  'GoodwillApprovalRequested',
  Stamped & {
    offerId: string;
    /** The offering actor's limit in the offer's currency, in minor units. */
    limit: number;
  }
>;
export type GoodwillApproved = DomainEvent<'GoodwillApproved', Stamped & { offerId: string; note?: string }>;
export type GoodwillRejected = DomainEvent<'GoodwillRejected', Stamped & { offerId: string; reason: string }>;
export type GoodwillAccepted = DomainEvent<'GoodwillAccepted', Stamped & { offerId: string; comment?: string }>;
export type GoodwillDeclined = DomainEvent<'GoodwillDeclined', Stamped & { offerId: string; comment?: string }>;
export type GoodwillFulfilled = DomainEvent<'GoodwillFulfilled', Stamped & { offerId: string; reference?: string }>;
export type SystemFixApplied = DomainEvent<
  'SystemFixApplied',
  Stamped & {
    fixId: string;
    description: string;
    procedureChange: string;
    effectiveFrom: string;
    customerNotified: boolean;
  }
>;
/**
 * `deadlines`: the follow-up the resolution starts; absent on resolutions recorded before events carried their deadlines.
 * ASIC: `fiveDayRouteBasis` why a 5-business-day closure (`summaryResolution`) needs no written IDR response;
 * `writtenResponseRequested`, `hardshipMatter` and `writtenResponseMatter` as the resolver recorded them. All of them are absent on resolutions recorded
 * before they existed, which read as not stated (no upcaster: nothing is inferred).
 */
export type ComplaintResolved = DomainEvent<
  'ComplaintResolved',
  Stamped & {
    resolution: string;
    outcome: Outcome;
    summaryResolution?: true;
    fiveDayRouteBasis?: FiveDayRouteBasis;
    writtenResponseRequested?: true;
    hardshipMatter?: HardshipMatter;
    writtenResponseMatter?: WrittenIdrResponseMatter;
    deadlines?: Deadline[];
  }
>;
export type FollowUpCompleted = DomainEvent<
  'FollowUpCompleted',
  Stamped & {
    satisfied: boolean;
    csat: number;
    nps?: number;
    comment?: string;
  }
>;
export type CaseClosed = DomainEvent<'CaseClosed', Stamped & { reason: CloseReason; note?: string }>;
/**
 * `deadlines`: the final response the reopen starts, at the regime's due instant; absent on reopens recorded before events
 * carried their deadlines. `vulnerableCustomerDeadlines`: the same final response brought forward by the shortened target of a
 * customer still flagged vulnerable, counted from the reopen (absent when there is none or it moves nothing).
 */
export type CaseReopened = DomainEvent<
  'CaseReopened',
  Stamped & { reason: string; deadlines?: Deadline[]; vulnerableCustomerDeadlines?: Deadline[] }
>;
export type ComplaintWithdrawn = DomainEvent<'ComplaintWithdrawn', Stamped & { reason?: string }>;
/** Appended by the deadline clock (system actor) when a deadline passed unmet; `at` is when it was recorded, `dueAt` when it passed. */
export type DeadlineBreached = DomainEvent<'DeadlineBreached', Stamped & { kind: DeadlineKind; dueAt: string; policyVersion: string }>;
/** A supervisor ended a running deadline on a documented regulatory ground; `dueAt` is the due instant it had, if dated. */
export type DeadlineExceptionRecorded = DomainEvent<
  'DeadlineExceptionRecorded',
  Stamped & { kind: DeadlineKind; dueAt?: string; ground: DeadlineExceptionGround; reason: string; reference?: string }
>;

/**
 * FCA holding response (DISP 1.6.2R(2)), always with the ombudsman referral rights. `deadlines`: on a payment-services
 * complaint, the final response it extends to 35 business days (DISP 1.6.2AR); absent, it meets the 8-week deadline.
 */
export type HoldingResponseSent = DomainEvent<
  'HoldingResponseSent',
  Stamped & { message: string; ombudsmanRightsExplained: true; deadlines?: Deadline[] }
>;

/**
 * ASIC IDR delay notification (RG 271): the firm cannot give its IDR response within the IDR timeframe. It tells the complainant
 * why, that they may complain to AFCA now, and how to reach AFCA. `deadlines`: the final response, due when the firm now expects
 * to respond (`expectedBy`).
 */
export type IdrDelayNoticeSent = DomainEvent<
  'IdrDelayNoticeSent',
  Stamped & { reasons: string; afcaRightsExplained: true; afcaContactDetails: string; expectedBy: string; deadlines: Deadline[] }
>;

/** On a team's queue with no agent. */
export type CaseRouted = DomainEvent<'CaseRouted', Stamped & { team: string; reason?: string }>;
/** The final-response letter as sent: its text (sealed like the customer's words), the template it came from and its SHA-256. */
export type FinalResponseIssued = DomainEvent<
  'FinalResponseIssued',
  Stamped & { templateVersion: string; outcome: Outcome; text: string; sha256: string }
>;
/** A file on the case: its bytes are in the attachment store under `sha256`, so the audit chain covers them. */
export type AttachmentAdded = DomainEvent<
  'AttachmentAdded',
  Stamped & { attachmentId: string; name: string; size: number; contentType: string; sha256: string }
>;
export type CaseTagged = DomainEvent<'CaseTagged', Stamped & { tag: string }>;
export type CaseUntagged = DomainEvent<'CaseUntagged', Stamped & { tag: string }>;
/** Staff only: never shown to the customer nor put into any customer-facing text. `text` is sealed like the customer's words. */
export type InternalNoteAdded = DomainEvent<'InternalNoteAdded', Stamped & { noteId: string; text: string }>;
export type VulnerabilityFlagged = DomainEvent<
  'VulnerabilityFlagged',
  /** `deadlines`: the running final response as the shortened target brings it forward (absent when it moves nothing). */
  Stamped & { reason: VulnerabilityReason; note?: string; shortenedFinalResponseDays?: number; deadlines?: Deadline[] }
>;
/** `deadlines`: the running final response back at the regime's due instant, when a shortened target had brought it forward. */
export type VulnerabilityCleared = DomainEvent<'VulnerabilityCleared', Stamped & { note?: string; deadlines?: Deadline[] }>;

export type ComplaintEvent =
  | ComplaintReceived
  | ComplaintAcknowledged
  | CustomerContactLogged
  | CaseAssigned
  | CaseEscalated
  | ComplaintAssessed
  | ApologyIssued
  | ExplanationGiven
  | ResolutionPlanCommunicated
  | ResolutionPlanAccepted
  | ResolutionPlanRejected
  | GoodwillOffered
  | GoodwillApprovalRequested
  | GoodwillApproved
  | GoodwillRejected
  | GoodwillAccepted
  | GoodwillDeclined
  | GoodwillFulfilled
  | SystemFixApplied
  | ComplaintResolved
  | FollowUpCompleted
  | CaseClosed
  | CaseReopened
  | ComplaintWithdrawn
  | DeadlineBreached
  | DeadlineExceptionRecorded
  | HoldingResponseSent
  | IdrDelayNoticeSent
  | CaseRouted
  | FinalResponseIssued
  | AttachmentAdded
  | CaseTagged
  | CaseUntagged
  | InternalNoteAdded
  | VulnerabilityFlagged
  | VulnerabilityCleared;

export type ComplaintEventType = ComplaintEvent['type'];

/** What an event records beyond who and when: a command that asks for exactly that takes these as its data. */
export type EventFacts<Type extends ComplaintEvent['type']> = Omit<Extract<ComplaintEvent, { type: Type }>['data'], 'by' | 'at'>;
