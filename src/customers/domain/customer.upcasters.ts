import type { EventCatalogue } from '../../core/event-catalogue';
import type { CustomerEvent } from './customer.events';

/** Every customer event type with its upcasters; none has changed yet. */
export const CUSTOMER_UPCASTERS: EventCatalogue<CustomerEvent> = {
  PurchaseRecorded: {},
  ReferralRecorded: {},
  CustomerChurned: {},
  PersonalDataErased: {},
  CustomerVulnerabilityFlagged: {},
  CustomerVulnerabilityCleared: {},
};
