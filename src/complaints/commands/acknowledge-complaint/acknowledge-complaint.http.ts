import { CHANNELS, Channel } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { AcknowledgeComplaint } from './acknowledge-complaint.decide';

export class AcknowledgeComplaintDto {
  @EnumField(CHANNELS, { description: 'How the acknowledgement reached the customer', example: 'email' })
  channel!: Channel;

  @TextField({
    description: 'What the customer was told',
    maxLength: 5000,
    example: 'We have received your complaint and will reply within 3 days.',
  })
  message!: string;
}

@CaseCommandsController()
export class AcknowledgeComplaintController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/acknowledge')
  @CaseCommandEndpoint({
    operationId: 'acknowledgeComplaint',
    body: AcknowledgeComplaintDto,
    summary: 'Acknowledge the complaint to the customer',
    description: 'The first acknowledgement stops the acknowledgement clock; later ones are recorded too.',
  })
  acknowledgeComplaint(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: AcknowledgeComplaintDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<AcknowledgeComplaint>(http, {
      id: caseId,
      build: () => ({ type: 'AcknowledgeComplaint', data: body }),
    });
  }
}
