import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiCommandEndpoint } from '../../../core/http/openapi-shapes';
import { CaseCommandGateway, CaseCommandResponse } from '../shared/case-command.gateway';
import { ReceiveComplaintDto, toReceiveComplaintData } from './receive-complaint.dto';

@ApiTags('case commands')
@Controller('cases')
export class ReceiveComplaintController {
  constructor(private readonly gateway: CaseCommandGateway) {}

  @Post()
  @ApiOperation({
    operationId: 'receiveComplaint',
    summary: 'Receive a new complaint',
    description: 'Opens a case. With an Idempotency-Key a retry returns the same case instead of opening another.',
  })
  @ApiCommandEndpoint(201)
  receive(@Body() body: ReceiveComplaintDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<CaseCommandResponse> {
    return this.gateway.execute(request, reply, {
      build: ({ caseId }) => ({ type: 'ReceiveComplaint', data: toReceiveComplaintData(caseId, body) }),
    });
  }
}
