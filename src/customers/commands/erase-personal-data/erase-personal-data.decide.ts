import { Ensure, ruleBook } from '../../../core/errors';
import type { CustomerCommandOf } from '../../domain/customer.command';
import type { CustomerEvent } from '../../domain/customer.events';
import { ensureNotInFuture } from '../../domain/customer.rules';
import type { CustomerState } from '../../domain/customer.state';

/**
 * Records an erasure that has already happened: the route destroys the customer's data key first (so a failure
 * after it can only leave the record missing, never the data readable), then issues this with what it destroyed.
 */
export type ErasePersonalData = CustomerCommandOf<
  'ErasePersonalData',
  {
    customerId: string;
    /** The generation of the customer's data key that was destroyed. */
    keyGeneration: number;
    /** When the key was destroyed. */
    erasedAt: string;
  }
>;

export const ERASE_PERSONAL_DATA_RULES = {
  'personal-data-already-erased': 'The erasure of this key generation is already recorded: a key is destroyed once.',
} as const satisfies Record<string, string>;

const ensure: Ensure<keyof typeof ERASE_PERSONAL_DATA_RULES> = ruleBook(ERASE_PERSONAL_DATA_RULES).ensure;

export function ensureNotErasedYet(state: CustomerState, keyGeneration: number): void {
  const last = state.lastErasure;
  ensure(
    last === undefined || keyGeneration > last.keyGeneration,
    'personal-data-already-erased',
    last && `Key generation ${last.keyGeneration} was erased at ${last.at}.`,
  );
}

export function decideErasePersonalData(command: ErasePersonalData, state: CustomerState): CustomerEvent[] {
  const { customerId, keyGeneration, erasedAt } = command.data;
  ensureNotErasedYet(state, keyGeneration);
  ensureNotInFuture(erasedAt, command.at);
  return [{ type: 'PersonalDataErased', data: { customerId, keyGeneration, at: erasedAt, by: command.by } }];
}
