import { CHANNELS, Channel } from '../../domain/complaint.vocabulary';
import { EnumField, TextField } from '../../../core/http/dto-fields';
import { Inject, Param, Post } from '@nestjs/common';
import { CommandBody } from '../../../core/http/command-body.decorator';
import { CommandResponse, Exchange, HttpExchange } from '../../../core/http/stream-commands';
import { CASE_COMMANDS, CaseCommandEndpoint, CaseCommands, CaseCommandsController, CaseIdParams } from '../../case-commands';
import type { ExplainDecision } from './explain-decision.decide';

export class ExplainDecisionDto {
  @EnumField(CHANNELS, { description: 'How the explanation reached the customer', example: 'letter' })
  channel!: Channel;

  @TextField({
    description: 'The polite explanation as the customer received it, thanking them for raising the matter',
    maxLength: 5000,
    example: 'Thank you for telling us. The fee applies because the order was changed after dispatch; here is how it was calculated.',
  })
  message!: string;
}

@CaseCommandsController()
export class ExplainDecisionController {
  constructor(@Inject(CASE_COMMANDS) private readonly cases: CaseCommands) {}

  @Post(':caseId/explain')
  @CaseCommandEndpoint({
    operationId: 'explainDecision',
    body: ExplainDecisionDto,
    summary: 'Explain the decision to the customer',
    description: 'Records the polite explanation given when the complaint was assessed as not (or only partly) justified.',
  })
  explainDecision(
    @Param() { caseId }: CaseIdParams,
    @CommandBody() body: ExplainDecisionDto,
    @Exchange() http: HttpExchange,
  ): Promise<CommandResponse> {
    return this.cases.handle<ExplainDecision>(http, {
      id: caseId,
      build: () => ({ type: 'ExplainDecision', data: body }),
    });
  }
}
