import { ApiProperty } from '@nestjs/swagger';
import { IdField, TimestampField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { referralCommandId } from '../../domain/customer.decider';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import {
  CUSTOMER_COMMANDS,
  CustomerCommandEndpoint,
  CustomerCommandResponseDto,
  CustomerCommands,
  CustomerCommandsController,
  CustomerIdParams,
} from '../../customer-commands';
import type { RecordReferral } from './record-referral.decide';

/** The body of `POST /customers/:customerId/referrals`: the customer brought someone in. */
export class RecordReferralDto {
  @IdField({
    description: 'Your id for the referral: a repeat with the same id appends nothing. Generated (from the Idempotency-Key) when omitted',
    optional: true,
    example: 'ref-2026-0042',
  })
  referralId?: string;

  @IdField({ description: 'The customer who came through the referral, when known', optional: true, example: 'cust-20411' })
  referredCustomerId?: string;

  @TimestampField({
    description: 'When the referral happened; never in the future. Defaults to now.',
    optional: true,
    example: '2026-11-25T10:00:00Z',
  })
  at?: string;
}

/** The answer to recordReferral: the customer's revision and position, and the referralId recorded. */
export class ReferralRecordedResponseDto extends CustomerCommandResponseDto {
  @ApiProperty({ description: 'The referral recorded', example: 'ref-1' }) referralId!: string;
}

@CustomerCommandsController()
export class RecordReferralController {
  constructor(@Inject(CUSTOMER_COMMANDS) private readonly customers: CustomerCommands) {}

  @Post(':customerId/referrals')
  @CustomerCommandEndpoint({
    operationId: 'recordReferral',
    response: ReferralRecordedResponseDto,
    status: 201,
    body: RecordReferralDto,
    summary: 'Record that the customer referred someone',
    description: 'The response carries the `referralId`.',
    idempotency: 'Retrying with the same key returns the first answer and appends nothing (a given referralId does the same)',
  })
  recordReferral(
    @Param() { customerId }: CustomerIdParams,
    @CommandBody() body: RecordReferralDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.customers.handle<RecordReferral>(http, {
      id: customerId,
      commandId: body.referralId === undefined ? undefined : referralCommandId(body.referralId),
      build: ({ now, newId }) => ({
        type: 'RecordReferral',
        data: {
          customerId,
          referralId: body.referralId ?? newId('referral'),
          ...(body.referredCustomerId !== undefined ? { referredCustomerId: body.referredCustomerId } : {}),
          at: body.at === undefined ? now : new Date(body.at).toISOString(),
        },
      }),
      created: true,
      respondWith: ({ data }) => ({ referralId: data.referralId }),
    });
  }
}
