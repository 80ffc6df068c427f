import { DomainRuleViolation, Ensure, NotFoundError, ruleBook } from '../../core/errors';
import { findGoodwillOffer, type ComplaintCase, type GoodwillOffer } from './complaint.state';
import { type Actor } from '../../kernel/actor';

/**
 * The business rules more than one use case applies, each with its stable code and what it says, in words.
 * A rule only one use case applies lives in that use case's folder; the decider assembles the complete book.
 */
export const SHARED_COMPLAINT_RULES = {
  'case-closed': 'A closed case can only be reopened.',
  'case-withdrawn': 'A withdrawn complaint can only be closed, have customer contact logged, or have accepted goodwill fulfilled.',
  'case-not-open': 'This can only be done while the case is open (not yet resolved).',
  'approval-needs-supervisor': 'Only a supervisor can approve or decline a goodwill offer.',
  'offer-not-awaiting-approval': 'The goodwill offer is not awaiting approval.',
  'approval-needs-second-person': 'Four eyes: whoever made an offer cannot approve or decline it; another supervisor must.',
} as const satisfies Record<string, string>;

export type SharedComplaintRule = keyof typeof SHARED_COMPLAINT_RULES;

const rules = ruleBook(SHARED_COMPLAINT_RULES);
export const violation: (rule: SharedComplaintRule, detail?: string) => DomainRuleViolation = rules.violation;
export const ensure: Ensure<SharedComplaintRule> = rules.ensure;

/** Instants are compared as epoch milliseconds, so one instant written two ways is still one instant. */
export const millis = (instant: string): number => Date.parse(instant);

export function ensureOpen(state: ComplaintCase): void {
  ensure(state.status === 'open', 'case-not-open', `The case is ${state.status}.`);
}

// ── Goodwill ─────────────────────────────────────────────────────────────────

export function existingOffer(state: ComplaintCase, offerId: string): GoodwillOffer {
  const offer = findGoodwillOffer(state, offerId);
  if (!offer) throw new NotFoundError(`Goodwill offer ${offerId} does not exist on this case.`);
  return offer;
}

export function ensureSupervisor(by: Actor): void {
  ensure(by.role === 'supervisor', 'approval-needs-supervisor');
}

/** Four eyes: an offer that needs approval is judged by someone other than the one who made it. */
export function ensureSecondPerson(by: Actor, offer: GoodwillOffer): void {
  ensure(by.id !== offer.offeredBy.id, 'approval-needs-second-person', `${by.id} made offer ${offer.offerId}.`);
}

export function ensureAwaitingApproval(offer: GoodwillOffer): void {
  ensure(offer.status === 'pending-approval', 'offer-not-awaiting-approval', `Offer ${offer.offerId} is ${offer.status}.`);
}
