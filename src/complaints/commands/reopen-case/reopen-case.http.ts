import { TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { ReopenCase } from './reopen-case.decide';

export class ReopenCaseDto {
  @TextField({
    description: 'Why the case is reopened',
    maxLength: 5000,
    example: 'The replacement arrived damaged as well; customer is not satisfied.',
  })
  reason!: string;
}

@CaseCommandsController()
export class ReopenCaseController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/reopen')
  @CaseCommandEndpoint({
    operationId: 'reopenCase',
    body: ReopenCaseDto,
    summary: 'Reopen a resolved or closed case',
    description: 'Reopens the case, typically when the customer is not satisfied; only within the reopen window.',
  })
  reopenCase(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: ReopenCaseDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<ReopenCase>(http, {
      id: caseId,
      build: () => ({ type: 'ReopenCase', data: body }),
    });
  }
}
