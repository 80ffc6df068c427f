import { Ensure, ruleBook } from '../../core/errors';

/**
 * The business rules every customer use case applies, each with its stable code and what it says, in words.
 * A rule only one use case applies lives in that use case's folder; the decider assembles the complete book.
 */
export const SHARED_CUSTOMER_RULES = {
  'dated-in-future': 'A purchase, referral or churn cannot be dated later than the moment it is recorded.',
} as const satisfies Record<string, string>;

export type SharedCustomerRule = keyof typeof SHARED_CUSTOMER_RULES;

const ensure: Ensure<SharedCustomerRule> = ruleBook(SHARED_CUSTOMER_RULES).ensure;

/** A fact happened at `factAt`; it is recorded at the command's `at`, never before. */
export function ensureNotInFuture(factAt: string, at: string): void {
  ensure(Date.parse(factAt) <= Date.parse(at), 'dated-in-future', `${factAt} is after ${at}.`);
}
