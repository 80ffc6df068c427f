import { IdField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { AssignCase } from './assign-case.decide';

export class AssignCaseDto {
  @IdField({ description: 'The agent who now owns the case', example: 'agent-42' })
  agentId!: string;

  @IdField({ description: 'The team the case is assigned to, if any', optional: true, example: 'complaints-tier-1' })
  team?: string;
}

@CaseCommandsController()
export class AssignCaseController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/assign')
  @CaseCommandEndpoint({
    operationId: 'assignCase',
    body: AssignCaseDto,
    summary: 'Assign the case to an agent',
    description: 'Gives the case an owner (and optionally a team); a later assignment replaces the earlier one.',
  })
  assignCase(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: AssignCaseDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<AssignCase>(http, {
      id: caseId,
      build: () => ({ type: 'AssignCase', data: body }),
    });
  }
}
