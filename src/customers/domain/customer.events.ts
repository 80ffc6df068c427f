import type { DomainEvent } from '../../core/decider';
import type { Actor } from '../../kernel/actor';
import type { VulnerabilityReason } from '../../kernel/vulnerability';

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

/**
 * The customer is vulnerable (FCA FG21/1), whatever they complain about: every case of theirs, open or still to come,
 * counts as vulnerable while the flag stands (a case's own flag adds to it, see the README). A later flag replaces it.
 */
export type CustomerVulnerabilityFlagged = DomainEvent<
  'CustomerVulnerabilityFlagged',
  {
    customerId: string;
    reason: VulnerabilityReason;
    /** What the desk should know; sealed like the customer's words. */
    note?: string;
    at: string;
    by: Actor;
  }
>;

/** The customer's own flag no longer applies; a case's own flag is not touched. */
export type CustomerVulnerabilityCleared = DomainEvent<
  'CustomerVulnerabilityCleared',
  {
    customerId: string;
    note?: string;
    at: string;
    by: Actor;
  }
>;

export type CustomerEvent =
  PurchaseRecorded | ReferralRecorded | CustomerChurned | PersonalDataErased | CustomerVulnerabilityFlagged | CustomerVulnerabilityCleared;
export type CustomerEventType = CustomerEvent['type'];
