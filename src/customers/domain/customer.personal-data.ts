import type { PersonalFieldsOf } from '../../kernel/personal-data';
import type { CustomerEvent } from './customer.events';

/**
 * The fields of customer events that carry the customer's personal data, stored encrypted with their key:
 * why they left, in their words. Purchases, referrals and churn instants are what the analytics count, and
 * stay in the clear (identifiers and amounts only).
 */
export const CUSTOMER_PERSONAL_FIELDS = {
  CustomerChurned: ['reason'],
} as const satisfies PersonalFieldsOf<CustomerEvent>;
