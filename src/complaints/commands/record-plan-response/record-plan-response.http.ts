import { PLAN_RESPONSES, PlanResponse } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { RecordPlanResponse } from './record-plan-response.decide';

export class RecordPlanResponseDto {
  @EnumField(PLAN_RESPONSES, { description: 'Whether the customer accepted or rejected the current resolution plan', example: 'accepted' })
  response!: PlanResponse;

  @TextField({
    description: 'What the customer said about the plan',
    optional: true,
    maxLength: 5000,
    example: 'Happy with the replacement, as long as it arrives before Friday.',
  })
  comment?: string;
}

@CaseCommandsController()
export class RecordPlanResponseController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/plan-response')
  @CaseCommandEndpoint({
    operationId: 'recordPlanResponse',
    body: RecordPlanResponseDto,
    summary: "Record the customer's answer to the resolution plan",
    description: 'The customer accepts or rejects the plan most recently communicated.',
  })
  recordPlanResponse(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: RecordPlanResponseDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<RecordPlanResponse>(http, {
      id: caseId,
      build: () => ({ type: 'RecordPlanResponse', data: body }),
    });
  }
}
