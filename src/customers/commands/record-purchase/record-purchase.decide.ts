import { Ensure, ruleBook } from '../../../core/errors';
import type { CustomerCommandOf } from '../../domain/customer.command';
import type { CustomerEvent } from '../../domain/customer.events';
import { ensureNotInFuture } from '../../domain/customer.rules';
import type { CustomerState } from '../../domain/customer.state';

export type RecordPurchase = CustomerCommandOf<
  'RecordPurchase',
  {
    customerId: string;
    orderId: string;
    amount: number;
    currency: string;
    /** When the purchase was made; never after the command's `at`. */
    at: string;
  }
>;

export const RECORD_PURCHASE_RULES = {
  'order-already-recorded':
    'An order is recorded once per customer: repeating it with the same amount, currency and instant changes nothing; with other values it is refused.',
  'amount-not-valid': 'A purchase amount is a whole number of minor units, zero or more.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof RECORD_PURCHASE_RULES> = ruleBook(RECORD_PURCHASE_RULES).ensure;

export function ensureValidAmount(amount: number): void {
  ensure(Number.isSafeInteger(amount) && amount >= 0, 'amount-not-valid', `Got ${amount}.`);
}

export function ensureOrderNotRecorded(state: CustomerState, orderId: string): void {
  const recorded = state.orders.get(orderId);
  ensure(
    recorded === undefined,
    'order-already-recorded',
    recorded && `Order ${orderId} was recorded as ${recorded.amount} ${recorded.currency} at ${recorded.at}.`,
  );
}

/**
 * A repeated order never reaches this point through the command path (its event id is derived from the
 * order, so the repeat is answered from the log); deciding it here anyway is refused rather than doubled.
 */
export function decideRecordPurchase(command: RecordPurchase, state: CustomerState): CustomerEvent[] {
  const { customerId, orderId, amount, currency, at } = command.data;
  ensureValidAmount(amount);
  ensureOrderNotRecorded(state, orderId);
  ensureNotInFuture(at, command.at);
  return [{ type: 'PurchaseRecorded', data: { customerId, orderId, amount, currency, at, by: command.by } }];
}
