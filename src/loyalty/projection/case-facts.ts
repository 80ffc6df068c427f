import { addBusinessDays, instantMs } from '../../complaints/headless';
import { missedBeforeCancellation } from '../../complaints/headless';
import type { CaseView } from '../../complaints/headless';

/**
 * How a complaint ended for loyalty analysis (docs/domain.md, "Loyalty outcomes"):
 * - `recovered`: resolved, and the customer said at follow-up they were satisfied;
 * - `not-recovered`: resolved but not satisfied at follow-up, or closed without a satisfied follow-up
 *   (closed unresolved: unresponsive, duplicate, referred to the ombudsman, out of scope);
 * - `withdrawn`: the customer withdrew it (not a handling outcome: left out of the cohorts);
 * - `open`: anything else (still being handled, or resolved and awaiting follow-up).
 * A reopen clears the resolution and follow-up, so a reopened case is open until resolved and followed up again.
 */
export const RECOVERY_CLASSES = ['recovered', 'not-recovered', 'open', 'withdrawn'] as const;
export type RecoveryClass = (typeof RECOVERY_CLASSES)[number];

export function recoveryOf(view: CaseView): RecoveryClass {
  if (view.withdrawal) return 'withdrawn';
  if (view.resolution && view.followUp) return view.followUp.satisfied ? 'recovered' : 'not-recovered';
  if (view.timestamps.closedAt) return 'not-recovered';
  return 'open';
}

/** Time from receipt to the first answer on the merits (apology, explanation, plan or resolution): "does responding fast pay?". */
export const FIRST_RESPONSE_BUCKETS = ['0-1h', '1-24h', '1-3d', '3-7d', '7d+', 'none'] as const;
export type FirstResponseBucket = (typeof FIRST_RESPONSE_BUCKETS)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function firstResponseBucket(receivedAt: string, firstResponseAt: string | undefined): FirstResponseBucket {
  if (firstResponseAt === undefined) return 'none';
  const elapsed = instantMs(firstResponseAt) - instantMs(receivedAt);
  if (elapsed <= HOUR_MS) return '0-1h';
  if (elapsed <= DAY_MS) return '1-24h';
  if (elapsed <= 3 * DAY_MS) return '1-3d';
  if (elapsed <= 7 * DAY_MS) return '3-7d';
  return '7d+';
}

/**
 * Time from receipt to closure, in the buckets regulators report (FCA DISP 1 returns): by the end of the
 * third business day after receipt (summary resolution), within 4 weeks, within 8 weeks, later. The closure
 * instant is the final resolution, else the closure of an unresolved case, else the withdrawal.
 */
export const CLOSURE_BUCKETS = ['within-3-business-days', 'within-4-weeks', 'within-8-weeks', 'over-8-weeks', 'open'] as const;
export type ClosureBucket = (typeof CLOSURE_BUCKETS)[number];

export function closureInstant(view: CaseView): string | undefined {
  return view.timestamps.resolvedAt ?? view.timestamps.closedAt ?? view.timestamps.withdrawnAt;
}

export function closureBucket(receivedAt: string, closedAt: string | undefined): ClosureBucket {
  if (closedAt === undefined) return 'open';
  const closed = instantMs(closedAt);
  if (closed <= thirdBusinessDayEndMs(receivedAt)) return 'within-3-business-days';
  const elapsed = closed - instantMs(receivedAt);
  if (elapsed <= 28 * DAY_MS) return 'within-4-weeks';
  if (elapsed <= 56 * DAY_MS) return 'within-8-weeks';
  return 'over-8-weeks';
}

/** Receipt instants already asked about: a closed case's bucket is worked out again at every batch that touches it. */
const thirdBusinessDayEnds = new Map<string, number>();
const REMEMBERED_RECEIPTS = 10_000;

function thirdBusinessDayEndMs(receivedAt: string): number {
  let end = thirdBusinessDayEnds.get(receivedAt);
  if (end === undefined) {
    end = instantMs(addBusinessDays(receivedAt, 3, { endOfDay: true }));
    if (thirdBusinessDayEnds.size >= REMEMBERED_RECEIPTS) thirdBusinessDayEnds.clear();
    thirdBusinessDayEnds.set(receivedAt, end);
  }
  return end;
}

/** The goodwill a case granted (accepted or fulfilled); the kind of the largest one labels the case, or `none`. */
export function grantedGoodwillKind(view: CaseView): string {
  let largest: { kind: string; amount: number } | undefined;
  for (const offer of view.goodwill.offers) {
    if (offer.status !== 'accepted' && offer.status !== 'fulfilled') continue;
    if (!largest || offer.amount > largest.amount) largest = offer;
  }
  return largest?.kind ?? 'none';
}

/**
 * What the loyalty read model keeps of a case between batches to fold its next events: the case view without the
 * words (summary, details, findings, contact details, the text of every contact, apology and explanation). No
 * fact is derived from them and the view's evolve derives nothing else from them, so folding on from this gives
 * the same facts as folding the full view, without a second copy of every case document (or its personal data).
 */
export function factsState(view: CaseView): CaseView {
  const {
    details: _details,
    remedySought: _remedySought,
    contact: _contact,
    orderRef: _orderRef,
    findings: _findings,
    plan,
    ...kept
  } = view;
  return {
    ...kept,
    summary: '',
    contacts: [],
    apologies: [],
    explanations: [],
    ...(plan ? { plan: { ...plan, actions: [], comment: undefined } } : {}),
  };
}

/** One row of `loyalty_cases`: the facts of a case that analytics filter, group and count by. */
export interface CaseFactsRow {
  case_id: string;
  /** The case as folded so far, without its words (see factsState): what the next event is folded onto. */
  document: string;
  customer_id: string;
  received_at: string;
  channel: string;
  regime: string;
  category: string | null;
  severity: string | null;
  justified: string | null;
  root_cause: string | null;
  status: string;
  recovery: RecoveryClass;
  outcome: string | null;
  satisfied: number | null;
  csat: number | null;
  acknowledged_at: string | null;
  first_response_at: string | null;
  first_response_bucket: FirstResponseBucket;
  resolved_at: string | null;
  closed_at: string | null;
  withdrawn_at: string | null;
  close_reason: string | null;
  closure_bucket: ClosureBucket;
  reopen_count: number;
  goodwill_kind: string;
  /** The root-cause code's two levels (`delivery`, `late`), when the assessment gave one. */
  cause_level1: string | null;
  cause_level2: string | null;
  /** The FG21/1 reason while the customer is flagged vulnerable on the case, else null. */
  vulnerability: string | null;
  /** Under a regime with a summary-resolution window (FCA DISP 1.5, ASIC RG 271): 1 once resolved within it, else 0; else null. */
  summary_resolution_qualifies: number | null;
  /** …and 1 once the summary resolution communication was sent (ASIC: closed without a written IDR response), else 0. */
  summary_resolution_sent: number | null;
}

export function caseFacts(view: CaseView): CaseFactsRow {
  const { timestamps } = view;
  return {
    case_id: view.caseId,
    document: JSON.stringify(factsState(view)),
    customer_id: view.customerId,
    received_at: timestamps.receivedAt,
    channel: view.channel,
    regime: view.regime,
    category: view.category ?? null,
    severity: view.severity ?? null,
    justified: view.justified ?? null,
    root_cause: view.rootCause ?? null,
    status: view.status,
    recovery: recoveryOf(view),
    outcome: view.resolution?.outcome ?? null,
    satisfied: view.followUp ? (view.followUp.satisfied ? 1 : 0) : null,
    csat: view.followUp?.csat ?? null,
    acknowledged_at: timestamps.acknowledgedAt ?? null,
    first_response_at: timestamps.firstResponseAt ?? null,
    first_response_bucket: firstResponseBucket(timestamps.receivedAt, timestamps.firstResponseAt),
    resolved_at: timestamps.resolvedAt ?? null,
    closed_at: timestamps.closedAt ?? null,
    withdrawn_at: timestamps.withdrawnAt ?? null,
    close_reason: view.close?.reason ?? null,
    closure_bucket: closureBucket(timestamps.receivedAt, closureInstant(view)),
    reopen_count: view.reopenCount,
    goodwill_kind: grantedGoodwillKind(view),
    cause_level1: view.causeCode?.split('/')[0] ?? null,
    cause_level2: view.causeCode?.split('/')[1] ?? null,
    vulnerability: view.vulnerability?.reason ?? null,
    summary_resolution_qualifies: view.summaryResolution ? (view.summaryResolution.qualifies ? 1 : 0) : null,
    summary_resolution_sent: view.summaryResolution ? (view.summaryResolution.communicationSentAt !== undefined ? 1 : 0) : null,
  };
}

export interface GoodwillRow {
  case_id: string;
  offer_id: string;
  kind: string;
  amount: number;
  currency: string;
  status: string;
  offered_at: string;
}

export interface FixRow {
  case_id: string;
  fix_id: string;
  description: string;
  effective_from: string;
  applied_at: string;
  customer_notified: number;
}

export interface DeadlineRow {
  case_id: string;
  seq: number;
  kind: string;
  due_at: string;
  status: string;
  met_at: string | null;
  policy_version: string;
}

export function goodwillRows(view: CaseView): GoodwillRow[] {
  return view.goodwill.offers.map((offer) => ({
    case_id: view.caseId,
    offer_id: offer.offerId,
    kind: offer.kind,
    amount: offer.amount,
    currency: offer.currency,
    status: offer.status,
    offered_at: offer.offeredAt,
  }));
}

export function fixRows(view: CaseView): FixRow[] {
  return view.systemFixes.map((fix) => ({
    case_id: view.caseId,
    fix_id: fix.fixId,
    description: fix.description,
    // Clients may write the instant in any ISO form; stored in one, so it compares as text.
    effective_from: new Date(fix.effectiveFrom).toISOString(),
    applied_at: fix.at,
    customer_notified: fix.customerNotified ? 1 : 0,
  }));
}

/**
 * The case's deadlines as the case view has them, with one correction for reporting: a deadline cancelled after it had
 * fallen due counts as breached (see `missedBeforeCancellation`). The view does not say when each deadline was cancelled:
 * the withdrawal, else the closure, stands for it.
 */
export function deadlineRows(view: CaseView): DeadlineRow[] {
  const endedAt = (view.withdrawal ? view.timestamps.withdrawnAt : undefined) ?? view.timestamps.closedAt;
  return view.deadlines.map((deadline, seq) => ({
    case_id: view.caseId,
    seq,
    kind: deadline.kind,
    due_at: deadline.dueAt,
    status: missedBeforeCancellation(deadline, endedAt) ? 'breached' : deadline.status,
    met_at: deadline.answeredAt ?? null,
    policy_version: deadline.policyVersion,
  }));
}
