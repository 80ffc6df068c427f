import { IdField, IntegerField, TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { EscalateCase } from './escalate-case.decide';

export class EscalateCaseDto {
  @TextField({
    description: 'Why the case needs a higher level of handling',
    maxLength: 5000,
    example: 'Customer has complained three times about the same delivery; needs a team lead.',
  })
  reason!: string;

  @IntegerField({
    description: 'The escalation level to raise the case to; defaults to one above the current level',
    optional: true,
    min: 1,
    max: 10,
    example: 2,
  })
  level?: number;

  @IdField({ description: 'The team the case is escalated to, if any', optional: true, example: 'complaints-tier-2' })
  team?: string;
}

@CaseCommandsController()
export class EscalateCaseController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/escalate')
  @CaseCommandEndpoint({
    operationId: 'escalateCase',
    body: EscalateCaseDto,
    summary: 'Escalate the case',
    description: 'Raises the case to a higher escalation level (by default one above the current one), optionally to another team.',
  })
  escalateCase(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: EscalateCaseDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<EscalateCase>(http, {
      id: caseId,
      build: () => ({ type: 'EscalateCase', data: body }),
    });
  }
}
