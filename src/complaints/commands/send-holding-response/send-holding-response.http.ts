import { BooleanField, TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { SendHoldingResponse } from './send-holding-response.decide';

export class SendHoldingResponseDto {
  @TextField({
    description: 'Why the final response is not ready yet and when it is expected',
    maxLength: 5000,
    example: 'We are still waiting for the card scheme; we expect to reply by 20 January.',
  })
  message!: string;

  @BooleanField({
    description: 'The response tells the complainant they may refer the complaint to the ombudsman now (required: DISP 1.6.2R(2))',
    example: true,
  })
  ombudsmanRightsExplained!: boolean;
}

@CaseCommandsController()
export class SendHoldingResponseController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/holding-response')
  @CaseCommandEndpoint({
    operationId: 'sendHoldingResponse',
    body: SendHoldingResponseDto,
    summary: 'Send an FCA holding response',
    description:
      'FCA only. Meets the 8-week deadline with a written response that explains the delay and the right to refer to the ombudsman ' +
      '(DISP 1.6.2R(2)); on a payment-services complaint, extends the final response to 35 business days (DISP 1.6.2AR).',
  })
  sendHoldingResponse(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: SendHoldingResponseDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<SendHoldingResponse>(http, {
      id: caseId,
      build: () => ({ type: 'SendHoldingResponse', data: body }),
    });
  }
}
