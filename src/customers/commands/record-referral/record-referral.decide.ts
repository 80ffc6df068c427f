import { Ensure, ruleBook } from '../../../core/errors';
import type { CustomerCommandOf } from '../../domain/customer.command';
import type { CustomerEvent } from '../../domain/customer.events';
import { ensureNotInFuture } from '../../domain/customer.rules';
import type { CustomerState } from '../../domain/customer.state';

export type RecordReferral = CustomerCommandOf<
  'RecordReferral',
  {
    customerId: string;
    referralId: string;
    referredCustomerId?: string;
    at: string;
  }
>;

export const RECORD_REFERRAL_RULES = {
  'referral-already-recorded': 'A referral with this id was already recorded for the customer.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof RECORD_REFERRAL_RULES> = ruleBook(RECORD_REFERRAL_RULES).ensure;

export function ensureNewReferral(state: CustomerState, referralId: string): void {
  ensure(!state.referralIds.includes(referralId), 'referral-already-recorded', `Referral ${referralId}.`);
}

export function decideRecordReferral(command: RecordReferral, state: CustomerState): CustomerEvent[] {
  const { customerId, referralId, referredCustomerId, at } = command.data;
  ensureNewReferral(state, referralId);
  ensureNotInFuture(at, command.at);
  return [
    {
      type: 'ReferralRecorded',
      data: { customerId, referralId, ...(referredCustomerId !== undefined ? { referredCustomerId } : {}), at, by: command.by },
    },
  ];
}
