import { ApiProperty } from '@nestjs/swagger';
import { IdField, IntegerField, IsCurrencyCode, TimestampField } from '../../../complaints/commands/shared/dto-fields';

/** The body of `POST /customers/:customerId/purchases`; also one row of a purchase import (plus `customerId`). */
export class RecordPurchaseDto {
  @IdField({ description: 'The order, as the shop names it: a purchase is recorded once per order', example: 'order-55812' })
  orderId!: string;

  @IntegerField({ description: 'What the customer paid, in integer minor units (e.g. 4999 for £49.99); never a decimal', min: 0, max: Number.MAX_SAFE_INTEGER, example: 4999 })
  amount!: number;

  @ApiProperty({ description: 'ISO 4217 currency code of the amount', example: 'GBP' })
  @IsCurrencyCode()
  currency!: string;

  @TimestampField({ description: 'When the purchase was made; never in the future', example: '2026-11-20T14:32:00Z' })
  at!: string;
}

/** The RecordPurchase data for a validated body: the instant in one form (UTC, toISOString) so it orders as text. */
export function toRecordPurchaseData(customerId: string, dto: RecordPurchaseDto) {
  return { customerId, orderId: dto.orderId, amount: dto.amount, currency: dto.currency, at: new Date(dto.at).toISOString() };
}
