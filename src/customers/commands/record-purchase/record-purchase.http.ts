import { ApiProperty } from '@nestjs/swagger';
import { IdField, IntegerField, IsCurrencyCode, TimestampField } from '../../../core/http/dto-fields';
import { Body, Inject, Param, Post } from '@nestjs/common';
import { purchaseCommandId } from '../../domain/customer.decider';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import {
  CUSTOMER_COMMANDS,
  CustomerCommandEndpoint,
  CustomerCommandResponseDto,
  CustomerCommands,
  CustomerCommandsController,
  CustomerIdParams,
} from '../../customer-commands';
import type { RecordPurchase } from './record-purchase.decide';

/** The body of `POST /customers/:customerId/purchases`; also one row of a purchase import (plus `customerId`). */
export class RecordPurchaseDto {
  @IdField({ description: 'The order, as the shop names it: a purchase is recorded once per order', example: 'order-55812' })
  orderId!: string;

  @IntegerField({
    description: 'What the customer paid, in integer minor units (e.g. 4999 for £49.99); never a decimal',
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    example: 4999,
  })
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

/** The answer to recordPurchase: the customer's revision and position, and the orderId recorded. */
export class PurchaseRecordedResponseDto extends CustomerCommandResponseDto {
  @ApiProperty({ description: 'The order recorded', example: 'order-55812' }) orderId!: string;
}

@CustomerCommandsController()
export class RecordPurchaseController {
  constructor(@Inject(CUSTOMER_COMMANDS) private readonly customers: CustomerCommands) {}

  @Post(':customerId/purchases')
  @CustomerCommandEndpoint({
    operationId: 'recordPurchase',
    response: PurchaseRecordedResponseDto,
    status: 201,
    body: RecordPurchaseDto,
    bodyRequired: true,
    summary: "Record a customer's purchase",
    description:
      'Idempotent on `orderId`: repeating an order with the same amount, currency and instant returns the first answer and appends nothing; ' +
      'with other values it is refused (409, rule `order-already-recorded`).',
    idempotency: 'Not needed: a purchase is deduplicated by its orderId, whatever the key.',
  })
  recordPurchase(
    @Param() { customerId }: CustomerIdParams,
    @Body() body: RecordPurchaseDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.customers.handle<RecordPurchase>(http, {
      id: customerId,
      commandId: purchaseCommandId(body.orderId),
      build: () => ({ type: 'RecordPurchase', data: toRecordPurchaseData(customerId, body) }),
      created: true,
      respondWith: () => ({ orderId: body.orderId }),
    });
  }
}
