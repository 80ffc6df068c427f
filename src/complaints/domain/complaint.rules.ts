import { DomainRuleViolation, Ensure, NotFoundError, ruleBook } from '../../core/errors';
import type { ComplaintCommandType, RecordDeadlineBreach } from './complaint.commands';
import type { ComplaintPolicy } from './complaint-policy';
import {
  breachRecorded, caseExists, deadlineStatus, findGoodwillOffer,
  type Assessment, type CaseStatus, type ComplaintCase, type ComplaintState, type GoodwillOffer, type NoComplaintCase,
  type ResolutionPlan,
} from './complaint.state';
import { UNRESOLVED_CLOSE_REASONS, type CloseReason, type GoodwillKind, type Outcome } from './complaint.vocabulary';
import { type Actor } from '../../kernel/actor';
import { type Money } from '../../kernel/money';
import { policyFor, ruleFor } from './deadline-policies';

/** Every business rule of a complaint case: its stable code and what it says, in words. */
export const COMPLAINT_RULES = {
  'case-already-received': 'A complaint is received once: this case already exists.',
  'received-in-future': 'A complaint cannot be received later than the moment it is recorded.',
  'case-closed': 'A closed case can only be reopened.',
  'case-withdrawn': 'A withdrawn complaint can only be closed, have customer contact logged, or have accepted goodwill fulfilled.',
  'case-not-open': 'This can only be done while the case is open (not yet resolved).',
  'escalation-level-must-rise': 'An escalation must raise the case to a whole-number level above its current one.',
  'explanation-needs-unjustified-assessment': 'A decision is explained only after the complaint was assessed as not justified or partly justified.',
  'plan-due-in-past': 'A resolution plan must be due after the moment it is communicated.',
  'no-plan-to-respond-to': 'There is no resolution plan communicated to respond to.',
  'plan-already-answered': 'The customer has already answered the current resolution plan.',
  'goodwill-amount-not-positive': 'A goodwill amount must be a positive whole number of minor units.',
  'goodwill-offer-exists': 'A goodwill offer with this id already exists on the case.',
  'goodwill-currency-mismatch': 'A refund must be in the currency of the order.',
  'refund-exceeds-order-value': 'Refunds offered on a case cannot together exceed the order value.',
  'approval-needs-supervisor': 'Only a supervisor can approve or decline a goodwill offer.',
  'offer-not-awaiting-approval': 'The goodwill offer is not awaiting approval.',
  'offer-not-approved': 'The customer can only answer a goodwill offer that was approved.',
  'offer-already-answered': 'The customer has already answered this goodwill offer.',
  'fulfil-needs-approval-and-acceptance': 'Goodwill is fulfilled only once it was approved and the customer accepted it.',
  'offer-already-fulfilled': 'This goodwill offer was already fulfilled.',
  'system-fix-needs-systemic-root-cause': 'A system fix needs the complaint assessed as justified (or partly) with a systemic root cause.',
  'fix-already-applied': 'A system fix with this id was already applied to the case.',
  'resolve-needs-assessment': 'A complaint is resolved only after it was assessed.',
  'outcome-contradicts-assessment': 'The outcome contradicts the assessment: an unjustified complaint cannot be upheld, a justified one cannot be rejected.',
  'follow-up-needs-resolution': 'A follow-up is done only on a resolved complaint.',
  'follow-up-already-completed': 'This resolution was already followed up.',
  'csat-out-of-range': 'CSAT is a whole number from 1 to 5.',
  'nps-out-of-range': 'NPS is a whole number from 0 to 10.',
  'close-needs-reason': `A case that was neither followed up nor withdrawn is closed only with a reason: one of ${UNRESOLVED_CLOSE_REASONS.join(', ')}.`,
  'close-reason-contradicts-state': 'The close reason contradicts the case: "follow-up-completed" needs a completed follow-up, "withdrawn" a withdrawn complaint.',
  'unfulfilled-goodwill-blocks-close': 'A case with accepted goodwill that was not yet fulfilled cannot be closed.',
  'reopen-needs-resolved-or-closed': 'Only a resolved or closed case can be reopened.',
  'reopen-window-passed': 'The window to reopen this case has passed.',
  'deadline-breach-needs-system-actor': 'Only the system (the deadline clock) records a deadline breach.',
  'deadline-not-applicable': 'This deadline does not run on the case: it is closed or withdrawn, its policy sets no such deadline, the obligation was cancelled, or (for a follow-up) the case is not resolved.',
  'deadline-already-met': 'The deadline was met in time: there is no breach to record.',
  'deadline-already-breached': 'This breach was already recorded.',
  'deadline-not-yet-due': 'A deadline is breached only once its due instant has passed.',
} as const satisfies Record<string, string>;

export type ComplaintRule = keyof typeof COMPLAINT_RULES;

const rules = ruleBook(COMPLAINT_RULES);
export const violation: (rule: ComplaintRule, detail?: string) => DomainRuleViolation = rules.violation;
export const ensure: Ensure<ComplaintRule> = rules.ensure;

const DAY_MS = 24 * 60 * 60 * 1000;
const millis = (instant: string): number => Date.parse(instant);

// ── Lifecycle ────────────────────────────────────────────────────────────────

export function ensureNewCase(state: ComplaintState): asserts state is NoComplaintCase {
  ensure(!caseExists(state), 'case-already-received');
}

/** The decider does not know the case id: the caller that loaded the stream names it if it wants to. */
export function ensureCaseExists(state: ComplaintState): asserts state is ComplaintCase {
  if (!caseExists(state)) throw new NotFoundError('Case does not exist: a complaint must be received first.');
}

/** The deadline clock's RecordDeadlineBreach passes here and is refused by its own rule, `deadline-not-applicable`. */
const ALLOWED_WHEN_CLOSED: ReadonlySet<ComplaintCommandType> = new Set(['ReopenCase', 'RecordDeadlineBreach']);
/** Goodwill the customer already accepted is still honoured after they withdraw, so the case can be closed. */
const ALLOWED_WHEN_WITHDRAWN: ReadonlySet<ComplaintCommandType> = new Set(['CloseCase', 'LogCustomerContact', 'FulfilGoodwill', 'RecordDeadlineBreach']);

export function ensureLifecycleAllows(command: ComplaintCommandType, state: ComplaintCase): void {
  if (state.status === 'closed') ensure(ALLOWED_WHEN_CLOSED.has(command), 'case-closed');
  if (state.status === 'withdrawn') ensure(ALLOWED_WHEN_WITHDRAWN.has(command), 'case-withdrawn');
}

export function ensureOpen(state: ComplaintCase): void {
  ensure(state.status === 'open', 'case-not-open', `The case is ${state.status}.`);
}

export function ensureReceivedNotInFuture(receivedAt: string, at: string): void {
  ensure(millis(receivedAt) <= millis(at), 'received-in-future');
}

// ── Handling ─────────────────────────────────────────────────────────────────

export function ensureEscalationRises(level: number, currentLevel: number): void {
  ensure(Number.isInteger(level) && level > currentLevel, 'escalation-level-must-rise', `Level ${level} is not above ${currentLevel}.`);
}

export function ensureExplainable(state: ComplaintCase): void {
  const justified = state.assessment?.justified;
  ensure(justified === 'no' || justified === 'partly', 'explanation-needs-unjustified-assessment');
}

export function ensurePlanDueInFuture(dueBy: string, at: string): void {
  ensure(millis(dueBy) > millis(at), 'plan-due-in-past');
}

export function planAwaitingResponse(state: ComplaintCase): ResolutionPlan {
  const plan = state.plan;
  ensure(plan !== undefined, 'no-plan-to-respond-to');
  ensure(plan.status === 'pending', 'plan-already-answered', `Plan ${plan.planId} was ${plan.status}.`);
  return plan;
}

// ── Goodwill ─────────────────────────────────────────────────────────────────

export function ensurePositiveAmount(amount: number): void {
  ensure(Number.isSafeInteger(amount) && amount > 0, 'goodwill-amount-not-positive');
}

export function ensureNewOffer(state: ComplaintCase, offerId: string): void {
  ensure(findGoodwillOffer(state, offerId) === undefined, 'goodwill-offer-exists', `Offer ${offerId}.`);
}

const REFUND_KINDS: ReadonlySet<GoodwillKind> = new Set(['partial-refund', 'full-refund']);
const LIVE_OFFER_STATUSES: ReadonlySet<GoodwillOffer['status']> = new Set(['pending-approval', 'approved', 'accepted', 'fulfilled']);

export function ensureRefundFitsOrder(state: ComplaintCase, refund: { kind: GoodwillKind } & Money): void {
  const order = state.orderValue;
  if (!REFUND_KINDS.has(refund.kind) || order === undefined) return;
  ensure(refund.currency === order.currency, 'goodwill-currency-mismatch', `The order is in ${order.currency}, the refund in ${refund.currency}.`);
  const total = refundsOffered(state, order.currency) + refund.amount;
  ensure(total <= order.amount, 'refund-exceeds-order-value', `${total} > ${order.amount} ${order.currency} (minor units).`);
}

/** Refunds still standing: rejected or declined ones no longer count against the order value. */
function refundsOffered(state: ComplaintCase, currency: string): number {
  return Object.values(state.goodwillOffers)
    .filter((offer) => REFUND_KINDS.has(offer.kind) && offer.currency === currency && LIVE_OFFER_STATUSES.has(offer.status))
    .reduce((sum, offer) => sum + offer.amount, 0);
}

/** The limit the offer must stay within to be approved as made, or undefined when it is within. */
export function approvalLimitExceeded(policy: ComplaintPolicy, by: Actor, offer: Money): number | undefined {
  const limit = policy.goodwillLimit(by.role, offer.currency);
  return offer.amount > limit ? limit : undefined;
}

export function existingOffer(state: ComplaintCase, offerId: string): GoodwillOffer {
  const offer = findGoodwillOffer(state, offerId);
  if (!offer) throw new NotFoundError(`Goodwill offer ${offerId} does not exist on this case.`);
  return offer;
}

export function ensureSupervisor(by: Actor): void {
  ensure(by.role === 'supervisor', 'approval-needs-supervisor');
}

export function ensureAwaitingApproval(offer: GoodwillOffer): void {
  ensure(offer.status === 'pending-approval', 'offer-not-awaiting-approval', `Offer ${offer.offerId} is ${offer.status}.`);
}

const ANSWERED_OFFER_STATUSES: ReadonlySet<GoodwillOffer['status']> = new Set(['accepted', 'declined', 'fulfilled']);

export function ensureOfferAwaitingCustomer(offer: GoodwillOffer): void {
  ensure(!ANSWERED_OFFER_STATUSES.has(offer.status), 'offer-already-answered', `Offer ${offer.offerId} is ${offer.status}.`);
  ensure(offer.status === 'approved', 'offer-not-approved', `Offer ${offer.offerId} is ${offer.status}.`);
}

export function ensureFulfillable(offer: GoodwillOffer): void {
  ensure(offer.status !== 'fulfilled', 'offer-already-fulfilled', `Offer ${offer.offerId}.`);
  ensure(offer.status === 'accepted', 'fulfil-needs-approval-and-acceptance', `Offer ${offer.offerId} is ${offer.status}.`);
}

// ── System fix ───────────────────────────────────────────────────────────────

export function ensureSystemicAndJustified(state: ComplaintCase): void {
  const assessment = state.assessment;
  ensure(
    assessment?.rootCause === 'systemic' && (assessment.justified === 'yes' || assessment.justified === 'partly'),
    'system-fix-needs-systemic-root-cause',
  );
}

export function ensureNewFix(state: ComplaintCase, fixId: string): void {
  ensure(!state.fixIds.includes(fixId), 'fix-already-applied', `Fix ${fixId}.`);
}

// ── Resolution and follow-up ─────────────────────────────────────────────────

export function assessmentOf(state: ComplaintCase): Assessment {
  const assessment = state.assessment;
  ensure(assessment !== undefined, 'resolve-needs-assessment');
  return assessment;
}

export function ensureOutcomeFitsAssessment(outcome: Outcome, assessment: Assessment): void {
  const contradicts = (assessment.justified === 'no' && outcome === 'upheld') || (assessment.justified === 'yes' && outcome === 'rejected');
  ensure(!contradicts, 'outcome-contradicts-assessment', `Assessed justified "${assessment.justified}", outcome "${outcome}".`);
}

export function ensureFollowUpDue(state: ComplaintCase): void {
  ensure(state.status === 'resolved', 'follow-up-needs-resolution', `The case is ${state.status}.`);
  ensure(!state.followUpCompleted, 'follow-up-already-completed');
}

export function ensureCsatInRange(csat: number): void {
  ensure(Number.isInteger(csat) && csat >= 1 && csat <= 5, 'csat-out-of-range', `Got ${csat}.`);
}

export function ensureNpsInRange(nps: number | undefined): void {
  if (nps === undefined) return;
  ensure(Number.isInteger(nps) && nps >= 0 && nps <= 10, 'nps-out-of-range', `Got ${nps}.`);
}

// ── Close and reopen ─────────────────────────────────────────────────────────

function reasonTheStateImplies(state: ComplaintCase): CloseReason | undefined {
  if (state.status === 'withdrawn') return 'withdrawn';
  if (state.status === 'resolved' && state.followUpCompleted) return 'follow-up-completed';
  return undefined;
}

/** The given reason, checked against the case, or the one the case implies. */
export function closeReasonFor(state: ComplaintCase, reason: CloseReason | undefined): CloseReason {
  const implied = reasonTheStateImplies(state);
  if (reason === undefined) {
    ensure(implied !== undefined, 'close-needs-reason');
    return implied;
  }
  const claimsImpliedReason = reason === 'withdrawn' || reason === 'follow-up-completed';
  ensure(!claimsImpliedReason || reason === implied, 'close-reason-contradicts-state', `The case is ${state.status}.`);
  return reason;
}

export function ensureNoUnfulfilledGoodwill(state: ComplaintCase): void {
  const unfulfilled = Object.values(state.goodwillOffers).filter((offer) => offer.status === 'accepted').map((offer) => offer.offerId);
  ensure(unfulfilled.length === 0, 'unfulfilled-goodwill-blocks-close', `Unfulfilled: ${unfulfilled.join(', ')}.`);
}

const REOPENABLE: ReadonlySet<CaseStatus> = new Set(['resolved', 'closed']);

export function ensureReopenable(state: ComplaintCase): void {
  ensure(REOPENABLE.has(state.status), 'reopen-needs-resolved-or-closed', `The case is ${state.status}.`);
}

/** The window runs from the moment the case reached its current status: its resolution, or its closure once closed. */
export function ensureWithinReopenWindow(state: ComplaintCase, at: string, policy: ComplaintPolicy): void {
  const since = state.status === 'closed' ? state.closedAt : state.resolvedAt;
  if (since === undefined) return;
  const elapsedMs = millis(at) - millis(since);
  ensure(
    elapsedMs <= policy.reopenWindowDays * DAY_MS,
    'reopen-window-passed',
    `It is ${policy.reopenWindowDays} days from ${state.status === 'closed' ? 'closure' : 'resolution'} (${since}).`,
  );
}

// ── Deadlines ────────────────────────────────────────────────────────────────

export function ensureSystemActor(by: Actor): void {
  ensure(by.role === 'system', 'deadline-breach-needs-system-actor', `The actor is a ${by.role}.`);
}

/** A breach is recorded once per (kind, dueAt), only for an obligation that runs on the case and passed unmet. */
export function ensureBreachable(state: ComplaintCase, { data, at }: Pick<RecordDeadlineBreach, 'data' | 'at'>): void {
  const { kind, dueAt } = data;
  ensure(state.status !== 'closed' && state.status !== 'withdrawn', 'deadline-not-applicable', `The case is ${state.status}.`);
  const policy = policyFor(state.regime, state.receivedAt);
  ensure(ruleFor(policy, kind) !== undefined, 'deadline-not-applicable', `Policy ${policy.version} sets no ${kind} deadline.`);
  ensure(kind !== 'follow-up' || state.status === 'resolved', 'deadline-not-applicable', `A follow-up runs only on a resolved case; it is ${state.status}.`);
  const status = deadlineStatus(state, kind);
  ensure(status?.outcome !== 'cancelled', 'deadline-not-applicable', `The ${kind} deadline was cancelled at ${status?.at}.`);
  ensure(!breachRecorded(state, kind, dueAt), 'deadline-already-breached', `The ${kind} deadline due ${dueAt}.`);
  ensure(status?.outcome !== 'breached', 'deadline-already-breached', `The ${kind} deadline due ${status?.at}.`);
  const metInTime = status?.outcome === 'met' && millis(status.at) <= millis(dueAt);
  ensure(!metInTime, 'deadline-already-met', `The ${kind} deadline was met at ${status?.at}.`);
  ensure(millis(at) > millis(dueAt), 'deadline-not-yet-due', `The ${kind} deadline is due ${dueAt}.`);
}
