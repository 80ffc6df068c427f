import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandBody } from '../../../complaints/commands/shared/command-body.decorator';
import { referralCommandId } from '../../domain/customer.decider';
import { ApiCustomerCommandEndpoint } from '../shared/api-customer-command';
import { CustomerCommandGateway, CustomerCommandResponse } from '../shared/customer-command.gateway';
import { CustomerIdParams } from '../shared/customer-id.params';
import { RecordReferralDto } from './record-referral.dto';

@ApiTags('customer commands')
@Controller('customers')
export class RecordReferralController {
  constructor(private readonly gateway: CustomerCommandGateway) {}

  @Post(':customerId/referrals')
  @HttpCode(201)
  @ApiOperation({ operationId: 'recordReferral', summary: 'Record that the customer referred someone', description: 'The response carries the `referralId`.' })
  @ApiBody({ type: RecordReferralDto, required: false })
  @ApiCustomerCommandEndpoint(201, 'Retrying with the same key returns the first answer and appends nothing (a given referralId does the same)')
  record(@Param() { customerId }: CustomerIdParams, @CommandBody() body: RecordReferralDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CustomerCommandResponse> {
    return this.gateway.execute(request, reply, {
      customerId,
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
      respondWith: (command) => (command.type === 'RecordReferral' ? { referralId: command.data.referralId } : {}),
    });
  }
}
