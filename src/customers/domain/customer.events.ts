import type { DomainEvent } from '../../core/decider';
import type { Actor } from '../../kernel/actor';

/**
 * Events of a customer stream (`customer-<customerId>`): the behaviour loyalty is measured by.
 * `at` is when the fact happened in the shop (a purchase may be imported long after); `by` who recorded it.
 */
export type PurchaseRecorded = DomainEvent<
  'PurchaseRecorded',
  {
    customerId: string;
    orderId: string;
    /** Integer minor units of `currency`. */
    amount: number;
    currency: string;
    at: string;
    by: Actor;
  }
>;

export type ReferralRecorded = DomainEvent<
  'ReferralRecorded',
  {
    customerId: string;
    referralId: string;
    /** The customer who came through the referral, when known. */
    referredCustomerId?: string;
    at: string;
    by: Actor;
  }
>;

export type CustomerChurned = DomainEvent<
  'CustomerChurned',
  {
    customerId: string;
    reason?: string;
    at: string;
    by: Actor;
  }
>;

/**
 * The customer's personal data was erased: the data key of `keyGeneration` (which sealed every personal field
 * recorded for them until `at`) was destroyed first; this event records that it was, and by whom.
 */
export type PersonalDataErased = DomainEvent<
  'PersonalDataErased',
  {
    customerId: string;
    keyGeneration: number;
    at: string;
    by: Actor;
  }
>;

export type CustomerEvent = PurchaseRecorded | ReferralRecorded | CustomerChurned | PersonalDataErased;
export type CustomerEventType = CustomerEvent['type'];
