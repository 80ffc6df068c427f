import { Inject, Param, Post } from '@nestjs/common';
import { IdField, TextField } from '../../../core/http/dto-fields';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { RouteCase } from './route-case.decide';

export class RouteCaseDto {
  @IdField({ description: 'The team whose queue the case joins, unassigned', example: 'complaints-tier-1' })
  team!: string;

  @TextField({ description: 'Why it goes there', optional: true, maxLength: 500, example: 'Billing question' })
  reason?: string;
}

@CaseCommandsController()
export class RouteCaseController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/route')
  @CaseCommandEndpoint({
    operationId: 'routeCase',
    body: RouteCaseDto,
    summary: "Put the case on a team's queue, unassigned",
    description: "The case leaves its agent (if any) and waits on the team's queue until someone there takes it (POST …/assign).",
  })
  routeCase(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: RouteCaseDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<RouteCase>(http, { id: caseId, build: () => ({ type: 'RouteCase', data: body }) });
  }
}
