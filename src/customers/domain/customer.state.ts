import { assertNever } from '../../core/decider';
import type { VulnerabilityReason } from '../../kernel/vulnerability';
import type { CustomerEvent } from './customer.events';
import { OrderBook } from './order-book';

/** What a decision about a customer needs: the orders and referrals already recorded, and churn since the last purchase. */
export interface CustomerState {
  readonly orders: OrderBook;
  readonly referralIds: readonly string[];
  readonly lastPurchaseAt?: string;
  /** Set by CustomerChurned, cleared by a later purchase. */
  readonly churnedAt?: string;
  /** The latest erasure of the customer's personal data: which key generation was destroyed, and when. */
  readonly lastErasure?: { readonly keyGeneration: number; readonly at: string };
  /** Set while the customer is flagged vulnerable (FCA FG21/1). */
  readonly vulnerability?: { readonly reason: VulnerabilityReason; readonly at: string };
}

export const initialCustomerState: CustomerState = { orders: OrderBook.empty, referralIds: [] };

export function evolveCustomer(state: CustomerState, event: CustomerEvent): CustomerState {
  switch (event.type) {
    case 'PurchaseRecorded': {
      const { orderId, amount, currency, at } = event.data;
      const latest = state.lastPurchaseAt === undefined || Date.parse(at) > Date.parse(state.lastPurchaseAt) ? at : state.lastPurchaseAt;
      const churnedAt = state.churnedAt !== undefined && Date.parse(at) >= Date.parse(state.churnedAt) ? undefined : state.churnedAt;
      return { ...state, orders: state.orders.with(orderId, { amount, currency, at }), lastPurchaseAt: latest, churnedAt };
    }
    case 'ReferralRecorded':
      return { ...state, referralIds: [...state.referralIds, event.data.referralId] };
    case 'CustomerChurned':
      return { ...state, churnedAt: event.data.at };
    case 'PersonalDataErased':
      return { ...state, lastErasure: { keyGeneration: event.data.keyGeneration, at: event.data.at } };
    case 'CustomerVulnerabilityFlagged':
      return { ...state, vulnerability: { reason: event.data.reason, at: event.data.at } };
    case 'CustomerVulnerabilityCleared':
      return { ...state, vulnerability: undefined };
    default:
      return assertNever(event, 'customer event');
  }
}
