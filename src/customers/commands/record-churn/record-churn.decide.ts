import { Ensure, ruleBook } from '../../../core/errors';
import type { CustomerCommandOf } from '../../domain/customer.command';
import type { CustomerEvent } from '../../domain/customer.events';
import { ensureNotInFuture } from '../../domain/customer.rules';
import type { CustomerState } from '../../domain/customer.state';

export type RecordChurn = CustomerCommandOf<
  'RecordChurn',
  {
    customerId: string;
    reason?: string;
    at: string;
  }
>;

export const RECORD_CHURN_RULES = {
  'customer-already-churned': 'The customer was already recorded as churned and has not bought since.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof RECORD_CHURN_RULES> = ruleBook(RECORD_CHURN_RULES).ensure;

export function ensureNotChurned(state: CustomerState): void {
  ensure(state.churnedAt === undefined, 'customer-already-churned', `Churn recorded at ${state.churnedAt}.`);
}

export function decideRecordChurn(command: RecordChurn, state: CustomerState): CustomerEvent[] {
  const { customerId, reason, at } = command.data;
  ensureNotChurned(state);
  ensureNotInFuture(at, command.at);
  return [{ type: 'CustomerChurned', data: { customerId, ...(reason !== undefined ? { reason } : {}), at, by: command.by } }];
}
