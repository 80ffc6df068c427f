import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GOODWILL_KINDS, GoodwillKind } from '../../domain/complaint.vocabulary';
import { BooleanField, EnumField, IdField, IntegerField, IsCurrencyCode, TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import {
  CASE_COMMANDS,
  CaseCommandEndpoint,
  CaseCommandResponseDto,
  CaseCommands,
  CaseCommandsController,
  CaseIdParams,
} from '../../case-commands';
import type { OfferGoodwill } from './offer-goodwill.decide';

export class OfferGoodwillDto {
  @IdField({ description: 'Your id for the offer, unique on the case; generated when omitted', optional: true, example: 'offer-2026-0001' })
  offerId?: string;

  @EnumField(GOODWILL_KINDS, { description: 'What is offered to right the wrong', example: 'partial-refund' })
  kind!: GoodwillKind;

  @IntegerField({
    description: 'Value of the offer in integer minor units (e.g. 1500 for £15.00); never a decimal',
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    example: 1500,
  })
  amount!: number;

  @ApiProperty({ description: 'ISO 4217 currency code of the amount', example: 'GBP' })
  @IsCurrencyCode()
  currency!: string;

  @ApiPropertyOptional({ default: true })
  @BooleanField({
    description: 'Whether the offer is made without admission of liability; a goodwill gesture normally is, so it defaults to true',
    optional: true,
    example: true,
  })
  withoutAdmission?: boolean;

  @TextField({
    description: 'What the offer is, in words the customer would recognise',
    optional: true,
    maxLength: 500,
    example: 'Refund of the delivery charge and £10 off your next order',
  })
  description?: string;
}

/** The answer to offerGoodwill: the case's revision and position, and the offerId created. */
export class GoodwillOfferedResponseDto extends CaseCommandResponseDto {
  @ApiProperty({ description: 'The goodwill offer created: name it in /cases/{caseId}/goodwill/{offerId}/…', example: 'offer-2026-0001' })
  offerId!: string;
}

@CaseCommandsController()
export class OfferGoodwillController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/goodwill')
  @CaseCommandEndpoint({
    operationId: 'offerGoodwill',
    response: GoodwillOfferedResponseDto,
    body: OfferGoodwillDto,
    summary: 'Offer the customer a goodwill gesture',
    description:
      "Offers a coupon, extra service, refund, replacement or credit. An offer above the actor's authority waits for a supervisor's approval. The response carries the `offerId`.",
  })
  offerGoodwill(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: OfferGoodwillDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<OfferGoodwill>(http, {
      id: caseId,
      build: ({ newId }) => ({
        type: 'OfferGoodwill',
        data: {
          offerId: body.offerId ?? newId('offer'),
          kind: body.kind,
          amount: body.amount,
          currency: body.currency,
          withoutAdmission: body.withoutAdmission ?? true,
          description: body.description,
        },
      }),
      respondWith: ({ data }) => ({ offerId: data.offerId }),
    });
  }
}
