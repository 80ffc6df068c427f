import { TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { WithdrawComplaint } from './withdraw-complaint.decide';

export class WithdrawComplaintDto {
  @TextField({
    description: 'Why the customer withdrew the complaint, if they said',
    optional: true,
    maxLength: 5000,
    example: 'The parcel turned up at a neighbour; customer no longer wishes to complain.',
  })
  reason?: string;
}

@CaseCommandsController()
export class WithdrawComplaintController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/withdraw')
  @CaseCommandEndpoint({
    operationId: 'withdrawComplaint',
    body: WithdrawComplaintDto,
    summary: 'Record that the customer withdrew the complaint',
    description: 'The customer no longer pursues the complaint; the case can then be closed.',
  })
  withdrawComplaint(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: WithdrawComplaintDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<WithdrawComplaint>(http, {
      id: caseId,
      build: () => ({ type: 'WithdrawComplaint', data: body }),
    });
  }
}
