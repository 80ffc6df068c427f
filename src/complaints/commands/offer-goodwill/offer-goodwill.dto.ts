import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GOODWILL_KINDS, GoodwillKind } from '../../domain/complaint.vocabulary';
import { BooleanField, EnumField, IdField, IntegerField, IsCurrencyCode, TextField } from '../shared/dto-fields';

export class OfferGoodwillDto {
  @IdField({ description: 'Your id for the offer, unique on the case; generated when omitted', optional: true, example: 'offer-2026-0001' })
  offerId?: string;

  @EnumField(GOODWILL_KINDS, { description: 'What is offered to right the wrong', example: 'partial-refund' })
  kind!: GoodwillKind;

  @IntegerField({ description: 'Value of the offer in integer minor units (e.g. 1500 for £15.00); never a decimal', min: 1, max: Number.MAX_SAFE_INTEGER, example: 1500 })
  amount!: number;

  @ApiProperty({ description: 'ISO 4217 currency code of the amount', example: 'GBP' })
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({ default: true })
  @BooleanField({ description: 'Whether the offer is made without admission of liability; a goodwill gesture normally is, so it defaults to true', optional: true, example: true })
  withoutAdmission?: boolean;

  @TextField({ description: 'What the offer is, in words the customer would recognise', optional: true, maxLength: 500, example: 'Refund of the delivery charge and £10 off your next order' })
  description?: string;
}
