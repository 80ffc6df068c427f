import { IdField, TimestampField } from '../../../complaints/commands/shared/dto-fields';

/** The body of `POST /customers/:customerId/referrals`: the customer brought someone in. */
export class RecordReferralDto {
  @IdField({ description: 'Your id for the referral: a repeat with the same id appends nothing. Generated (from the Idempotency-Key) when omitted', optional: true, example: 'ref-2026-0042' })
  referralId?: string;

  @IdField({ description: 'The customer who came through the referral, when known', optional: true, example: 'cust-20411' })
  referredCustomerId?: string;

  @TimestampField({ description: 'When the referral happened; never in the future. Defaults to now.', optional: true, example: '2026-11-25T10:00:00Z' })
  at?: string;
}
