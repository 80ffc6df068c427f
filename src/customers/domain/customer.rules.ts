import { DomainRuleViolation, Ensure, ruleBook } from '../../core/errors';

/** Every business rule of a customer stream: its stable code and what it says, in words. */
export const CUSTOMER_RULES = {
  'order-already-recorded': 'An order is recorded once per customer: repeating it with the same amount, currency and instant changes nothing; with other values it is refused.',
  'amount-not-valid': 'A purchase amount is a whole number of minor units, zero or more.',
  'dated-in-future': 'A purchase, referral or churn cannot be dated later than the moment it is recorded.',
  'referral-already-recorded': 'A referral with this id was already recorded for the customer.',
  'customer-already-churned': 'The customer was already recorded as churned and has not bought since.',
} as const satisfies Record<string, string>;

export type CustomerRule = keyof typeof CUSTOMER_RULES;

const rules = ruleBook(CUSTOMER_RULES);
export const customerViolation: (rule: CustomerRule, detail?: string) => DomainRuleViolation = rules.violation;
export const ensureCustomer: Ensure<CustomerRule> = rules.ensure;
