/** Builders of customer commands and events for the domain specs. */
import type { Actor } from '../../kernel/actor';
import type { CustomerCommand } from './customer.decider';
import type { CustomerEvent } from './customer.events';

export const SHOP: Actor = { id: 'shop', role: 'agent' };
/** The instant every command here is decided at. */
export const NOW = '2025-05-01T12:00:00.000Z';

export const purchase = (orderId: string, amount = 1000, at = '2025-04-01T10:00:00.000Z', currency = 'GBP'): CustomerCommand => ({
  type: 'RecordPurchase',
  data: { customerId: 'c1', orderId, amount, currency, at },
  by: SHOP,
  at: NOW,
});
export const purchased = (orderId: string, amount = 1000, at = '2025-04-01T10:00:00.000Z', currency = 'GBP'): CustomerEvent => ({
  type: 'PurchaseRecorded',
  data: { customerId: 'c1', orderId, amount, currency, at, by: SHOP },
});
export const referral = (referralId: string, at = '2025-04-02T10:00:00.000Z'): CustomerCommand => ({
  type: 'RecordReferral',
  data: { customerId: 'c1', referralId, at },
  by: SHOP,
  at: NOW,
});
export const churn = (at = '2025-04-03T10:00:00.000Z', reason?: string): CustomerCommand => ({
  type: 'RecordChurn',
  data: { customerId: 'c1', at, ...(reason ? { reason } : {}) },
  by: SHOP,
  at: NOW,
});
export const churned = (at = '2025-04-03T10:00:00.000Z'): CustomerEvent => ({
  type: 'CustomerChurned',
  data: { customerId: 'c1', at, by: SHOP },
});
export const flagVulnerable = (reason: 'health' | 'life-events' | 'resilience' | 'capability', note?: string): CustomerCommand => ({
  type: 'FlagCustomerVulnerability',
  data: { customerId: 'c1', reason, ...(note ? { note } : {}) },
  by: SHOP,
  at: NOW,
});
export const flaggedVulnerable = (reason: 'health' | 'life-events' | 'resilience' | 'capability', note?: string): CustomerEvent => ({
  type: 'CustomerVulnerabilityFlagged',
  data: { customerId: 'c1', reason, ...(note ? { note } : {}), at: NOW, by: SHOP },
});
export const clearVulnerable = (note?: string): CustomerCommand => ({
  type: 'ClearCustomerVulnerability',
  data: { customerId: 'c1', ...(note ? { note } : {}) },
  by: SHOP,
  at: NOW,
});
export const clearedVulnerable = (note?: string): CustomerEvent => ({
  type: 'CustomerVulnerabilityCleared',
  data: { customerId: 'c1', ...(note ? { note } : {}), at: NOW, by: SHOP },
});
