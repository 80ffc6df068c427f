import { CHANNELS, Channel } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { IssueApology } from './issue-apology.decide';

export class IssueApologyDto {
  @EnumField(CHANNELS, { description: 'How the apology reached the customer', example: 'email' })
  channel!: Channel;

  @TextField({
    description: 'The apology as the customer received it',
    maxLength: 5000,
    example: 'We are sorry your order arrived damaged: that should not have happened, and it was our mistake.',
  })
  message!: string;
}

@CaseCommandsController()
export class IssueApologyController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/apologize')
  @CaseCommandEndpoint({
    operationId: 'issueApology',
    body: IssueApologyDto,
    summary: 'Apologise to the customer',
    description: 'Records a sincere apology, the expected response to a justified complaint.',
  })
  issueApology(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: IssueApologyDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<IssueApology>(http, {
      id: caseId,
      build: () => ({ type: 'IssueApology', data: body }),
    });
  }
}
