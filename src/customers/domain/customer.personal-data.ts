import type { PersonalFieldsOf } from '../../kernel/personal-data';
import type { CustomerEvent } from './customer.events';

/**
 * The fields of customer events that carry the customer's personal data, stored encrypted with their key:
 * why they left, in their words, and what the desk noted of their vulnerability (its FG21/1 reason stays readable, as on a case). Purchases, referrals and churn instants are what the analytics count, and
 * stay in the clear (identifiers and amounts only).
 */
export const CUSTOMER_PERSONAL_FIELDS = {
  CustomerChurned: ['reason'],
  CustomerVulnerabilityFlagged: ['note'],
  CustomerVulnerabilityCleared: ['note'],
} as const satisfies PersonalFieldsOf<CustomerEvent>;
