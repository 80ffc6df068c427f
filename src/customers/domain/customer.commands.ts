import type { DomainCommand } from '../../core/decider';
import type { Actor } from '../../kernel/actor';

/** Who records the fact and the instant the command is decided at (`decidedAt`), so `decide` stays pure. */
interface Issued {
  readonly by: Actor;
  readonly decidedAt: string;
}
type CustomerCommandOf<Type extends string, Data> = DomainCommand<Type, Data> & Issued;

export type RecordPurchase = CustomerCommandOf<'RecordPurchase', {
  customerId: string;
  orderId: string;
  amount: number;
  currency: string;
  /** When the purchase was made; never after `decidedAt`. */
  at: string;
}>;

export type RecordReferral = CustomerCommandOf<'RecordReferral', {
  customerId: string;
  referralId: string;
  referredCustomerId?: string;
  at: string;
}>;

export type RecordChurn = CustomerCommandOf<'RecordChurn', {
  customerId: string;
  reason?: string;
  at: string;
}>;

export type CustomerCommand = RecordPurchase | RecordReferral | RecordChurn;
export type CustomerCommandType = CustomerCommand['type'];
