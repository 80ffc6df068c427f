import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandBody } from '../../../complaints/commands/shared/command-body.decorator';
import { ApiCustomerCommandEndpoint } from '../shared/api-customer-command';
import { CustomerCommandGateway, CustomerCommandResponse } from '../shared/customer-command.gateway';
import { CustomerIdParams } from '../shared/customer-id.params';
import { RecordChurnDto } from './record-churn.dto';

@ApiTags('customer commands')
@Controller('customers')
export class RecordChurnController {
  constructor(private readonly gateway: CustomerCommandGateway) {}

  @Post(':customerId/churn')
  @HttpCode(200)
  @ApiOperation({ operationId: 'recordChurn', summary: 'Record that the customer left', description: 'Refused (409, `customer-already-churned`) while an earlier churn stands, i.e. until the customer buys again.' })
  @ApiBody({ type: RecordChurnDto, required: false })
  @ApiCustomerCommandEndpoint(200, 'Retrying with the same key returns the first answer and appends nothing')
  record(@Param() { customerId }: CustomerIdParams, @CommandBody() body: RecordChurnDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CustomerCommandResponse> {
    return this.gateway.execute(request, reply, {
      customerId,
      build: ({ now }) => ({
        type: 'RecordChurn',
        data: {
          customerId,
          ...(body.reason !== undefined ? { reason: body.reason } : {}),
          at: body.at === undefined ? now : new Date(body.at).toISOString(),
        },
      }),
    });
  }
}
