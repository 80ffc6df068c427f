import { assertNever, type Decider } from '../../core/decider';
import type { CustomerCommand, RecordChurn, RecordPurchase, RecordReferral } from './customer.commands';
import type { CustomerEvent } from './customer.events';
import { ensureCustomer } from './customer.rules';

/** What a decision about a customer needs: the orders and referrals already recorded, and churn since the last purchase. */
export interface CustomerState {
  /** Keyed by orderId (own properties only). */
  readonly orders: Readonly<Record<string, { readonly amount: number; readonly currency: string; readonly at: string }>>;
  readonly referralIds: readonly string[];
  readonly lastPurchaseAt?: string;
  /** Set by CustomerChurned, cleared by a later purchase. */
  readonly churnedAt?: string;
}

export const initialCustomerState: CustomerState = { orders: {}, referralIds: [] };

export const CUSTOMER_STREAM_PREFIX = 'customer-';

export function customerStreamName(customerId: string): string {
  return `${CUSTOMER_STREAM_PREFIX}${customerId}`;
}

/** The command id a purchase is recorded under: derived from the order, so a repeated order appends nothing. */
export function purchaseCommandId(orderId: string): string {
  return `purchase:${orderId}`;
}

/** Same for a referral with a client-given id. */
export function referralCommandId(referralId: string): string {
  return `referral:${referralId}`;
}

export function evolveCustomer(state: CustomerState, event: CustomerEvent): CustomerState {
  switch (event.type) {
    case 'PurchaseRecorded': {
      const { orderId, amount, currency, at } = event.data;
      const latest = state.lastPurchaseAt === undefined || Date.parse(at) > Date.parse(state.lastPurchaseAt) ? at : state.lastPurchaseAt;
      const churnedAt = state.churnedAt !== undefined && Date.parse(at) >= Date.parse(state.churnedAt) ? undefined : state.churnedAt;
      return { ...state, orders: { ...state.orders, [orderId]: { amount, currency, at } }, lastPurchaseAt: latest, churnedAt };
    }
    case 'ReferralRecorded':
      return { ...state, referralIds: [...state.referralIds, event.data.referralId] };
    case 'CustomerChurned':
      return { ...state, churnedAt: event.data.at };
    default:
      return assertNever(event, 'customer event');
  }
}

export function decideCustomer(command: CustomerCommand, state: CustomerState): CustomerEvent[] {
  switch (command.type) {
    case 'RecordPurchase': return recordPurchase(command, state);
    case 'RecordReferral': return recordReferral(command, state);
    case 'RecordChurn': return recordChurn(command, state);
    default: return assertNever(command, 'customer command');
  }
}

function ensureNotInFuture(at: string, decidedAt: string): void {
  ensureCustomer(Date.parse(at) <= Date.parse(decidedAt), 'dated-in-future', `${at} is after ${decidedAt}.`);
}

/**
 * A repeated order never reaches this point through the command path (its event id is derived from the
 * order, so the repeat is answered from the log); deciding it here anyway is refused rather than doubled.
 */
function recordPurchase(command: RecordPurchase, state: CustomerState): CustomerEvent[] {
  const { customerId, orderId, amount, currency, at } = command.data;
  ensureCustomer(Number.isSafeInteger(amount) && amount >= 0, 'amount-not-valid', `Got ${amount}.`);
  const recorded = Object.hasOwn(state.orders, orderId) ? state.orders[orderId] : undefined;
  ensureCustomer(recorded === undefined, 'order-already-recorded', recorded && `Order ${orderId} was recorded as ${recorded.amount} ${recorded.currency} at ${recorded.at}.`);
  ensureNotInFuture(at, command.decidedAt);
  return [{ type: 'PurchaseRecorded', data: { customerId, orderId, amount, currency, at, by: command.by } }];
}

function recordReferral(command: RecordReferral, state: CustomerState): CustomerEvent[] {
  const { customerId, referralId, referredCustomerId, at } = command.data;
  ensureCustomer(!state.referralIds.includes(referralId), 'referral-already-recorded', `Referral ${referralId}.`);
  ensureNotInFuture(at, command.decidedAt);
  return [{
    type: 'ReferralRecorded',
    data: { customerId, referralId, ...(referredCustomerId !== undefined ? { referredCustomerId } : {}), at, by: command.by },
  }];
}

function recordChurn(command: RecordChurn, state: CustomerState): CustomerEvent[] {
  const { customerId, reason, at } = command.data;
  ensureCustomer(state.churnedAt === undefined, 'customer-already-churned', `Churn recorded at ${state.churnedAt}.`);
  ensureNotInFuture(at, command.decidedAt);
  return [{ type: 'CustomerChurned', data: { customerId, ...(reason !== undefined ? { reason } : {}), at, by: command.by } }];
}

export type CustomerDecider = Decider<CustomerCommand, CustomerEvent, CustomerState>;

export const customerDecider: CustomerDecider = { initialState: initialCustomerState, evolve: evolveCustomer, decide: decideCustomer };

type PurchaseFacts = { readonly amount: number; readonly currency: string; readonly at: string };

/** Whether a purchase already recorded under the same order says the same: amount, currency and instant. */
export function samePurchase(recorded: PurchaseFacts, requested: PurchaseFacts): boolean {
  return recorded.amount === requested.amount && recorded.currency === requested.currency && Date.parse(recorded.at) === Date.parse(requested.at);
}
