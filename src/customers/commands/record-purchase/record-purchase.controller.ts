import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { purchaseCommandId } from '../../domain/customer.decider';
import { ApiCustomerCommandEndpoint } from '../shared/api-customer-command';
import { CustomerCommandGateway, CustomerCommandResponse } from '../shared/customer-command.gateway';
import { CustomerIdParams } from '../shared/customer-id.params';
import { RecordPurchaseDto, toRecordPurchaseData } from './record-purchase.dto';

@ApiTags('customer commands')
@Controller('customers')
export class RecordPurchaseController {
  constructor(private readonly gateway: CustomerCommandGateway) {}

  @Post(':customerId/purchases')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'recordPurchase',
    summary: "Record a customer's purchase",
    description: 'Idempotent on `orderId`: repeating an order with the same amount, currency and instant returns the first answer and appends nothing; '
      + 'with other values it is refused (409, rule `order-already-recorded`).',
  })
  @ApiCustomerCommandEndpoint(201, 'Not needed: a purchase is deduplicated by its orderId (the key is ignored)')
  record(@Param() { customerId }: CustomerIdParams, @Body() body: RecordPurchaseDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CustomerCommandResponse> {
    return this.gateway.execute(request, reply, {
      customerId,
      commandId: purchaseCommandId(body.orderId),
      build: () => ({ type: 'RecordPurchase', data: toRecordPurchaseData(customerId, body) }),
      respondWith: () => ({ orderId: body.orderId }),
    });
  }
}
