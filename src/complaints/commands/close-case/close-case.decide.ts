import { Ensure, ruleBook } from '../../../core/errors';
import { present, stamp, type ComplaintCommandOf } from '../../domain/complaint.command';
import type { ComplaintEvent } from '../../domain/complaint.events';
import type { ComplaintCase } from '../../domain/complaint.state';
import { UNRESOLVED_CLOSE_REASONS, type CloseReason } from '../../domain/complaint.vocabulary';

/** `reason` is required unless the case was followed up or withdrawn (then it is inferred). */
export type CloseCase = ComplaintCommandOf<'CloseCase', { reason?: CloseReason; note?: string }>;

export const CLOSE_CASE_RULES = {
  'close-needs-reason': `A case that was neither followed up nor withdrawn is closed only with a reason: one of ${UNRESOLVED_CLOSE_REASONS.join(', ')}.`,
  'close-reason-contradicts-state':
    'The close reason contradicts the case: "follow-up-completed" needs a completed follow-up, "withdrawn" a withdrawn complaint.',
  'unfulfilled-goodwill-blocks-close': 'A case with accepted goodwill that was not yet fulfilled cannot be closed.',
  'withdrawn-closes-as-withdrawn': 'A withdrawn complaint is closed only as "withdrawn": that is what happened to it.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof CLOSE_CASE_RULES> = ruleBook(CLOSE_CASE_RULES).ensure;

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
  ensure(state.status !== 'withdrawn' || reason === 'withdrawn', 'withdrawn-closes-as-withdrawn', `The reason given is "${reason}".`);
  const claimsImpliedReason = reason === 'withdrawn' || reason === 'follow-up-completed';
  ensure(!claimsImpliedReason || reason === implied, 'close-reason-contradicts-state', `The case is ${state.status}.`);
  return reason;
}

export function ensureNoUnfulfilledGoodwill(state: ComplaintCase): void {
  const unfulfilled = Object.values(state.goodwillOffers)
    .filter((offer) => offer.status === 'accepted')
    .map((offer) => offer.offerId);
  ensure(unfulfilled.length === 0, 'unfulfilled-goodwill-blocks-close', `Unfulfilled: ${unfulfilled.join(', ')}.`);
}

export function decideCloseCase(command: CloseCase, state: ComplaintCase): ComplaintEvent[] {
  const reason = closeReasonFor(state, command.data.reason);
  ensureNoUnfulfilledGoodwill(state);
  return [{ type: 'CaseClosed', data: present({ reason, note: command.data.note, ...stamp(command) }) }];
}
