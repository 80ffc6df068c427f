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
  WrittenIdrResponseMatter,
} from '../../domain/complaint.vocabulary';
import type { Actor } from '../../../kernel/actor';
import type { Money } from '../../../kernel/money';
import type { GoodwillOfferStatus } from '../../domain/complaint.state';
import type { CaseDeadlineStatus, Rescheduling } from '../../domain/deadlines';
import type { DeadlineKind } from '../../domain/deadline-policies';

/**
 * A resolution as recorded. ASIC: `fiveDayRouteBasis` why a 5-business-day closure needed no written IDR response (RG 271), and
 * whether the complainant asked for a written response or the complaint is about hardship, a declined or disputed insurance
 * claim or a trustee's decision, as the resolver stated them.
 */
export interface ResolutionView {
  resolution: string;
  outcome: Outcome;
  at: string;
  fiveDayRouteBasis?: FiveDayRouteBasis;
  writtenResponseRequested?: true;
  hardshipMatter?: HardshipMatter;
  writtenResponseMatter?: WrittenIdrResponseMatter;
}

/** What a frontend shows of a case: everything an agent desk needs, in one document. */
export interface CaseView {
  caseId: string;
  customerId: string;
  /** received → acknowledged → in-progress (assessed) → resolved → closed; or withdrawn. */
  status: CaseDisplayStatus;
  channel: Channel;
  regime: Regime;
  summary: string;
  details?: string;
  remedySought?: string;
  /** How to reach the customer, as they gave it (personal data). */
  contact?: { name?: string; email?: string; phone?: string };
  orderRef?: string;
  /** An earlier case this complaint follows on from (e.g. one the customer withdrew). */
  relatedCaseId?: string;
  orderValue?: Money;
  category?: string;
  severity?: Severity;
  justified?: Justified;
  rootCause?: RootCause;
  findings?: string;
  /** The two-level root-cause code of the latest assessment (`delivery/late`), when it gave one. */
  causeCode?: string;
  /** The taxonomy version the cause code was checked against: kept, whatever versions come later. */
  taxonomyVersion?: string;
  assignee?: { agentId: string; team?: string };
  /**
   * The team whose queue holds the case: set by an assignment or escalation naming a team, or by routing it to a team
   * (which leaves it unassigned); an assignment without a team keeps it on its team's queue.
   */
  team?: string;
  escalationLevel: number;
  contacts: Array<{ direction: ContactDirection; channel: Channel; summary: string; at: string; by: Actor }>;
  apologies: Array<{ channel: Channel; message: string; at: string; by: Actor }>;
  explanations: Array<{ channel: Channel; message: string; at: string; by: Actor }>;
  plan?: {
    planId: string;
    actions: string[];
    dueBy: string;
    response: 'pending' | 'accepted' | 'rejected';
    comment?: string;
    communicatedAt: string;
  };
  goodwill: {
    offers: GoodwillOfferView[];
    /** Accepted or fulfilled goodwill, summed per currency. */
    granted: Money[];
  };
  systemFixes: Array<{
    fixId: string;
    description: string;
    procedureChange: string;
    effectiveFrom: string;
    customerNotified: boolean;
    at: string;
  }>;
  resolution?: ResolutionView;
  followUp?: { satisfied: boolean; csat: number; nps?: number; comment?: string; at: string };
  /** Every resolution the case had, newest last; a reopen leaves none current (then `resolution` is absent). */
  resolutions: Array<ResolutionView & { current: boolean }>;
  /** Every follow-up, newest last: an unsatisfied customer's word stays visible after a reopen. */
  followUps: Array<{ satisfied: boolean; csat: number; nps?: number; comment?: string; at: string; current: boolean }>;
  /** Every resolution plan communicated, newest last; the current one is `plan`. */
  plans: Array<{
    planId: string;
    actions: string[];
    dueBy: string;
    response: 'pending' | 'accepted' | 'rejected';
    comment?: string;
    communicatedAt: string;
    current: boolean;
  }>;
  /** Every escalation, newest last: to which level, why, and to which team. */
  escalations: Array<{ level: number; reason: string; team?: string; at: string; by: Actor }>;
  /** Every reopen, newest last, with its reason. */
  reopenings: Array<{ reason: string; at: string; by: Actor }>;
  close?: { reason: CloseReason; note?: string };
  withdrawal?: { reason?: string };
  reopenCount: number;
  /** The latest final-response letter sent (its text: GET /cases/:caseId/final-response). */
  finalResponse?: { templateVersion: string; outcome: Outcome; sha256: string; at: string; by: Actor };
  /** Files on the case (download: GET /cases/:caseId/attachments/:attachmentId). Absent while there are none. */
  attachments?: Array<{ attachmentId: string; name: string; size: number; contentType: string; sha256: string; at: string; by: Actor }>;
  /** The desk's labels, in the order they were added; absent while there are none. */
  tags?: string[];
  /** Set while the customer is flagged vulnerable on this case (FCA FG21/1). */
  vulnerability?: VulnerabilityView;
  /** Internal notes: staff only, never part of any customer-facing text. Absent while there are none. */
  notes?: Array<{ noteId: string; text: string; at: string; by: Actor }>;
  timestamps: {
    receivedAt: string;
    acknowledgedAt?: string;
    firstContactAt?: string;
    /** First apology, explanation, plan or resolution: when the customer first heard substance. */
    firstResponseAt?: string;
    resolvedAt?: string;
    closedAt?: string;
    withdrawnAt?: string;
    updatedAt: string;
  };
  /** The deadline policy version the case follows (recorded at receipt; see the README's deadline table). */
  policyVersion?: string;
  /** FCA: a payment-services complaint (final response within 15 business days, DISP 1.6.2AR). */
  paymentServices?: true;
  /** ASIC: a complaint type with its own maximum IDR timeframe (RG 271), from receipt or assessment. */
  asicComplaintType?: AsicComplaintType;
  /**
   * FCA summary resolution (DISP 1.5): the window (close of the 3rd business day after receipt), whether the complaint was
   * resolved within it (it qualifies), and when a summary resolution communication was sent, if one was.
   */
  summaryResolution?: { windowEndsAt: string; qualifies: boolean; communicationSentAt?: string };
  /** ASIC: the IDR delay notifications sent (RG 271), oldest first. */
  idrDelayNotices?: Array<{ reasons: string; expectedBy: string; at: string; by: Actor }>;
  deadlines: DeadlineView[];
  /** True once any deadline was breached. */
  breached: boolean;
  /** The case stream revision this view reflects (also its ETag). */
  revision: number;
  /** Global log position of the last event folded in. */
  position: number;
}

export type CaseDisplayStatus = 'received' | 'acknowledged' | 'in-progress' | 'resolved' | 'closed' | 'withdrawn';

export interface GoodwillOfferView {
  offerId: string;
  kind: GoodwillKind;
  amount: number;
  currency: string;
  withoutAdmission: boolean;
  description?: string;
  status: GoodwillOfferStatus;
  needsApproval: boolean;
  offeredBy: Actor;
  offeredAt: string;
  decidedBy?: Actor;
  fulfilledAt?: string;
  reference?: string;
}

/** A deadline that falls due (a dated CaseDeadline of domain/deadlines.ts), as frontends see it. */
export interface DeadlineView {
  kind: DeadlineKind;
  dueAt: string;
  policyVersion: string;
  status: CaseDeadlineStatus;
  /** When it was answered (the first event that meets it), on time or late. */
  answeredAt?: string;
  /** True when the answer came after the due instant. */
  late?: true;
  breachedAt?: string;
  /** True once a DeadlineBreached event records the breach in the case's history. */
  breachRecorded?: boolean;
  /** The due instant before a holding reply extended it (FCA payment services). */
  extendedFrom?: string;
  /** While a vulnerable customer's shortened target brings it forward, the regime's own due instant. */
  shortenedFrom?: string;
  /** The due instants it had before, oldest first, each with its policy version and what moved it. */
  rescheduled?: readonly Rescheduling[];
  /** The documented regulatory exception that ended it (status `excepted`). */
  exception?: { at: string; ground: DeadlineExceptionGround; reason: string; reference?: string };
}

export interface VulnerabilityView {
  reason: 'health' | 'life-events' | 'resilience' | 'capability';
  note?: string;
  /** The shortened final-response target the firm applies to this case, in days from receipt, if any. */
  shortenedFinalResponseDays?: number;
  flaggedAt: string;
  flaggedBy: Actor;
}
